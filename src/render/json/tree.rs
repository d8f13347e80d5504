//! Objects of `okr tree --format json`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::tree::Node;

/// Top level of `okr tree --format json`.
#[derive(Debug, Serialize)]
pub struct TreeJson<'a> {
    /// Contract version.
    pub version: u32,
    /// The day every number describes (`--as-of`, else today).
    #[serde(serialize_with = "super::writer::date")]
    pub as_of: NaiveDate,
    /// The roll-up rule: `own`, `children` or `blend`.
    pub rollup: &'static str,
    /// Objectives without a parent among those shown.
    pub roots: Vec<NodeJson<'a>>,
}

/// One objective in the tree.
#[derive(Debug, Serialize)]
pub struct NodeJson<'a> {
    /// Objective ID.
    pub id: &'a str,
    /// The include it comes from (`NAME` of the address `NAME:ID`), or
    /// null for the workspace itself (docs/includes.md).
    pub workspace: Option<&'a str>,
    /// Title.
    pub title: &'a str,
    /// `company`, `team` or `personal`.
    pub level: &'static str,
    /// Owner, or null.
    pub owner: Option<&'a str>,
    /// Period label.
    pub period: String,
    /// Progress of its own key results (as `progress` in `okr list`).
    pub progress: f64,
    /// Mean rolled-up progress of its children, or null without children.
    pub children_progress: Option<f64>,
    /// Progress by the roll-up rule.
    pub rolled_up: f64,
    /// Status by the roll-up rule.
    pub status: &'static str,
    /// Its grade once every key result is graded, else null.
    pub grade: Option<f64>,
    /// Objectives aligned to it.
    pub children: Vec<NodeJson<'a>>,
}

impl<'a> TreeJson<'a> {
    /// The view of a forest built with `rollup` as of `as_of`.
    pub fn new(roots: &[Node<'a>], rollup: &'static str, as_of: NaiveDate) -> Self {
        TreeJson {
            version: super::JSON_VERSION,
            as_of,
            rollup,
            roots: roots.iter().map(NodeJson::new).collect(),
        }
    }
}

impl<'a> NodeJson<'a> {
    /// The view of one node and its children.
    pub fn new(n: &Node<'a>) -> Self {
        let o = n.objective;
        NodeJson {
            id: &o.id,
            workspace: crate::model::qualified::workspace_of(&o.id),
            title: &o.title,
            level: o.level.as_str(),
            owner: o.owner.as_deref(),
            period: o.period.to_string(),
            progress: n.own,
            children_progress: n.children_progress,
            rolled_up: n.rolled,
            status: n.status.as_str(),
            grade: n.grade,
            children: n.children.iter().map(NodeJson::new).collect(),
        }
    }
}
