//! `okr add objective` / `okr add kr` with missing arguments, on a terminal:
//! ask for them, then parse the completed command line as if typed.
//!
//! Works on clap's "missing required argument" error, so `add.rs` stays as
//! it is and scripts (no terminal) get the same usage error as before.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::prompt::{Interrupted, Prompter, Question};

/// When `err` is a missing argument of `okr add objective|kr` and questions
/// can be asked, asks for the missing values and returns the completed
/// command line; `Ok(None)` when it does not apply (report `err` as usual);
/// `Err` when the user stopped (Ctrl-C or Esc).
pub fn complete_missing(
    err: &clap::Error,
    argv: &[OsString],
) -> Result<Option<Vec<OsString>>, Interrupted> {
    if err.kind() != ErrorKind::MissingRequiredArgument || !crate::prompt::interactive() {
        return Ok(None);
    }
    complete_with(err, argv, &mut crate::prompt::Terminal)
}

/// The same with any prompter; `Err` when the user stopped.
pub fn complete_with(
    err: &clap::Error,
    argv: &[OsString],
    prompter: &mut dyn Prompter,
) -> Result<Option<Vec<OsString>>, Interrupted> {
    let words: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let Some(pos) = words.iter().position(|w| w == "add") else {
        return Ok(None);
    };
    let what = words.get(pos + 1).map(String::as_str);
    if !matches!(what, Some("objective" | "kr" | "key-result")) {
        return Ok(None);
    }
    let Some(ContextValue::Strings(missing)) = err.get(ContextKind::InvalidArg) else {
        return Ok(None);
    };
    let has = |name: &str| missing.iter().any(|m| m.contains(name));
    if missing
        .iter()
        .any(|m| !(m == "<OBJECTIVE>" || m == "<TITLE>" || m.contains("--target")))
    {
        return Ok(None);
    }
    let mut out = argv.to_vec();
    let mut tail = Vec::new();
    if has("<OBJECTIVE>") {
        tail.push(ask(
            prompter,
            "Objective (ID or prefix):",
            None,
            "the objective this key result measures",
        )?);
    }
    if has("<TITLE>") {
        tail.push(ask(
            prompter,
            "Title:",
            None,
            "what you want to achieve or measure",
        )?);
    }
    if has("--target") {
        let v = ask(
            prompter,
            "Target:",
            None,
            "a number, or `milestone` for done/not done",
        )?;
        if v.eq_ignore_ascii_case("milestone") {
            out.push("--milestone".into());
        } else {
            out.push("--target".into());
            out.push(v.into());
            let start = ask(prompter, "Start:", Some("0"), "the baseline value")?;
            out.push("--start".into());
            out.push(start.into());
        }
    }
    // Positionals go last, after `--`, so a title may start with a dash.
    if !out.iter().any(|a| a == "--") {
        out.push("--".into());
    }
    out.extend(tail.into_iter().map(OsString::from));
    Ok(Some(out))
}

fn ask(
    prompter: &mut dyn Prompter,
    message: &str,
    default: Option<&str>,
    help: &str,
) -> Result<String, Interrupted> {
    loop {
        let a = prompter.ask(&Question {
            message,
            default,
            placeholder: None,
            help: Some(help),
            check: None,
        })?;
        if !a.is_empty() {
            return Ok(a);
        }
    }
}
