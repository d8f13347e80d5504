//! The rules of `okr check`: where a set of OKRs breaks the habits that make
//! OKRs work (docs/method.md, "Rules of `okr check`").
//!
//! Pure: the caller hands in each file's parsed tree and model and turns the
//! paths of the findings into lines and columns.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::Value;

use super::okr::{Document, Kind, Measure, RuleLevel, Settings};
use super::period::Calendar;

/// Every rule: ID, default severity, what it checks.
pub const RULES: &[(&str, RuleLevel, &str)] = &[
    (
        "too-many-objectives",
        RuleLevel::Warning,
        "more than 10 objectives for one owner in one period",
    ),
    (
        "no-key-results",
        RuleLevel::Warning,
        "an objective without key results",
    ),
    (
        "too-many-key-results",
        RuleLevel::Warning,
        "an objective with more than 5 key results",
    ),
    (
        "metric-target",
        RuleLevel::Error,
        "a metric key result without a target, or with target equal to start",
    ),
    (
        "aspirational-without-stretch",
        RuleLevel::Warning,
        "an aspirational objective without a stretch key result",
    ),
    (
        "committed-low-confidence",
        RuleLevel::Warning,
        "a committed key result whose latest confidence is below 0.7",
    ),
    (
        "duplicate-id",
        RuleLevel::Error,
        "the same ID used twice in the workspace",
    ),
    (
        "unknown-parent",
        RuleLevel::Error,
        "a parent ID that names no objective",
    ),
    (
        "parent-cycle",
        RuleLevel::Error,
        "objectives that are their own ancestors",
    ),
    (
        "parent-period",
        RuleLevel::Error,
        "a parent whose period does not contain the child's period",
    ),
    (
        "check-in-outside-period",
        RuleLevel::Warning,
        "a check-in dated outside its objective's period",
    ),
    (
        "check-in-future",
        RuleLevel::Error,
        "a check-in dated after today",
    ),
    (
        "ungraded",
        RuleLevel::Warning,
        "a key result of an ended period without a grade",
    ),
    (
        "confidence-range",
        RuleLevel::Error,
        "a confidence outside 0.0–1.0",
    ),
    ("grade-range", RuleLevel::Error, "a grade outside 0.0–1.0"),
    (
        "unknown-kpi",
        RuleLevel::Error,
        "a key result naming a KPI that does not exist",
    ),
    (
        "kpi-range",
        RuleLevel::Error,
        "a KPI without a healthy range, or with at_least above at_most",
    ),
    (
        "unknown-check",
        RuleLevel::Warning,
        "a rule ID in `settings.checks` that does not exist",
    ),
];

/// Most objectives per owner and period before `too-many-objectives`.
pub const MAX_OBJECTIVES: usize = 10;
/// Most key results per objective before `too-many-key-results`.
pub const MAX_KEY_RESULTS: usize = 5;
/// Lowest latest confidence of a committed key result.
pub const COMMITTED_CONFIDENCE: f64 = 0.7;

/// One step of a path into a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

fn key(k: &str) -> PathStep {
    PathStep::Key(k.to_string())
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

/// The default severity of `rule`, if it exists.
pub fn default_level(rule: &str) -> Option<RuleLevel> {
    RULES
        .iter()
        .find(|(id, ..)| *id == rule)
        .map(|(_, l, _)| *l)
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

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Rules that would stop a file from being read at all, checked on its raw
/// tree; the tree is then patched so the remaining rules can still run.
pub fn prepass(file: usize, tree: &mut Value) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(objectives) = tree.get_mut("objectives").and_then(Value::as_array_mut) else {
        return out;
    };
    for (oi, o) in objectives.iter_mut().enumerate() {
        let Some(krs) = o.get_mut("key_results").and_then(Value::as_array_mut) else {
            continue;
        };
        for (ki, k) in krs.iter_mut().enumerate() {
            let Some(map) = k.as_object_mut() else {
                continue;
            };
            let id = map
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            let milestone = map
                .get("milestone")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let measured = map.contains_key("target")
                || map.contains_key("at_least")
                || map.contains_key("at_most");
            if !milestone && !measured {
                out.push(Finding {
                    rule: "metric-target",
                    severity: RuleLevel::Error,
                    message: format!("key result `{id}` has no target: add `target:` (a metric) or `milestone: true`"),
                    file,
                    path: with(kr_path(oi, ki), &[key("id")]),
                });
                let start = map.get("start").and_then(number).unwrap_or(0.0);
                map.insert("target".into(), Value::from(start + 1.0));
            }
            if let Some(g) = map.get("grade").and_then(number)
                && !(0.0..=1.0).contains(&g)
            {
                out.push(Finding {
                    rule: "grade-range",
                    severity: RuleLevel::Error,
                    message: format!("key result `{id}` has grade {g}: a grade is from 0.0 to 1.0"),
                    file,
                    path: with(kr_path(oi, ki), &[key("grade")]),
                });
                map.remove("grade");
            }
            let Some(checks) = map.get_mut("check_ins").and_then(Value::as_array_mut) else {
                continue;
            };
            for (ci, c) in checks.iter_mut().enumerate() {
                let Some(cm) = c.as_object_mut() else {
                    continue;
                };
                if let Some(conf) = cm.get("confidence").and_then(number)
                    && !(0.0..=1.0).contains(&conf)
                {
                    let date = cm.get("date").and_then(Value::as_str).unwrap_or("?");
                    out.push(Finding {
                        rule: "confidence-range",
                        severity: RuleLevel::Error,
                        message: format!(
                            "check-in of {date} on `{id}` has confidence {conf}: a confidence is from 0.0 to 1.0"
                        ),
                        file,
                        path: with(kr_path(oi, ki), &[key("check_ins"), PathStep::Index(ci), key("confidence")]),
                    });
                    cm.remove("confidence");
                }
            }
        }
    }
    out
}

/// Runs the rules over every file's model, as of `today`.
pub fn check(docs: &[(usize, &Document)], settings: &Settings, today: NaiveDate) -> Vec<Finding> {
    let cal: Calendar = settings.calendar();
    let mut out = Vec::new();
    let mut push = |rule: &'static str, file: usize, path: Vec<PathStep>, message: String| {
        out.push(Finding {
            rule,
            severity: default_level(rule).unwrap_or(RuleLevel::Warning),
            message,
            file,
            path,
        });
    };

    // Duplicate IDs across objectives, key results, initiatives and KPIs.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut objectives: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut kpis: HashSet<&str> = HashSet::new();
    for &(f, doc) in docs {
        for (oi, o) in doc.objectives.iter().enumerate() {
            if !seen.insert(&o.id) {
                push(
                    "duplicate-id",
                    f,
                    with(obj_path(oi), &[key("id")]),
                    format!("ID `{}` is used more than once", o.id),
                );
            }
            objectives.entry(&o.id).or_insert((f, oi));
            for (ki, k) in o.key_results.iter().enumerate() {
                if !seen.insert(&k.id) {
                    push(
                        "duplicate-id",
                        f,
                        with(kr_path(oi, ki), &[key("id")]),
                        format!("ID `{}` is used more than once", k.id),
                    );
                }
                for (ii, i) in k.initiatives.iter().enumerate() {
                    if !seen.insert(&i.id) {
                        push(
                            "duplicate-id",
                            f,
                            with(
                                kr_path(oi, ki),
                                &[key("initiatives"), PathStep::Index(ii), key("id")],
                            ),
                            format!("ID `{}` is used more than once", i.id),
                        );
                    }
                }
            }
        }
        for (xi, x) in doc.kpis.iter().enumerate() {
            if !seen.insert(&x.id) {
                push(
                    "duplicate-id",
                    f,
                    vec![key("kpis"), PathStep::Index(xi), key("id")],
                    format!("ID `{}` is used more than once", x.id),
                );
            }
            kpis.insert(&x.id);
            let bad = match (x.at_least, x.at_most) {
                (None, None) => {
                    Some("has no healthy range: add `at_least:` and/or `at_most:`".to_string())
                }
                (Some(lo), Some(hi)) if lo > hi => {
                    Some(format!("has at_least {lo} above at_most {hi}"))
                }
                _ => None,
            };
            if let Some(b) = bad {
                push(
                    "kpi-range",
                    f,
                    vec![key("kpis"), PathStep::Index(xi), key("id")],
                    format!("KPI `{}` {b}", x.id),
                );
            }
        }
    }

    // Objectives per owner and period.
    let mut per_owner: BTreeMap<(String, String), usize> = BTreeMap::new();
    for &(f, doc) in docs {
        for (oi, o) in doc.objectives.iter().enumerate() {
            let owner = o.owner.clone().unwrap_or_default();
            let n = per_owner
                .entry((owner.clone(), o.period.to_string()))
                .or_insert(0);
            *n += 1;
            if *n == MAX_OBJECTIVES + 1 {
                let who = if owner.is_empty() {
                    "no owner".to_string()
                } else {
                    format!("owner `{owner}`")
                };
                push(
                    "too-many-objectives",
                    f,
                    with(obj_path(oi), &[key("id")]),
                    format!(
                        "{who} has more than {MAX_OBJECTIVES} objectives in {}: focus on fewer",
                        o.period
                    ),
                );
            }
        }
    }

    for &(f, doc) in docs {
        for (oi, o) in doc.objectives.iter().enumerate() {
            let at = |k: &str| with(obj_path(oi), &[key(k)]);
            if o.key_results.is_empty() {
                push(
                    "no-key-results",
                    f,
                    at("id"),
                    format!(
                        "objective `{}` has no key results: how will you measure it?",
                        o.id
                    ),
                );
            }
            if o.key_results.len() > MAX_KEY_RESULTS {
                push(
                    "too-many-key-results",
                    f,
                    with(kr_path(oi, MAX_KEY_RESULTS), &[key("id")]),
                    format!(
                        "objective `{}` has {} key results: keep 2 to {MAX_KEY_RESULTS}",
                        o.id,
                        o.key_results.len()
                    ),
                );
            }
            if o.kind == Kind::Aspirational
                && !o.key_results.is_empty()
                && !o.key_results.iter().any(|k| k.stretch)
            {
                push(
                    "aspirational-without-stretch",
                    f,
                    at("id"),
                    format!(
                        "aspirational objective `{}` has no stretch key result: mark one with `stretch: true`",
                        o.id
                    ),
                );
            }
            // Parents.
            if let Some(p) = &o.parent {
                match objectives.get(p.as_str()) {
                    None => push(
                        "unknown-parent",
                        f,
                        at("parent"),
                        format!(
                            "objective `{}` names parent `{p}`, which does not exist",
                            o.id
                        ),
                    ),
                    Some(&(pf, pi)) => {
                        if let Some(parent) = docs
                            .iter()
                            .find(|(i, _)| *i == pf)
                            .and_then(|(_, d)| d.objectives.get(pi))
                            && !cal.within(o.period, parent.period)
                        {
                            push(
                                "parent-period",
                                f,
                                at("parent"),
                                format!(
                                    "objective `{}` ({}) aligns to `{p}` ({}), whose period does not contain it",
                                    o.id, o.period, parent.period
                                ),
                            );
                        }
                    }
                }
                // Walk up; a cycle brings us back to this objective.
                let mut cur = Some(p.as_str());
                let mut steps = 0;
                while let Some(c) = cur {
                    if c == o.id {
                        push(
                            "parent-cycle",
                            f,
                            at("parent"),
                            format!("objective `{}` is its own ancestor through `{p}`", o.id),
                        );
                        break;
                    }
                    steps += 1;
                    if steps > objectives.len() {
                        break;
                    }
                    cur = objectives
                        .get(c)
                        .and_then(|&(pf, pi)| {
                            docs.iter()
                                .find(|(i, _)| *i == pf)
                                .and_then(|(_, d)| d.objectives.get(pi))
                        })
                        .and_then(|x| x.parent.as_deref());
                }
            }
            let (start, end) = (cal.start(o.period), cal.end(o.period));
            for (ki, k) in o.key_results.iter().enumerate() {
                let kp = kr_path(oi, ki);
                if k.threshold.is_none()
                    && let Measure::Metric {
                        start: s, target, ..
                    } = &k.measure
                    && s == target
                {
                    push(
                        "metric-target",
                        f,
                        with(kp.clone(), &[key("target")]),
                        format!(
                            "key result `{}` has target equal to its start ({}): progress cannot be measured",
                            k.id,
                            super::format_number(*s)
                        ),
                    );
                }
                if o.kind == Kind::Committed
                    && let Some((ci, c)) = k
                        .check_ins
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| super::asof::counts(c.date, Some(today)))
                        .max_by_key(|(i, c)| (c.date, *i))
                    && let Some(conf) = c.confidence
                    && conf < COMMITTED_CONFIDENCE
                {
                    push(
                        "committed-low-confidence",
                        f,
                        with(
                            kp.clone(),
                            &[key("check_ins"), PathStep::Index(ci), key("confidence")],
                        ),
                        format!(
                            "committed key result `{}` has confidence {conf} (below {COMMITTED_CONFIDENCE}): say what would bring it back, or make the objective aspirational",
                            k.id
                        ),
                    );
                }
                for (ci, c) in k.check_ins.iter().enumerate() {
                    let cp = with(
                        kp.clone(),
                        &[key("check_ins"), PathStep::Index(ci), key("date")],
                    );
                    if c.date > today {
                        push(
                            "check-in-future",
                            f,
                            cp,
                            format!(
                                "check-in on `{}` is dated {}, after today ({today})",
                                k.id, c.date
                            ),
                        );
                    } else if c.date < start || c.date > end {
                        push(
                            "check-in-outside-period",
                            f,
                            cp,
                            format!(
                                "check-in on `{}` is dated {}, outside {} ({start} to {end})",
                                k.id, c.date, o.period
                            ),
                        );
                    }
                }
                if end < today && k.grade.is_none() {
                    push(
                        "ungraded",
                        f,
                        with(kp.clone(), &[key("id")]),
                        format!(
                            "{} ended on {end} but `{}` has no grade: run `okr close {}` or `okr grade {}`",
                            o.period, k.id, o.period, k.id
                        ),
                    );
                }
                if let Some(x) = &k.kpi
                    && !kpis.contains(x.as_str())
                {
                    push(
                        "unknown-kpi",
                        f,
                        with(kp.clone(), &[key("kpi")]),
                        format!(
                            "key result `{}` names KPI `{x}`, which does not exist",
                            k.id
                        ),
                    );
                }
            }
        }
    }
    // Unknown rule names in settings.
    for &(f, doc) in docs {
        if let Some(s) = &doc.settings {
            for name in s.checks.keys() {
                if default_level(name).is_none() {
                    push(
                        "unknown-check",
                        f,
                        vec![key("settings"), key("checks"), key(name)],
                        format!("`{name}` is not a rule of okr check"),
                    );
                }
            }
        }
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
