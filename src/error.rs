//! The one error type a command returns, and how it maps to an exit code.
//!
//! In the style of jj's `CommandError`: every error has a [`Kind`] (user,
//! usage, file, internal) that alone decides the exit code, and any number of
//! hints printed after it as `hint:` lines. Exit codes are part of the
//! scripting contract (README, "Exit codes"): 0 success, 1 a user or file
//! error, 2 a usage error, 3 `okr check --strict` warnings, 70 an internal
//! error (a bug in okr), 130 stopped at a prompt.

use std::io;

use crate::store::StoreError;

/// Exit code for a user or data error.
pub const EXIT_ERROR: i32 = 1;
/// Exit code for a usage error (bad options or arguments).
pub const EXIT_USAGE: i32 = 2;
/// Exit code of `okr check --strict` when there are warnings but no errors.
pub const EXIT_WARNINGS: i32 = 3;
/// Exit code for an internal error: a bug in okr, not in the user's input
/// (`EX_SOFTWARE` of sysexits.h).
pub const EXIT_INTERNAL: i32 = 70;
/// Exit code when the user stopped an interactive command (Ctrl-C or Esc at
/// a prompt): 128 + SIGINT, as a shell reports a process ended by Ctrl-C.
pub const EXIT_INTERRUPTED: i32 = 130;

/// Where an error comes from, which decides its exit code and its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request conflicts with the data: unknown ID, ID taken, closed period.
    User,
    /// The command line does not make sense.
    Usage,
    /// A file cannot be found, read, parsed or written.
    File,
    /// okr itself failed (e.g. an edit that did not verify): please report it.
    Internal,
}

impl Kind {
    /// The process exit code of an error of this kind.
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::User | Kind::File => EXIT_ERROR,
            Kind::Usage => EXIT_USAGE,
            Kind::Internal => EXIT_INTERNAL,
        }
    }
}

/// The hints of every internal error: what to report and where.
const REPORT_HINTS: [&str; 2] = [
    "this is a bug in okr, not in your file: please report it on okr's issue tracker",
    "include this message, the output of `okr --version`, the command you ran, and the file's lines near the change if you can share them",
];

/// What a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing the workspace failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Nothing (objective, key result, KPI, initiative) has this ID or prefix.
    #[error("no objective, key result, KPI or initiative with ID `{query}`")]
    UnknownId {
        /// What was typed.
        query: String,
        /// Close matches.
        suggestions: Vec<String>,
    },
    /// The prefix matches several IDs.
    #[error("ID prefix `{query}` is ambiguous: it matches {}", candidates.join(", "))]
    AmbiguousId {
        /// What was typed.
        query: String,
        /// Every match.
        candidates: Vec<String>,
    },
    /// The request conflicts with the data (e.g. an ID that is taken).
    #[error("{message}")]
    Invalid {
        /// What is wrong.
        message: String,
        /// How to fix it, if we know.
        hint: Option<String>,
    },
    /// The arguments do not make sense together.
    #[error("{0}")]
    Usage(String),
    /// A command's result maps to its own exit code (`okr check`: 1 for
    /// errors, 3 for warnings with `--strict`); the details are already printed.
    #[error("{message}")]
    Exit {
        /// The summary shown after `error:`.
        message: String,
        /// The exit code.
        code: i32,
    },
    /// Writing to stdout failed.
    #[error("cannot write output: {0}")]
    Output(#[from] io::Error),
    /// Another error with more hints (see [`Error::with_hint`]).
    #[error("{error}")]
    Hinted {
        /// The error itself.
        error: Box<Error>,
        /// Hints added to the error's own, in order.
        hints: Vec<String>,
    },
}

impl Error {
    /// A data or user error with a message.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid {
            message: message.into(),
            hint: None,
        }
    }

    /// A data or user error with a message and a hint.
    pub fn invalid_with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Invalid {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The same error with one more hint, printed after its own.
    #[must_use]
    pub fn with_hint(self, hint: impl Into<String>) -> Self {
        match self {
            Error::Hinted { error, mut hints } => {
                hints.push(hint.into());
                Error::Hinted { error, hints }
            }
            error => Error::Hinted {
                error: Box::new(error),
                hints: vec![hint.into()],
            },
        }
    }

    /// Where the error comes from.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Store(e) => store_kind(e),
            Error::Usage(_) => Kind::Usage,
            Error::Exit { code, .. } if *code == EXIT_USAGE => Kind::Usage,
            Error::Exit { code, .. } if *code == EXIT_INTERNAL => Kind::Internal,
            Error::Output(_) => Kind::File,
            Error::Hinted { error, .. } => error.kind(),
            Error::UnknownId { .. }
            | Error::AmbiguousId { .. }
            | Error::Invalid { .. }
            | Error::Exit { .. } => Kind::User,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            // `okr check` chooses its own code (1, or 3 for --strict warnings).
            Error::Exit { code, .. } => *code,
            _ => self.kind().exit_code(),
        }
    }

    /// The first hint, if any (see [`Error::hints`]).
    pub fn hint(&self) -> Option<String> {
        self.hints().into_iter().next()
    }

    /// Every `hint:` line to print after the message, most useful first.
    pub fn hints(&self) -> Vec<String> {
        match self {
            Error::Store(StoreError::NoWorkspace { .. }) => vec![
                "run `okr init` to create okrs.yaml here, or pass -f PATH (or set OKR_FILE)".into(),
            ],
            Error::Store(StoreError::Invalid { location, .. }) => location.hints.clone(),
            Error::Store(_) if self.kind() == Kind::Internal => {
                REPORT_HINTS.iter().map(|h| h.to_string()).collect()
            }
            Error::UnknownId { suggestions, .. } if !suggestions.is_empty() => vec![format!(
                "did you mean {}?",
                suggestions
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )],
            Error::UnknownId { .. } => vec!["run `okr list` to see every ID".into()],
            Error::AmbiguousId { .. } => vec!["type more of the ID".into()],
            Error::Invalid { hint, .. } => hint.iter().cloned().collect(),
            Error::Hinted { error, hints } => {
                let mut all = error.hints();
                all.extend(hints.iter().cloned());
                all
            }
            _ => Vec::new(),
        }
    }

    /// Whether this is a closed stdout (`okr list | head -1`), which is not
    /// an error for the user.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Output(e) => e.kind() == io::ErrorKind::BrokenPipe,
            Error::Hinted { error, .. } => error.is_broken_pipe(),
            _ => false,
        }
    }
}

/// The kind of a store error: a lossless edit that does not verify is okr's
/// own fault; everything else is about the files.
fn store_kind(e: &StoreError) -> Kind {
    match e {
        StoreError::EditFailed { .. } => Kind::Internal,
        StoreError::NoWorkspace { .. } => Kind::User,
        _ => Kind::File,
    }
}

/// Result of a command.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn kinds_map_to_exit_codes() {
        assert_eq!(Error::invalid("x").kind(), Kind::User);
        assert_eq!(Error::invalid("x").exit_code(), 1);
        assert_eq!(Error::Usage("x".into()).kind(), Kind::Usage);
        assert_eq!(Error::Usage("x".into()).exit_code(), 2);
        let missing = Error::Store(StoreError::Missing {
            path: PathBuf::from("a.yaml"),
        });
        assert_eq!((missing.kind(), missing.exit_code()), (Kind::File, 1));
        let exit = Error::Exit {
            message: "found warnings".into(),
            code: EXIT_WARNINGS,
        };
        assert_eq!(exit.exit_code(), 3);
    }

    #[test]
    fn a_failed_lossless_edit_is_an_internal_error_to_report() {
        let e = Error::Store(StoreError::EditFailed {
            path: PathBuf::from("okrs.yaml"),
            detail: "the edited text reads back differently".into(),
        });
        assert_eq!(e.kind(), Kind::Internal);
        assert_eq!(e.exit_code(), EXIT_INTERNAL);
        let hints = e.hints();
        assert!(hints[0].contains("please report"), "{hints:?}");
        assert!(hints[1].contains("okr --version"), "{hints:?}");
    }

    #[test]
    fn hints_accumulate_after_the_errors_own() {
        let e = Error::invalid_with_hint("ID `a` is taken", "pick another ID")
            .with_hint("or remove `a` first")
            .with_hint("`okr list` shows every ID");
        assert_eq!(
            e.hints(),
            vec![
                "pick another ID",
                "or remove `a` first",
                "`okr list` shows every ID"
            ]
        );
        assert_eq!(e.hint().as_deref(), Some("pick another ID"));
        assert_eq!(e.to_string(), "ID `a` is taken");
        assert_eq!(e.kind(), Kind::User);
        let u = Error::Usage("bad".into()).with_hint("see --help");
        assert_eq!(u.exit_code(), EXIT_USAGE);
    }

    #[test]
    fn unknown_ids_suggest_close_matches() {
        let e = Error::UnknownId {
            query: "visiters".into(),
            suggestions: vec!["visitors".into()],
        };
        assert_eq!(e.hints(), vec!["did you mean `visitors`?"]);
    }
}
