//! The rules of `okr check`: where a set of OKRs breaks the habits that make
//! OKRs work (docs/method.md, "Rules of `okr check`").
//!
//! Pure: the caller hands in each file's parsed tree and model and turns the
//! paths of the findings into lines and columns.
//!
//! One file per group of rules, one function per rule; [`RULES`] ties each
//! rule ID to its functions. A rule may look at a file's raw tree (before
//! typed reading: what would stop the file from loading, and keys the types
//! skip) and/or at the typed model of the whole workspace.

mod alignment;
mod keys;
mod kpis;
mod ranges;
mod rhythm;
mod settings;
mod shape;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::Value;

use super::okr::{Document, KeyResult, Objective, RuleLevel, Settings};
use super::period::Calendar;

pub use shape::ACTIVITY_VERBS;

/// A rule on one file's raw tree; it may patch the tree so the file can
/// still be read for the other rules.
pub type TreeRule = fn(usize, &mut Value, &mut Vec<Finding>);
/// A rule on the typed model of the whole workspace.
pub type ModelRule = fn(&Ctx<'_>, &mut Vec<Finding>);

/// One rule of `okr check`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The ID used in output and in `settings.checks`.
    pub id: &'static str,
    /// Severity unless the settings say otherwise.
    pub level: RuleLevel,
    /// What it finds, in a few words.
    pub finds: &'static str,
    /// The part that runs on a file's raw tree.
    pub tree: Option<TreeRule>,
    /// The part that runs on the model.
    pub model: Option<ModelRule>,
}

const fn model(id: &'static str, level: RuleLevel, finds: &'static str, f: ModelRule) -> Rule {
    Rule {
        id,
        level,
        finds,
        tree: None,
        model: Some(f),
    }
}

const fn tree(id: &'static str, level: RuleLevel, finds: &'static str, f: TreeRule) -> Rule {
    Rule {
        id,
        level,
        finds,
        tree: Some(f),
        model: None,
    }
}

const W: RuleLevel = RuleLevel::Warning;
const E: RuleLevel = RuleLevel::Error;

/// Every rule, in the order of docs/method.md.
pub const RULES: &[Rule] = &[
    model(
        "too-many-objectives",
        W,
        "more than 10 objectives for one owner in one period",
        shape::too_many_objectives,
    ),
    model(
        "no-key-results",
        W,
        "an objective without key results",
        shape::no_key_results,
    ),
    model(
        "too-few-key-results",
        W,
        "an objective with a single key result",
        shape::too_few_key_results,
    ),
    model(
        "too-many-key-results",
        W,
        "an objective with more than 5 key results",
        shape::too_many_key_results,
    ),
    Rule {
        id: "metric-target",
        level: E,
        finds: "a metric key result without a target, or with target equal to start",
        tree: Some(ranges::missing_target),
        model: Some(shape::target_equals_start),
    },
    model(
        "task-key-result",
        W,
        "a key result that reads as a task: an activity with target 1, or a milestone phrased as an activity",
        shape::task_key_result,
    ),
    model(
        "aspirational-without-stretch",
        W,
        "an aspirational objective without a stretch key result",
        shape::aspirational_without_stretch,
    ),
    model(
        "stretch-on-committed",
        W,
        "a stretch key result on a committed objective",
        shape::stretch_on_committed,
    ),
    model(
        "committed-low-confidence",
        W,
        "a committed key result whose latest confidence is below 0.7",
        rhythm::committed_low_confidence,
    ),
    model(
        "duplicate-id",
        E,
        "the same ID used twice in the workspace",
        alignment::duplicate_id,
    ),
    model(
        "unknown-parent",
        E,
        "a parent ID that names no objective",
        alignment::unknown_parent,
    ),
    model(
        "parent-cycle",
        E,
        "objectives that are their own ancestors",
        alignment::parent_cycle,
    ),
    model(
        "parent-period",
        E,
        "a parent whose period does not contain the child's period",
        alignment::parent_period,
    ),
    model(
        "check-in-outside-period",
        W,
        "a check-in dated outside its objective's period",
        rhythm::check_in_outside_period,
    ),
    model(
        "check-in-future",
        E,
        "a check-in dated after today",
        rhythm::check_in_future,
    ),
    model(
        "ungraded",
        W,
        "a key result of an ended period without a grade",
        rhythm::ungraded,
    ),
    tree(
        "confidence-range",
        E,
        "a confidence outside 0.0–1.0",
        ranges::confidence_range,
    ),
    tree(
        "grade-range",
        E,
        "a grade outside 0.0–1.0",
        ranges::grade_range,
    ),
    model(
        "unknown-kpi",
        E,
        "a key result naming a KPI that does not exist",
        kpis::unknown_kpi,
    ),
    model(
        "kpi-range",
        E,
        "a KPI without a healthy range, or with at_least above at_most",
        kpis::kpi_range,
    ),
    tree(
        "unknown-key",
        W,
        "a key okr does not know inside an objective, key result, check-in, KPI or initiative",
        keys::unknown_key,
    ),
    model(
        "unknown-check",
        W,
        "a rule ID in `settings.checks` that does not exist",
        settings::unknown_check,
    ),
];

/// Rules whose findings the caller makes, because the facts are outside the
/// model (which `source:` commands this machine trusts: store/trust.rs).
/// Listed here so `settings.checks` switches them like any other rule:
/// (ID, default severity, what it finds).
pub const STORE_RULES: &[(&str, RuleLevel, &str)] = &[(
    "untrusted-source",
    W,
    "a key result whose `source:` command is not trusted on this machine (`okr trust`)",
)];

/// Most objectives per owner and period before `too-many-objectives`.
pub const MAX_OBJECTIVES: usize = 10;
/// Fewest key results per objective before `too-few-key-results`.
pub const MIN_KEY_RESULTS: usize = 2;
/// Most key results per objective before `too-many-key-results`.
pub const MAX_KEY_RESULTS: usize = 5;
/// Lowest latest confidence of a committed key result.
pub const COMMITTED_CONFIDENCE: f64 = 0.7;

/// One step of a path into a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A mapping key (borrowed when it is one of okr's own names: a rule
    /// can find thousands of things, and each path held its keys' copies).
    Key(Cow<'static, str>),
    /// A sequence index.
    Index(usize),
}

fn key(k: &'static str) -> PathStep {
    PathStep::Key(Cow::Borrowed(k))
}

/// A problem found by a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule's ID.
    pub rule: &'static str,
    /// Error or warning.
    pub severity: RuleLevel,
    /// What is wrong.
    pub message: String,
    /// Index of the file in the list given to [`check`].
    pub file: usize,
    /// Where in the file.
    pub path: Vec<PathStep>,
}

impl Finding {
    /// A finding of `rule` at its default severity.
    pub fn new(rule: &'static str, file: usize, path: Vec<PathStep>, message: String) -> Self {
        Finding {
            rule,
            severity: default_level(rule).unwrap_or(RuleLevel::Warning),
            message,
            file,
            path,
        }
    }
}

/// The default severity of `rule`, if it exists.
pub fn default_level(rule: &str) -> Option<RuleLevel> {
    RULES
        .iter()
        .find(|r| r.id == rule)
        .map(|r| r.level)
        .or_else(|| STORE_RULES.iter().find(|r| r.0 == rule).map(|r| r.1))
}

fn kr_path(oi: usize, ki: usize) -> Vec<PathStep> {
    vec![
        key("objectives"),
        PathStep::Index(oi),
        key("key_results"),
        PathStep::Index(ki),
    ]
}

fn obj_path(oi: usize) -> Vec<PathStep> {
    vec![key("objectives"), PathStep::Index(oi)]
}

fn with(mut p: Vec<PathStep>, rest: &[PathStep]) -> Vec<PathStep> {
    p.extend_from_slice(rest);
    p
}

/// Rules that would stop a file from being read at all, and rules on keys
/// that typed reading skips, checked on its raw tree; the tree is then
/// patched so the remaining rules can still run.
pub fn prepass(file: usize, tree: &mut Value) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in RULES.iter().filter_map(|r| r.tree) {
        f(file, tree, &mut out);
    }
    out
}

/// What the model rules see: every file's model, the settings and today.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// Each file's index and model.
    pub docs: &'a [(usize, &'a Document)],
    /// The workspace settings.
    pub settings: &'a Settings,
    /// The fiscal calendar.
    pub cal: Calendar,
    /// The date the check runs as of.
    pub today: NaiveDate,
    /// The first objective with each ID: file index and position in it.
    objectives: HashMap<&'a str, (usize, usize)>,
    /// Every KPI ID.
    kpis: HashSet<&'a str>,
}

/// An objective with its place: file index, position in the file.
type ObjectiveAt<'a> = (usize, usize, &'a Objective);
/// A key result with its place and objective.
type KeyResultAt<'a> = (usize, usize, &'a Objective, usize, &'a KeyResult);

impl<'a> Ctx<'a> {
    fn new(docs: &'a [(usize, &'a Document)], settings: &'a Settings, today: NaiveDate) -> Self {
        let mut objectives = HashMap::new();
        let mut kpis = HashSet::new();
        for &(f, doc) in docs {
            for (oi, o) in doc.objectives.iter().enumerate() {
                objectives.entry(o.id.as_str()).or_insert((f, oi));
            }
            kpis.extend(doc.kpis.iter().map(|x| x.id.as_str()));
        }
        Ctx {
            docs,
            settings,
            cal: settings.calendar(),
            today,
            objectives,
            kpis,
        }
    }

    /// Every objective of the workspace, in file order.
    fn objectives(&self) -> impl Iterator<Item = ObjectiveAt<'a>> + 'a {
        self.docs.iter().flat_map(|&(f, doc)| {
            doc.objectives
                .iter()
                .enumerate()
                .map(move |(oi, o)| (f, oi, o))
        })
    }

    /// Every key result of the workspace, in file order.
    fn key_results(&self) -> impl Iterator<Item = KeyResultAt<'a>> + 'a {
        self.objectives().flat_map(|(f, oi, o)| {
            o.key_results
                .iter()
                .enumerate()
                .map(move |(ki, k)| (f, oi, o, ki, k))
        })
    }

    /// The objective with this ID (the first one, if it is duplicated).
    fn objective(&self, id: &str) -> Option<&'a Objective> {
        let &(f, oi) = self.objectives.get(id)?;
        self.docs
            .iter()
            .find(|(i, _)| *i == f)
            .and_then(|(_, d)| d.objectives.get(oi))
    }
}

/// Runs the model rules over every file's model, as of `today`.
pub fn check(docs: &[(usize, &Document)], settings: &Settings, today: NaiveDate) -> Vec<Finding> {
    let ctx = Ctx::new(docs, settings, today);
    let mut out = Vec::new();
    for f in RULES.iter().filter_map(|r| r.model) {
        f(&ctx, &mut out);
    }
    out
}

/// Applies the workspace's `checks:` settings: drops rules switched off and
/// changes severities.
pub fn configure(findings: Vec<Finding>, settings: &Settings) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| match settings.checks.get(f.rule) {
            Some(RuleLevel::Off) => None,
            Some(l) => {
                f.severity = *l;
                Some(f)
            }
            None => Some(f),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> Document {
        serde_saphyr::from_str(yaml).unwrap()
    }

    fn rules_of(yaml: &str) -> Vec<&'static str> {
        let d = doc(yaml);
        let today = NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
        let settings = d.settings.clone().unwrap_or_default();
        let mut found: Vec<_> = check(&[(0, &d)], &settings, today)
            .into_iter()
            .map(|f| f.rule)
            .collect();
        found.sort_unstable();
        found
    }

    const HEAD: &str = "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n";

    #[test]
    fn every_rule_has_a_function_and_a_unique_id() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert!(RULES.iter().all(|r| r.tree.is_some() || r.model.is_some()));
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn one_key_result_is_too_few_two_are_enough() {
        let one = format!(
            "{HEAD}    key_results:\n      - {{id: a, title: A, target: 5, stretch: true}}\n"
        );
        assert_eq!(rules_of(&one), ["too-few-key-results"]);
        let two = format!("{one}      - {{id: b, title: B, target: 5}}\n");
        assert!(rules_of(&two).is_empty(), "{:?}", rules_of(&two));
    }

    #[test]
    fn activity_verbs_start_the_title() {
        assert_eq!(shape::activity_verb("Write the blog post"), Some("write"));
        assert_eq!(shape::activity_verb("set up the CI"), Some("set up"));
        assert_eq!(shape::activity_verb("Writers' NPS at 40"), None);
        assert_eq!(shape::activity_verb("Runway of 18 months"), None);
    }

    #[test]
    fn a_task_is_done_once() {
        let kr = |t: &str, m: &str| {
            format!(
                "{HEAD}    key_results:\n      - {{id: a, title: {t}, {m}, stretch: true}}\n      - {{id: b, title: B, target: 5}}\n"
            )
        };
        assert_eq!(
            rules_of(&kr("Write the post", "target: 1")),
            ["task-key-result"]
        );
        assert_eq!(
            rules_of(&kr("Plan the offsite", "milestone: true")),
            ["task-key-result"]
        );
        assert!(rules_of(&kr("Write 10 posts", "target: 10")).is_empty());
        assert!(rules_of(&kr("Pricing page is live", "milestone: true")).is_empty());
        // From 1 to 1 is no task, it is a target equal to its start.
        assert_eq!(
            rules_of(&kr("Write it", "start: 1, target: 1")),
            ["metric-target"]
        );
    }

    #[test]
    fn stretch_belongs_to_aspirational_objectives() {
        let committed = "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    kind: committed\n    key_results:\n      - {id: a, title: A, target: 5, stretch: true}\n      - {id: b, title: B, target: 5}\n";
        assert_eq!(rules_of(committed), ["stretch-on-committed"]);
        let fixed = committed.replace(", stretch: true", "");
        assert!(rules_of(&fixed).is_empty());
    }

    #[test]
    fn low_confidence_is_silent_once_graded_or_closed() {
        let low = "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    kind: committed\n    key_results:\n      - id: a\n        title: A\n        target: 5\n        check_ins:\n          - {date: 2026-08-01, value: 1, confidence: 0.3}\n      - {id: b, title: B, target: 5}\n";
        assert_eq!(rules_of(low), ["committed-low-confidence"]);
        let graded = low.replace(
            "        target: 5\n        check_ins",
            "        target: 5\n        grade: 0.2\n        check_ins",
        );
        assert!(rules_of(&graded).is_empty());
        let closed = low.replace(
            "version: 1\n",
            "version: 1\nsettings:\n  closed: [2026-Q3]\n",
        );
        assert!(rules_of(&closed).is_empty());
    }

    #[test]
    fn a_misspelt_rule_in_the_settings_gets_a_did_you_mean() {
        let d = doc("version: 1\nsettings:\n  checks:\n    aspirational-without-strech: off\n");
        let today = NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
        let s = d.settings.clone().unwrap_or_default();
        let f = check(&[(0, &d)], &s, today);
        assert_eq!(
            f[0].message,
            "`aspirational-without-strech` is not a rule of okr check (did you mean `aspirational-without-stretch`?)"
        );
    }

    #[test]
    fn tree_rules_run_in_the_prepass() {
        let mut tree: Value = serde_saphyr::from_str(&format!(
            "{HEAD}    key_results:\n      - {{id: a, title: A, grade: 3, wieght: 2}}\n"
        ))
        .unwrap();
        let mut found: Vec<_> = prepass(0, &mut tree).into_iter().map(|f| f.rule).collect();
        found.sort_unstable();
        assert_eq!(found, ["grade-range", "metric-target", "unknown-key"]);
        // Patched: the file now reads for the model rules.
        assert!(serde_json::from_value::<Document>(tree).is_ok());
    }
}
