//! The OKR data types, exactly as they appear in a workspace file.
//!
//! The serde derives here *are* the file format (docs/format.md), so the same
//! types serve reading, writing new files and, later, generated JSON Schema.
//! Everything derives `PartialEq`: the store proves an edit is lossless by
//! comparing the model it meant to write with the model it reads back, and
//! the planned semantic diff and merge driver compare models the same way.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::period::{Calendar, Period};

/// The newest file format version this build understands.
pub const FORMAT_VERSION: u32 = 1;

/// One workspace file: a version, optional settings and objectives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// File format version; always [`FORMAT_VERSION`] when written.
    pub version: FormatVersion,
    /// Workspace settings, if this file carries them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    /// The objectives in this file, in file order.
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Standing health metrics (KPIs), not bound to a period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<Kpi>,
}

impl Document {
    /// An empty document of the current version.
    pub fn new() -> Self {
        Document {
            version: FormatVersion(FORMAT_VERSION),
            settings: None,
            objectives: Vec::new(),
            kpis: Vec::new(),
        }
    }
}

impl Default for Document {
    fn default() -> Self {
        Self::new()
    }
}

/// The `version:` field. Reading a version newer than this build knows is an
/// error at the field itself, so the user sees exactly which line is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FormatVersion(pub u32);

impl<'de> Deserialize<'de> for FormatVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u32::deserialize(d)?;
        if v == 0 || v > FORMAT_VERSION {
            return Err(serde::de::Error::custom(format!(
                "unsupported file format version {v}: this okr reads version {FORMAT_VERSION}; upgrade okr to read this file"
            )));
        }
        Ok(FormatVersion(v))
    }
}

/// Workspace-wide settings (`settings:` at the top of a file).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Settings {
    /// Period used by `okr add objective` when `--period` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_period: Option<Period>,
    /// Month (1–12, or its English name) the fiscal year starts in [default: 1].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "month_opt"
    )]
    #[schemars(schema_with = "super::schema::month")]
    pub fiscal_year_start: Option<u32>,
    /// Thresholds of the pace status (docs/method.md, "Status").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace: Option<PaceSettings>,
    /// How `okr tree` rolls children's progress into a parent [default: own].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup: Option<Rollup>,
    /// Periods closed by `okr close`: read-only unless `--force`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed: Vec<Period>,
    /// `okr check` rules switched off or given another severity, by rule ID.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, RuleLevel>,
    /// How okr works with git (docs/git.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitSettings>,
    /// Days between expected check-ins: `okr due` lists key results not
    /// checked in for this long [default: 7].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence_days: Option<u32>,
    /// The short name other workspaces include this one by, so that their
    /// `parent: NAME:ID` resolves here (docs/includes.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_name: Option<String>,
    /// Other workspaces this one reads, by short name (docs/includes.md).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub includes: BTreeMap<String, IncludeSpec>,
}

/// One entry of `settings.includes`: a local path, or a git remote and ref.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IncludeSpec {
    /// A local workspace (sibling checkout, submodule), relative to the
    /// directory that holds this workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A git remote (URL, or a path; `./` and `../` are relative to the
    /// directory that holds this workspace), fetched into `.git/okr/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<String>,
    /// Branch or tag of `remote` [default: the remote's default branch].
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
    /// Workspace file or directory inside `remote` [default: okrs.yaml, else okrs/].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
}

/// `settings.git`: how okr works with git.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GitSettings {
    /// Commit the files each write command changed [default: false].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autocommit: Option<bool>,
}

impl Settings {
    /// The planning calendar (fiscal year start); January when unset or invalid.
    pub fn calendar(&self) -> Calendar {
        self.fiscal_year_start
            .and_then(Calendar::starting_in)
            .unwrap_or_default()
    }

    /// Whether `period` was closed with `okr close`.
    pub fn is_closed(&self, period: Period) -> bool {
        self.closed.contains(&period)
    }
}

/// Thresholds of the pace status; every field is optional and defaults as documented.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaceSettings {
    /// Behind the pace line by more than this: at risk [default: 0.1].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    pub at_risk_gap: Option<f64>,
    /// Behind the pace line by more than this: off track [default: 0.25].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    pub off_track_gap: Option<f64>,
    /// Latest confidence below this: at risk at best [default: 0.5].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    pub at_risk_confidence: Option<f64>,
    /// Latest confidence below this: off track [default: 0.3].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    pub off_track_confidence: Option<f64>,
    /// Days without a check-in after which a key result is stale [default: 14].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<u32>,
}

/// How a parent objective's rolled-up progress is computed in `okr tree`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Rollup {
    /// Its own key results only; children are shown beside it (no double counting).
    #[default]
    Own,
    /// The mean of its children's rolled-up progress (own KRs when it has no children).
    Children,
    /// Own key results (by weight) and each child (weight 1) in one weighted mean.
    Blend,
}

impl Rollup {
    /// The lowercase name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Rollup::Own => "own",
            Rollup::Children => "children",
            Rollup::Blend => "blend",
        }
    }
}

/// Severity of an `okr check` rule, or `off` (`false` also reads as off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Reported; fails only with `--strict`.
    Warning,
    /// Reported and fails the check.
    Error,
}

impl<'de> Deserialize<'de> for RuleLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RuleLevel;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`off`, `warning` or `error`")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RuleLevel, E> {
                Ok(if v {
                    RuleLevel::Warning
                } else {
                    RuleLevel::Off
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RuleLevel, E> {
                match v.trim().to_ascii_lowercase().as_str() {
                    "off" | "false" | "no" => Ok(RuleLevel::Off),
                    "warning" | "warn" => Ok(RuleLevel::Warning),
                    "error" => Ok(RuleLevel::Error),
                    _ => Err(E::custom(format!(
                        "`{v}` is not a rule level: use off, warning or error"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl RuleLevel {
    /// `off`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Off => "off",
            RuleLevel::Warning => "warning",
            RuleLevel::Error => "error",
        }
    }
}

/// A standing health metric with a healthy range, across periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Kpi {
    /// Workspace-unique slug.
    pub id: String,
    /// What is measured.
    pub title: String,
    /// Who watches it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Unit shown beside values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Healthy when the value is at least this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    pub at_least: Option<f64>,
    /// Healthy when the value is at most this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    pub at_most: Option<f64>,
    /// Check-ins in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_ins: Vec<KpiCheckIn>,
}

/// One KPI reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KpiCheckIn {
    /// Day of the reading.
    #[serde(deserialize_with = "super::dates::deserialize")]
    pub date: NaiveDate,
    /// The value.
    #[serde(serialize_with = "number_ser")]
    pub value: f64,
    /// Short note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who checked in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

impl Kpi {
    /// Whether `value` is inside the healthy range.
    pub fn is_healthy(&self, value: f64) -> bool {
        self.at_least.is_none_or(|lo| value >= lo) && self.at_most.is_none_or(|hi| value <= hi)
    }

    /// `at least 99.9`, `at most 200`, `between 4 and 6`.
    pub fn range_text(&self) -> String {
        match (self.at_least, self.at_most) {
            (Some(lo), Some(hi)) => {
                format!("between {} and {}", format_number(lo), format_number(hi))
            }
            (Some(lo), None) => format!("at least {}", format_number(lo)),
            (None, Some(hi)) => format!("at most {}", format_number(hi)),
            (None, None) => "no range".to_string(),
        }
    }
}

/// Where an initiative stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum InitiativeStatus {
    /// Not started.
    #[default]
    Todo,
    /// In progress.
    Doing,
    /// Finished.
    Done,
}

impl InitiativeStatus {
    /// `todo`, `doing` or `done`.
    pub fn as_str(self) -> &'static str {
        match self {
            InitiativeStatus::Todo => "todo",
            InitiativeStatus::Doing => "doing",
            InitiativeStatus::Done => "done",
        }
    }
}

impl std::str::FromStr for InitiativeStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "todo" => Ok(InitiativeStatus::Todo),
            "doing" => Ok(InitiativeStatus::Doing),
            "done" => Ok(InitiativeStatus::Done),
            _ => Err(format!("invalid status `{s}`: use todo, doing or done")),
        }
    }
}

/// A project or task that moves a key result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Initiative {
    /// Workspace-unique slug.
    pub id: String,
    /// What is being done.
    pub title: String,
    /// todo, doing or done.
    #[serde(default)]
    pub status: InitiativeStatus,
    /// A URL or an issue reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Who does it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// The level an objective is set at.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Set by the company's leadership.
    Company,
    /// Set by (or for) a team.
    #[default]
    Team,
    /// One person's objective.
    Personal,
}

impl Level {
    /// The lowercase name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Company => "company",
            Level::Team => "team",
            Level::Personal => "personal",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "company" => Ok(Level::Company),
            "team" => Ok(Level::Team),
            "personal" => Ok(Level::Personal),
            _ => Err(format!(
                "invalid level `{s}`: use company, team or personal"
            )),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Committed objectives are expected to reach 1.0; aspirational ones succeed at 0.7.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Expected to be fully delivered.
    Committed,
    /// A stretch: about 70% is success.
    #[default]
    Aspirational,
}

impl Kind {
    /// The lowercase name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Committed => "committed",
            Kind::Aspirational => "aspirational",
        }
    }

    fn is_default(&self) -> bool {
        *self == Kind::default()
    }
}

impl std::str::FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "committed" => Ok(Kind::Committed),
            "aspirational" => Ok(Kind::Aspirational),
            _ => Err(format!("invalid kind `{s}`: use committed or aspirational")),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What we want to achieve, measured by its key results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Objective {
    /// Workspace-unique slug.
    pub id: String,
    /// Short, qualitative statement.
    pub title: String,
    /// Longer explanation, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Person or team responsible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Company, team or personal (default team).
    #[serde(default)]
    pub level: Level,
    /// The period it belongs to.
    pub period: Period,
    /// Committed or aspirational (default aspirational).
    #[serde(default, skip_serializing_if = "Kind::is_default")]
    pub kind: Kind,
    /// ID of the objective this one aligns to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// How it is measured.
    #[serde(default)]
    pub key_results: Vec<KeyResult>,
    /// The objective this one continues (set by `okr rollover`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolled_from: Option<String>,
}

/// How a key result is measured.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// A number moving from `start` to `target`; downwards when target < start.
    Metric {
        /// Baseline value.
        start: f64,
        /// Value to reach.
        target: f64,
        /// Unit shown beside values (visitors, %, $ …).
        unit: Option<String>,
    },
    /// Done or not done, or assessed on a 0.0–1.0 scale.
    Milestone,
}

impl Measure {
    /// `metric` or `milestone`, as in JSON output.
    pub fn kind_str(&self) -> &'static str {
        match self {
            Measure::Metric { .. } => "metric",
            Measure::Milestone => "milestone",
        }
    }
}

/// A measurable, falsifiable result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RawKeyResult", into = "RawKeyResult")]
pub struct KeyResult {
    /// Workspace-unique slug.
    pub id: String,
    /// What is measured.
    pub title: String,
    /// Owner when it differs from the objective's.
    pub owner: Option<String>,
    /// Metric or milestone.
    pub measure: Measure,
    /// Weight in the objective's progress (default 1).
    pub weight: Option<f64>,
    /// Deliberately out of reach.
    pub stretch: bool,
    /// Check-ins in file order (not necessarily by date).
    pub check_ins: Vec<CheckIn>,
    /// ID of the KPI this key result moves.
    pub kpi: Option<String>,
    /// Final grade 0.0–1.0, set by `okr grade` or `okr close`.
    pub grade: Option<f64>,
    /// Why the grade is what it is.
    pub grade_note: Option<String>,
    /// Projects and tasks that move it.
    pub initiatives: Vec<Initiative>,
    /// The key result this one continues (set by `okr rollover`).
    pub rolled_from: Option<String>,
    /// A threshold key result ("stay above / below X"): its measure is then a
    /// metric with start and target both at the bound, and its progress is
    /// the share of check-ins inside the bound.
    pub threshold: Option<Threshold>,
    /// A shell command whose standard output is the current value; run by
    /// `okr refresh` only once trusted with `okr trust`.
    pub source: Option<String>,
}

/// Which side of the bound a threshold key result must stay on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Value ≥ bound (uptime ≥ 99.9%).
    AtLeast,
    /// Value ≤ bound (response time ≤ 200 ms).
    AtMost,
}

/// The bound of a threshold key result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// Above or below.
    pub direction: Direction,
    /// The bound itself (inclusive).
    pub bound: f64,
}

impl Threshold {
    /// A threshold key result's bound.
    pub fn new(direction: Direction, bound: f64) -> Self {
        Threshold { direction, bound }
    }

    /// Whether `value` is inside the bound (the bound itself counts).
    pub fn holds(self, value: f64) -> bool {
        match self.direction {
            Direction::AtLeast => value >= self.bound,
            Direction::AtMost => value <= self.bound,
        }
    }

    /// `at-least` or `at-most`.
    pub fn direction_str(self) -> &'static str {
        match self.direction {
            Direction::AtLeast => "at-least",
            Direction::AtMost => "at-most",
        }
    }
}

impl KeyResult {
    /// A threshold key result: stay at least / at most `bound`.
    pub fn threshold(
        id: impl Into<String>,
        title: impl Into<String>,
        t: Threshold,
        unit: Option<String>,
    ) -> Self {
        let mut k = KeyResult::new(
            id,
            title,
            Measure::Metric {
                start: t.bound,
                target: t.bound,
                unit,
            },
        );
        k.threshold = Some(t);
        k
    }

    /// `metric`, `milestone` or `threshold`, as in JSON output.
    pub fn kind_str(&self) -> &'static str {
        if self.threshold.is_some() {
            "threshold"
        } else {
            self.measure.kind_str()
        }
    }

    /// A key result with no owner, weight, check-ins or anything else.
    pub fn new(id: impl Into<String>, title: impl Into<String>, measure: Measure) -> Self {
        KeyResult {
            id: id.into(),
            title: title.into(),
            owner: None,
            measure,
            weight: None,
            stretch: false,
            check_ins: Vec::new(),
            kpi: None,
            grade: None,
            grade_note: None,
            initiatives: Vec::new(),
            rolled_from: None,
            threshold: None,
            source: None,
        }
    }

    /// The weight used in roll-ups.
    pub fn effective_weight(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }
}

/// The key result as written in a file: the measure is spelled by which
/// fields are present (`target` for a metric, `milestone: true`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
struct RawKeyResult {
    id: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    start: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    target: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    at_least: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt"
    )]
    at_most: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    milestone: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt",
        deserialize_with = "positive_opt"
    )]
    weight: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    stretch: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    check_ins: Vec<CheckIn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kpi: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt",
        deserialize_with = "grade_opt"
    )]
    #[schemars(range(min = 0.0, max = 1.0))]
    grade: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grade_note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    initiatives: Vec<Initiative>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rolled_from: Option<String>,
    /// A shell command whose standard output is the current value (`okr refresh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

impl TryFrom<RawKeyResult> for KeyResult {
    type Error = String;

    fn try_from(r: RawKeyResult) -> Result<Self, Self::Error> {
        let threshold = match (r.at_least, r.at_most) {
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(format!(
                    "key result `{}` has both `at_least` and `at_most`: a threshold stays on one side",
                    r.id
                ));
            }
            _ if r.milestone || r.target.is_some() || r.start.is_some() => {
                return Err(format!(
                    "key result `{}` is a threshold (`at_least`/`at_most`) and cannot have start, target or milestone",
                    r.id
                ));
            }
            (Some(b), None) => Some(Threshold::new(Direction::AtLeast, b)),
            (None, Some(b)) => Some(Threshold::new(Direction::AtMost, b)),
        };
        let target = r.target.or(threshold.map(|t| t.bound));
        let start = r.start.or(threshold.map(|t| t.bound));
        let measure = match (r.milestone, target) {
            (true, None) if r.start.is_none() && r.unit.is_none() => Measure::Milestone,
            (true, _) => {
                return Err(format!(
                    "key result `{}` is a milestone and cannot have start, target or unit",
                    r.id
                ));
            }
            (false, Some(target)) => Measure::Metric {
                start: start.unwrap_or(0.0),
                target,
                unit: r.unit,
            },
            (false, None) => {
                return Err(format!(
                    "key result `{}` needs a `target:` (a metric) or `milestone: true`",
                    r.id
                ));
            }
        };
        for c in &r.check_ins {
            match (&measure, &c.value) {
                (Measure::Metric { .. }, CheckValue::Number(_)) | (Measure::Milestone, _) => {}
                (Measure::Metric { .. }, v) => {
                    return Err(format!(
                        "key result `{}` is a metric, but the check-in of {} has the value `{v}`; use a number",
                        r.id, c.date
                    ));
                }
            }
            if let (Measure::Milestone, CheckValue::Number(n)) = (&measure, &c.value)
                && !(0.0..=1.0).contains(n)
            {
                return Err(format!(
                    "milestone `{}` has a check-in score of {n} on {}; a score must be between 0.0 and 1.0 (or `done`/`todo`)",
                    r.id, c.date
                ));
            }
        }
        Ok(KeyResult {
            id: r.id,
            title: r.title,
            owner: r.owner,
            measure,
            weight: r.weight,
            stretch: r.stretch,
            // Read lists grow by doubling; a large file keeps a quarter
            // of its check-ins' memory as spare room otherwise.
            check_ins: {
                let mut c = r.check_ins;
                c.shrink_to_fit();
                c
            },
            kpi: r.kpi,
            grade: r.grade,
            grade_note: r.grade_note,
            initiatives: r.initiatives,
            rolled_from: r.rolled_from,
            threshold,
            source: r.source,
        })
    }
}

impl From<KeyResult> for RawKeyResult {
    fn from(k: KeyResult) -> Self {
        let (start, target, unit, milestone) = match k.measure {
            Measure::Metric {
                start,
                target,
                unit,
            } => (Some(start), Some(target), unit, false),
            Measure::Milestone => (None, None, None, true),
        };
        let (start, target, at_least, at_most) = match k.threshold {
            Some(t) if t.direction == Direction::AtLeast => (None, None, Some(t.bound), None),
            Some(t) => (None, None, None, Some(t.bound)),
            None => (start, target, None, None),
        };
        RawKeyResult {
            id: k.id,
            title: k.title,
            owner: k.owner,
            start,
            target,
            at_least,
            at_most,
            unit,
            milestone,
            weight: k.weight,
            stretch: k.stretch,
            check_ins: k.check_ins,
            kpi: k.kpi,
            grade: k.grade,
            grade_note: k.grade_note,
            initiatives: k.initiatives,
            rolled_from: k.rolled_from,
            source: k.source,
        }
    }
}

/// One check-in: a new value, how confident we are, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CheckIn {
    /// Day of the check-in.
    #[serde(deserialize_with = "super::dates::deserialize")]
    pub date: NaiveDate,
    /// The value on that day.
    pub value: CheckValue,
    /// Confidence 0.0–1.0 that the target will be reached.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number_opt",
        deserialize_with = "fraction_opt"
    )]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: Option<f64>,
    /// Short note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who checked in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// A check-in value: a number, or for milestones `done` / `todo`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CheckValue {
    /// A metric value, or a milestone's assessed score (0.0–1.0).
    Number(f64),
    /// Milestone reached.
    Done,
    /// Milestone not reached yet.
    Todo,
}

impl fmt::Display for CheckValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckValue::Number(n) => f.write_str(&format_number(*n)),
            CheckValue::Done => f.write_str("done"),
            CheckValue::Todo => f.write_str("todo"),
        }
    }
}

impl std::str::FromStr for CheckValue {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "done" | "true" | "yes" => Ok(CheckValue::Done),
            "todo" | "false" | "no" => Ok(CheckValue::Todo),
            t => t
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(CheckValue::Number)
                .ok_or_else(|| format!("`{s}` is not a number, `done` or `todo`")),
        }
    }
}

impl Serialize for CheckValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CheckValue::Number(n) => serialize_number(*n, s),
            CheckValue::Done => s.serialize_str("done"),
            CheckValue::Todo => s.serialize_str("todo"),
        }
    }
}

impl<'de> Deserialize<'de> for CheckValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = CheckValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, `done` or `todo`")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<CheckValue, E> {
                if v.is_finite() {
                    Ok(CheckValue::Number(v))
                } else {
                    Err(E::custom("a check-in value must be a finite number"))
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<CheckValue, E> {
                Ok(CheckValue::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<CheckValue, E> {
                Ok(CheckValue::Number(v as f64))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<CheckValue, E> {
                Ok(if v {
                    CheckValue::Done
                } else {
                    CheckValue::Todo
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<CheckValue, E> {
                v.parse().map_err(|_| {
                    E::custom(format!(
                        "expected a number (or `done`/`todo` for a milestone), found `{v}`"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Writes integral values as integers (`550000`, not `550000.0`) so files
/// keep the spelling people type.
fn serialize_number<S: Serializer>(n: f64, s: S) -> Result<S::Ok, S::Error> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        s.serialize_i64(n as i64)
    } else {
        s.serialize_f64(n)
    }
}

// serde's `serialize_with` hands over `&Option<f64>`.
#[allow(clippy::ref_option)]
fn number_opt<S: Serializer>(n: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => serialize_number(*n, s),
        None => s.serialize_none(),
    }
}

/// Formats a number the way the file would spell it: no trailing `.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn fraction_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = f64::deserialize(d)?;
    if !(0.0..=1.0).contains(&v) {
        return Err(serde::de::Error::custom(format!(
            "confidence {v} is out of range: use a number from 0.0 to 1.0"
        )));
    }
    Ok(Some(v))
}

fn grade_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = f64::deserialize(d)?;
    if !(0.0..=1.0).contains(&v) {
        return Err(serde::de::Error::custom(format!(
            "grade {v} is out of range: use a number from 0.0 to 1.0"
        )));
    }
    Ok(Some(v))
}

fn number_ser<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    serialize_number(*n, s)
}

/// Reads a month as a number 1–12 or an English month name (`february`, `feb`).
fn month_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = u32;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a month: 1 to 12 or a name like `february`")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u32, E> {
            if (1..=12).contains(&v) {
                Ok(v as u32)
            } else {
                Err(E::custom(format!(
                    "month {v} is out of range: use 1 to 12 or a name like `february`"
                )))
            }
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u32, E> {
            self.visit_u64(u64::try_from(v).unwrap_or(0))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u32, E> {
            month_number(v).ok_or_else(|| {
                E::custom(format!(
                    "`{v}` is not a month: use 1 to 12 or a name like `february`"
                ))
            })
        }
    }
    d.deserialize_any(V).map(Some)
}

/// The number (1–12) of an English month name or abbreviation, or of `"2"`.
pub fn month_number(s: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let t = s.trim().to_ascii_lowercase();
    if let Ok(n) = t.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    NAMES
        .iter()
        .position(|n| t.len() >= 3 && n.starts_with(&t))
        .map(|i| i as u32 + 1)
}

fn positive_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = f64::deserialize(d)?;
    if !(v.is_finite() && v > 0.0) {
        return Err(serde::de::Error::custom(format!(
            "weight {v} is out of range: use a number greater than 0"
        )));
    }
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_parses_words_and_numbers() {
        assert_eq!("done".parse::<CheckValue>(), Ok(CheckValue::Done));
        assert_eq!("TODO".parse::<CheckValue>(), Ok(CheckValue::Todo));
        assert_eq!("0.5".parse::<CheckValue>(), Ok(CheckValue::Number(0.5)));
        assert_eq!("-12".parse::<CheckValue>(), Ok(CheckValue::Number(-12.0)));
        assert!("lots".parse::<CheckValue>().is_err());
        assert!("NaN".parse::<CheckValue>().is_err());
        assert!("inf".parse::<CheckValue>().is_err());
    }

    #[test]
    fn numbers_print_without_trailing_zero() {
        assert_eq!(format_number(550000.0), "550000");
        assert_eq!(format_number(4.6), "4.6");
        assert_eq!(format_number(-0.25), "-0.25");
    }
}
