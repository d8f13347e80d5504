//! The one error type a command returns, and how it maps to an exit code.
//!
//! Exit codes are part of the scripting contract (README, "Exit codes"):
//! 0 success, 1 a user or data error, 2 a usage error.

use std::io;

use crate::store::StoreError;

/// Exit code for a user or data error.
pub const EXIT_ERROR: i32 = 1;
/// Exit code for a usage error (bad options or arguments).
pub const EXIT_USAGE: i32 = 2;
/// Exit code of `okr check --strict` when there are warnings but no errors.
pub const EXIT_WARNINGS: i32 = 3;

/// What a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing the workspace failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No objective or key result has this ID (or prefix).
    #[error("no objective or key result with ID `{query}`")]
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

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => EXIT_USAGE,
            Error::Exit { code, .. } => *code,
            _ => EXIT_ERROR,
        }
    }

    /// An extra `hint:` line, when there is a likely fix.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Store(StoreError::NoWorkspace { .. }) => Some(
                "run `okr init` to create okrs.yaml here, or pass -f PATH (or set OKR_FILE)".into(),
            ),
            Error::UnknownId { suggestions, .. } if !suggestions.is_empty() => Some(format!(
                "did you mean {}?",
                suggestions
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            Error::UnknownId { .. } => Some("run `okr list` to see every ID".into()),
            Error::AmbiguousId { .. } => Some("type more of the ID".into()),
            Error::Invalid { hint, .. } => hint.clone(),
            _ => None,
        }
    }

    /// Whether this is a closed stdout (`okr list | head -1`), which is not
    /// an error for the user.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Result of a command.
pub type Result<T, E = Error> = std::result::Result<T, E>;
