//! The OKR data types, exactly as they appear in a workspace file.
//!
//! The serde derives here *are* the file format (docs/format.md), so the same
//! types serve reading, writing new files and, later, generated JSON Schema.
//! Everything derives `PartialEq`: the store proves an edit is lossless by
//! comparing the model it meant to write with the model it reads back, and
//! the planned semantic diff and merge driver compare models the same way.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::period::Period;

/// The newest file format version this build understands.
pub const FORMAT_VERSION: u32 = 1;

/// One workspace file: a version, optional settings and objectives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

impl Document {
    /// An empty document of the current version.
    pub fn new() -> Self {
        Document {
            version: FormatVersion(FORMAT_VERSION),
            settings: None,
            objectives: Vec::new(),
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Period used by `okr add objective` when `--period` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_period: Option<Period>,
}

/// The level an objective is set at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
            _ => Err(format!("invalid level `{s}`: use company, team or personal")),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Committed objectives are expected to reach 1.0; aspirational ones succeed at 0.7.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
}

impl KeyResult {
    /// The weight used in roll-ups.
    pub fn effective_weight(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }
}

/// The key result as written in a file: the measure is spelled by which
/// fields are present (`target` for a metric, `milestone: true`).
#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

impl TryFrom<RawKeyResult> for KeyResult {
    type Error = String;

    fn try_from(r: RawKeyResult) -> Result<Self, Self::Error> {
        let measure = match (r.milestone, r.target) {
            (true, None) if r.start.is_none() && r.unit.is_none() => Measure::Milestone,
            (true, _) => {
                return Err(format!(
                    "key result `{}` is a milestone and cannot have start, target or unit",
                    r.id
                ));
            }
            (false, Some(target)) => Measure::Metric {
                start: r.start.unwrap_or(0.0),
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
            check_ins: r.check_ins,
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
        RawKeyResult {
            id: k.id,
            title: k.title,
            owner: k.owner,
            start,
            target,
            unit,
            milestone,
            weight: k.weight,
            stretch: k.stretch,
            check_ins: k.check_ins,
        }
    }
}

/// One check-in: a new value, how confident we are, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    /// Day of the check-in.
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
                Ok(if v { CheckValue::Done } else { CheckValue::Todo })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<CheckValue, E> {
                v.parse().map_err(E::custom)
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
