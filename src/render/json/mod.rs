//! The `--format json` contract, in one place.
//!
//! One view type per JSON object, each field with a doc line; `list`,
//! `show`, `tree`, `report` and `history` all print these types and nothing
//! else (as do `okr kpi list` and `okr show` of a KPI or an initiative). They are separate from the file format on purpose: the file may
//! grow new spellings, the JSON only grows new fields. Optional values are
//! `null`, never missing. Every field is documented in docs/reports.md
//! ("JSON fields"); the CLI tests snapshot the JSON of the shipped examples
//! and fail when a key is not in that document.
//!
//! Every number comes from [`crate::model::asof`]: the views only copy it.

pub mod diff;
mod history;
mod kpi;
mod objective;
mod report;
mod tree;

use serde::Serialize;

pub use history::{EntryJson, HistoryJson};
pub use kpi::{InitiativeShowJson, KpiCheckInJson, KpiJson, KpiListJson, KpiShowJson};
pub use objective::{
    CheckInJson, ForecastJson, InitiativeJson, KeyResultJson, ListJson, ObjectiveJson, TrendJson,
    ValueJson,
};
pub use report::{Filters, KindSummary, KpiView, ReportJson, Summary};
pub use tree::{NodeJson, TreeJson};

/// Version of the JSON output contract.
pub const JSON_VERSION: u32 = 1;

/// Pretty-printed JSON with a trailing newline.
pub fn to_string<T: Serialize>(v: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    super::text::json_safe(&s)
}
