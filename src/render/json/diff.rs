//! `okr diff --format json`: one object per change (docs/git.md, "okr diff").
//!
//! A flat shape on purpose: every change has `item`, `id`, `change` and
//! `eased`; the other fields appear only for the kinds of change they
//! belong to, so a script can filter on `change` and read what it needs.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::diff::{Change, What};
use crate::model::{CheckIn, CheckValue};

/// Top level of `okr diff --format json`.
#[derive(Debug, Serialize)]
pub struct DiffJson<'a> {
    /// Contract version (the same as every other JSON output).
    pub version: u32,
    /// The older side: a revision, or `working tree`.
    pub from: &'a str,
    /// The newer side.
    pub to: &'a str,
    /// Every change.
    pub changes: Vec<ChangeJson<'a>>,
    /// How many changes are flagged eased.
    pub eased: usize,
}

/// One change.
#[derive(Debug, Serialize)]
pub struct ChangeJson<'a> {
    /// `objective` or `key_result`.
    pub item: &'static str,
    /// The objective's or key result's ID.
    pub id: &'a str,
    /// The include it comes from (`NAME` of the address `NAME:ID`), or
    /// null for the workspace itself (docs/includes.md).
    pub workspace: Option<&'a str>,
    /// `added`, `removed`, `renamed`, `moved`, `changed`, `check_in_added`,
    /// `check_in_removed` or `graded`.
    pub change: &'static str,
    /// For `changed`: which field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// For `added` / `removed`: the title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// For `added` / `removed`: the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<&'a str>,
    /// For `renamed`, `moved`, `changed`, `graded`: the old value (null: unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<serde_json::Value>,
    /// For `renamed`, `moved`, `changed`, `graded`: the new value (null: unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<serde_json::Value>,
    /// For check-in changes: the check-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_in: Option<CheckInJson<'a>>,
    /// Whether the change makes the result easier to reach.
    pub eased: bool,
    /// Why, when eased.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eased_because: Option<&'static str>,
}

/// A check-in as it was added or removed.
#[derive(Debug, Serialize)]
pub struct CheckInJson<'a> {
    /// Its date.
    #[serde(serialize_with = "super::writer::date")]
    pub date: NaiveDate,
    /// A number, or `done` / `todo`.
    pub value: CheckValue,
    /// 0.0–1.0, if given.
    pub confidence: Option<f64>,
    /// The note, if any.
    pub note: Option<&'a str>,
    /// Who checked in, if recorded.
    pub author: Option<&'a str>,
}

impl<'a> CheckInJson<'a> {
    fn new(c: &'a CheckIn) -> Self {
        CheckInJson {
            date: c.date,
            value: c.value,
            confidence: c.confidence,
            note: c.note.as_deref(),
            author: c.author.as_deref(),
        }
    }
}

fn text(s: &Option<String>) -> serde_json::Value {
    s.as_ref().map_or(serde_json::Value::Null, |s| {
        serde_json::Value::String(s.clone())
    })
}

fn grade(g: Option<f64>) -> serde_json::Value {
    g.map_or(serde_json::Value::Null, serde_json::Value::from)
}

impl<'a> ChangeJson<'a> {
    /// The view of one change.
    pub fn new(c: &'a Change) -> Self {
        let mut j = ChangeJson {
            item: match c.item {
                crate::model::diff::Item::Objective => "objective",
                crate::model::diff::Item::KeyResult => "key_result",
            },
            id: &c.id,
            workspace: crate::model::qualified::workspace_of(&c.id),
            change: "",
            field: None,
            title: None,
            file: None,
            from: None,
            to: None,
            check_in: None,
            eased: c.eased.is_some(),
            eased_because: c.eased,
        };
        let s = |v: &str| Some(serde_json::Value::String(v.to_string()));
        match &c.what {
            What::Added { title, file } | What::Removed { title, file } => {
                j.change = if matches!(c.what, What::Added { .. }) {
                    "added"
                } else {
                    "removed"
                };
                j.title = Some(title);
                j.file = Some(file);
            }
            What::Renamed { from, to } => (j.change, j.from, j.to) = ("renamed", s(from), s(to)),
            What::Moved { from, to } => (j.change, j.from, j.to) = ("moved", s(from), s(to)),
            What::Changed { field, from, to } => {
                (j.change, j.field) = ("changed", Some(*field));
                (j.from, j.to) = (Some(text(from)), Some(text(to)));
            }
            What::CheckInAdded(ci) => {
                (j.change, j.check_in) = ("check_in_added", Some(CheckInJson::new(ci)))
            }
            What::CheckInRemoved(ci) => {
                (j.change, j.check_in) = ("check_in_removed", Some(CheckInJson::new(ci)))
            }
            What::Graded { from, to } => {
                (j.change, j.from, j.to) = ("graded", Some(grade(*from)), Some(grade(*to)))
            }
        }
        j
    }
}

impl<'a> DiffJson<'a> {
    /// The whole diff.
    pub fn new(from: &'a str, to: &'a str, changes: &'a [Change]) -> Self {
        DiffJson {
            version: super::JSON_VERSION,
            from,
            to,
            changes: changes.iter().map(ChangeJson::new).collect(),
            eased: changes.iter().filter(|c| c.eased.is_some()).count(),
        }
    }
}

/// Top level of `okr log --format json`.
#[derive(Debug, Serialize)]
pub struct LogJson<'a> {
    /// Contract version.
    pub version: u32,
    /// The objective or key result asked for, or null for the workspace.
    pub id: Option<&'a str>,
    /// Every change, oldest commit first.
    pub entries: Vec<LogEntryJson<'a>>,
}

/// One change, with the commit that recorded it.
#[derive(Debug, Serialize)]
pub struct LogEntryJson<'a> {
    /// Full commit hash.
    pub commit: &'a str,
    /// Commit author's name.
    pub author: &'a str,
    /// Commit author's e-mail.
    pub email: &'a str,
    /// Commit author date, ISO 8601 with offset.
    pub date: &'a str,
    /// First line of the commit message.
    pub subject: &'a str,
    /// The change, as in `okr diff --format json`.
    #[serde(flatten)]
    pub change: ChangeJson<'a>,
}
