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
mod safe;
mod tree;
mod writer;

use std::io::Write as _;

use serde::Serialize;

pub use history::{EntryJson, HistoryJson};
pub use kpi::{InitiativeShowJson, KpiCheckInJson, KpiJson, KpiListJson, KpiShowJson};
pub use objective::{
    CheckInJson, ForecastJson, InitiativeJson, KeyResultJson, ListJson, ObjectiveJson, TrendJson,
    ValueJson,
};
pub use report::{Filters, KindSummary, KpiView, ReportJson, Summary};
pub use tree::{NodeJson, TreeJson};
pub use writer::ParList;

/// Version of the JSON output contract.
pub const JSON_VERSION: u32 = 1;

/// Pretty-printed JSON with a trailing newline.
pub fn to_string<T: Serialize>(v: &T) -> String {
    let mut out = Vec::new();
    if let Err(e) = write(&mut out, v) {
        return format!("{{\"error\":\"{e}\"}}\n");
    }
    String::from_utf8(out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}\n"))
}

/// Streams what [`to_string`] returns to `out`, without building it in
/// memory (the JSON of a big workspace is tens of megabytes).
pub fn write<T: Serialize, W: std::io::Write>(out: &mut W, v: &T) -> std::io::Result<()> {
    // serde_json writes many tiny pieces; the escaping sees big chunks.
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, safe::Safe::new(out));
    v.serialize(&mut writer::Json::new(&mut buf))
        .map_err(std::io::Error::other)?;
    buf.write_all(b"\n")?;
    buf.flush()
}
