//! The core model: objectives, key results, check-ins, periods and progress.
//!
//! Pure types and arithmetic: nothing in here touches files, the terminal or
//! the clock. "Today" is always passed in, which is what makes every report
//! reproducible.

pub mod asof;
pub mod dates;
pub mod diff;
pub mod due;
pub mod forecast;
pub mod grade;
pub mod history;
pub mod id;
pub mod lint;
pub mod merge;
pub mod okr;
pub mod period;
pub mod progress;
pub mod qualified;
pub mod rollover;
pub mod schema;
pub mod status;
pub mod tree;

pub use okr::{
    CheckIn, CheckValue, Direction, Document, FORMAT_VERSION, FormatVersion, IncludeSpec,
    Initiative, InitiativeStatus, KeyResult, Kind, Kpi, KpiCheckIn, Level, Measure, Objective,
    PaceSettings, Rollup, RuleLevel, Settings, Threshold, format_number,
};
pub use period::{Calendar, Period, PeriodSpec};
pub use progress::KrProgress;
pub use status::{Pace, Status};
