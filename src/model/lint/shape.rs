//! Rules on the shape of a set of OKRs: how many objectives and key results,
//! whether a key result measures an outcome, and whether stretch and
//! committed are used as the method means them.

use std::collections::BTreeMap;

use super::{
    Ctx, Finding, MAX_KEY_RESULTS, MAX_OBJECTIVES, MIN_KEY_RESULTS, key, kr_path, obj_path, with,
};
use crate::model::okr::{KeyResult, Kind, Measure};

/// Words that start a key result phrased as an activity rather than a result
/// (docs/method.md, `task-key-result`). Matched against the title's first
/// word(s), ignoring case.
pub const ACTIVITY_VERBS: &[&str] = &[
    "analyse",
    "analyze",
    "attend",
    "begin",
    "build",
    "conduct",
    "continue",
    "create",
    "design",
    "develop",
    "discuss",
    "draft",
    "explore",
    "help",
    "hold",
    "implement",
    "investigate",
    "meet",
    "organise",
    "organize",
    "participate",
    "plan",
    "prepare",
    "research",
    "review",
    "run",
    "set up",
    "start",
    "support",
    "try",
    "update",
    "work on",
    "write",
];

/// `too-many-objectives`: more than 10 objectives for one owner in one
/// period, reported at the 11th.
pub(super) fn too_many_objectives(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut per_owner: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (f, oi, o) in ctx.objectives() {
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
            out.push(Finding::new(
                "too-many-objectives",
                f,
                with(obj_path(oi), &[key("id")]),
                format!(
                    "{who} has more than {MAX_OBJECTIVES} objectives in {}: focus on fewer",
                    o.period
                ),
            ));
        }
    }
}

/// `no-key-results`: an objective nothing measures.
pub(super) fn no_key_results(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o) in ctx.objectives() {
        if o.key_results.is_empty() {
            out.push(Finding::new(
                "no-key-results",
                f,
                with(obj_path(oi), &[key("id")]),
                format!(
                    "objective `{}` has no key results: how will you measure it?",
                    o.id
                ),
            ));
        }
    }
}

/// `too-few-key-results`: an objective measured by a single key result.
pub(super) fn too_few_key_results(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o) in ctx.objectives() {
        let n = o.key_results.len();
        if n > 0 && n < MIN_KEY_RESULTS {
            out.push(Finding::new(
                "too-few-key-results",
                f,
                with(obj_path(oi), &[key("id")]),
                format!(
                    "objective `{}` has only one key result: measure it from {MIN_KEY_RESULTS} to {MAX_KEY_RESULTS} sides, so one number cannot be met at the others' expense",
                    o.id
                ),
            ));
        }
    }
}

/// `too-many-key-results`: more than 5, reported at the 6th.
pub(super) fn too_many_key_results(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o) in ctx.objectives() {
        if o.key_results.len() > MAX_KEY_RESULTS {
            out.push(Finding::new(
                "too-many-key-results",
                f,
                with(kr_path(oi, MAX_KEY_RESULTS), &[key("id")]),
                format!(
                    "objective `{}` has {} key results: keep {MIN_KEY_RESULTS} to {MAX_KEY_RESULTS}",
                    o.id,
                    o.key_results.len()
                ),
            ));
        }
    }
}

/// `metric-target` (model part): a metric whose target equals its start.
pub(super) fn target_equals_start(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, _, ki, k) in ctx.key_results() {
        if k.threshold.is_none()
            && let Measure::Metric { start, target, .. } = &k.measure
            && start == target
        {
            out.push(Finding::new(
                "metric-target",
                f,
                with(kr_path(oi, ki), &[key("target")]),
                format!(
                    "key result `{}` has target equal to its start ({}): progress cannot be measured",
                    k.id,
                    crate::model::format_number(*start)
                ),
            ));
        }
    }
}

/// The activity verb a title starts with, if any.
pub fn activity_verb(title: &str) -> Option<&'static str> {
    let t = title.trim().to_lowercase();
    ACTIVITY_VERBS.iter().copied().find(|v| {
        t.strip_prefix(v)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric()))
    })
}

/// Whether a key result is done once, the way a task is: a milestone, or a
/// metric from 0 to 1.
fn done_once(k: &KeyResult) -> bool {
    match &k.measure {
        Measure::Milestone => true,
        Measure::Metric { start, target, .. } => {
            k.threshold.is_none() && *start == 0.0 && *target == 1.0
        }
    }
}

/// `task-key-result`: a key result that reads as a task ("Write the blog
/// post" with target 1, a milestone phrased as an activity).
pub(super) fn task_key_result(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, _, ki, k) in ctx.key_results() {
        let Some(verb) = activity_verb(&k.title) else {
            continue;
        };
        if !done_once(k) {
            continue;
        }
        let what = match k.measure {
            Measure::Milestone => "a milestone phrased as an activity",
            Measure::Metric { .. } => "an activity with target 1",
        };
        out.push(Finding::new(
            "task-key-result",
            f,
            with(kr_path(oi, ki), &[key("title")]),
            format!(
                "key result `{}` reads as a task (\"{verb} …\", {what}): measure the result the work should bring, and list the work as an initiative",
                k.id
            ),
        ));
    }
}

/// `aspirational-without-stretch`: an aspirational objective whose key
/// results are all ordinary.
pub(super) fn aspirational_without_stretch(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o) in ctx.objectives() {
        if o.kind == Kind::Aspirational
            && !o.key_results.is_empty()
            && !o.key_results.iter().any(|k| k.stretch)
        {
            out.push(Finding::new(
                "aspirational-without-stretch",
                f,
                with(obj_path(oi), &[key("id")]),
                format!(
                    "aspirational objective `{}` has no stretch key result: mark one with `stretch: true`",
                    o.id
                ),
            ));
        }
    }
}

/// `stretch-on-committed`: a stretch key result under a committed objective,
/// which is expected to reach 1.0.
pub(super) fn stretch_on_committed(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o, ki, k) in ctx.key_results() {
        if o.kind == Kind::Committed && k.stretch {
            out.push(Finding::new(
                "stretch-on-committed",
                f,
                with(kr_path(oi, ki), &[key("stretch")]),
                format!(
                    "key result `{}` is a stretch, but objective `{}` is committed (expected to reach 1.0): drop `stretch: true` or make the objective aspirational",
                    k.id, o.id
                ),
            ));
        }
    }
}
