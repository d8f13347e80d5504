//! The core model: objectives, key results, check-ins, periods and progress.
//!
//! Pure types and arithmetic: nothing in here touches files, the terminal or
//! the clock. "Today" is always passed in, which is what makes every report
//! reproducible.

pub mod forecast;
pub mod history;
pub mod id;
pub mod okr;
pub mod period;
pub mod progress;

pub use okr::{
    CheckIn, CheckValue, Document, FORMAT_VERSION, FormatVersion, Kind, KeyResult, Level, Measure,
    Objective, Settings, format_number,
};
pub use period::Period;
pub use progress::KrProgress;
