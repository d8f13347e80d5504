//! Questions asked on a terminal, behind a trait so that the flows that ask
//! them (the check-in round, `okr add` with missing arguments) can be driven
//! by a script in unit tests and by `inquire` for people.
//!
//! Prompts go to stderr, so stdout stays data. Ctrl-C (and Esc) stop the
//! flow with [`Interrupted`]; the flows then write nothing.

use std::io::IsTerminal;

/// The user stopped (Ctrl-C or Esc), or the terminal went away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

/// Checks an answer; the error is shown and the question asked again.
pub type Check<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// One question.
#[derive(Clone, Copy)]
pub struct Question<'a> {
    /// The question itself.
    pub message: &'a str,
    /// Given back when the answer is empty.
    pub default: Option<&'a str>,
    /// Shown greyed in the empty input (not an answer).
    pub placeholder: Option<&'a str>,
    /// One line of help under the prompt.
    pub help: Option<&'a str>,
    /// Checks a non-empty answer.
    pub check: Option<Check<'a>>,
}

impl std::fmt::Debug for Question<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Question")
            .field("message", &self.message)
            .field("default", &self.default)
            .finish_non_exhaustive()
    }
}

impl<'a> Question<'a> {
    /// A question with nothing but its text.
    pub fn new(message: &'a str) -> Self {
        Question {
            message,
            default: None,
            placeholder: None,
            help: None,
            check: None,
        }
    }
}

/// Something that can ask questions.
pub trait Prompter {
    /// The answer, trimmed; the default (or "") when the answer is empty.
    fn ask(&mut self, q: &Question<'_>) -> Result<String, Interrupted>;
}

/// Whether questions can be asked: stdin and stderr are terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks with `inquire` on the terminal.
#[derive(Debug, Default)]
pub struct Terminal;

impl Prompter for Terminal {
    fn ask(&mut self, q: &Question<'_>) -> Result<String, Interrupted> {
        use inquire::validator::Validation;
        let mut t = inquire::Text::new(q.message);
        if let Some(d) = q.default {
            t = t.with_default(d);
        }
        if let Some(p) = q.placeholder {
            t = t.with_placeholder(p);
        }
        if let Some(h) = q.help {
            t = t.with_help_message(h);
        }
        if let Some(check) = q.check {
            t = t.with_validator(move |s: &str| {
                if s.trim().is_empty() {
                    return Ok(Validation::Valid);
                }
                Ok(match check(s.trim()) {
                    Ok(()) => Validation::Valid,
                    Err(e) => Validation::Invalid(e.into()),
                })
            });
        }
        t.prompt()
            .map(|s| s.trim().to_string())
            .map_err(|_| Interrupted)
    }
}

/// Answers from a list, for tests; running out is an interruption.
#[derive(Debug, Default)]
pub struct Scripted {
    /// The answers still to give, first first.
    pub answers: std::collections::VecDeque<String>,
    /// The questions asked so far.
    pub asked: Vec<String>,
}

impl Scripted {
    /// A prompter that gives these answers in order.
    pub fn new(answers: &[&str]) -> Self {
        Scripted {
            answers: answers.iter().map(|a| a.to_string()).collect(),
            asked: Vec::new(),
        }
    }
}

impl Prompter for Scripted {
    fn ask(&mut self, q: &Question<'_>) -> Result<String, Interrupted> {
        self.asked.push(q.message.to_string());
        let a = self.answers.pop_front().ok_or(Interrupted)?;
        let a = a.trim().to_string();
        if a.is_empty() {
            return Ok(q.default.unwrap_or("").to_string());
        }
        if let Some(check) = q.check {
            check(&a).map_err(|_| Interrupted)?;
        }
        Ok(a)
    }
}
