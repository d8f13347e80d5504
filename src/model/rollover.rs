//! Rollover: what carries over from one period into the next, and the IDs
//! the copies get. Pure, so the rules are tested without files.
//!
//! An objective carries over when one of its key results is not done by
//! the end of the old period (or when it has none); only those key results
//! come along, each starting from its last value. A copy's ID is the
//! original's with the period suffix *replaced* (`visitors-2027-q1` becomes
//! `visitors-2027-q2`, never `visitors-2027-q1-2027-q2`), so IDs do not
//! grow with every rollover.

use chrono::NaiveDate;

use super::id;
use super::okr::{CheckValue, KeyResult, Measure, Objective};
use super::period::Period;

/// One objective to copy: where its original lives, the copy, and a line
/// per copied item (old ID, new ID, title) for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Carry {
    /// Index of the original's file (the copy goes into the same file).
    pub file: usize,
    /// The new objective, in the new period.
    pub objective: Objective,
    /// (old ID, new ID, title) of the objective, then of each key result.
    pub renamed: Vec<(String, String, String)>,
}

/// `id` with the period suffix for `to`: a trailing `-{from}` (or any
/// quarter or half suffix such as `-2027-q1`) is replaced, anything else
/// gets the suffix appended.
pub fn renamed_id(id: &str, from: Period, to: Period) -> String {
    let suffix = to.to_string().to_ascii_lowercase();
    format!("{}-{suffix}", strip_period(id, from))
}

/// `id` without a trailing period suffix (`-2027-q1`, `-2027-h2`, or the
/// old period itself, e.g. `-2026` when rolling over a year).
fn strip_period(id: &str, from: Period) -> &str {
    let own = format!("-{}", from.to_string().to_ascii_lowercase());
    if let Some(base) = id.strip_suffix(own.as_str()).filter(|b| !b.is_empty()) {
        return base;
    }
    // `-YYYY-qN` or `-YYYY-hN`: 8 characters.
    let Some(split) = id.len().checked_sub(8) else {
        return id;
    };
    let (base, tail) = id.split_at(split);
    let t = tail.as_bytes();
    let is_period = t[0] == b'-'
        && t[1..5].iter().all(u8::is_ascii_digit)
        && t[5] == b'-'
        && matches!((t[6], t[7]), (b'q', b'1'..=b'4') | (b'h', b'1'..=b'2'));
    if is_period && !base.is_empty() {
        base
    } else {
        id
    }
}

/// A free ID for the copy of `old`; records it as taken.
fn fresh(old: &str, from: Period, to: Period, taken: &mut Vec<String>) -> String {
    let new = id::unique(&renamed_id(old, from, to), |c| taken.iter().any(|t| t == c));
    taken.push(new.clone());
    new
}

/// The copy of an unfinished key result: same title, target, unit, weight,
/// stretch, owner and KPI; a metric starts where the old one ended; no
/// check-ins, grade or initiatives.
fn copy_key_result(k: &KeyResult, new_id: String, end: NaiveDate) -> KeyResult {
    let measure = match &k.measure {
        m if k.threshold.is_some() => m.clone(),
        Measure::Metric { target, unit, .. } => {
            let last = match k.progress_as_of(Some(end)).current {
                CheckValue::Number(n) => n,
                _ => *target,
            };
            Measure::Metric {
                start: last,
                target: *target,
                unit: unit.clone(),
            }
        }
        m => m.clone(),
    };
    let mut nk = KeyResult::new(new_id, k.title.clone(), measure);
    nk.owner = k.owner.clone();
    nk.weight = k.weight;
    nk.stretch = k.stretch;
    nk.kpi = k.kpi.clone();
    nk.rolled_from = Some(k.id.clone());
    nk.threshold = k.threshold;
    nk.source = k.source.clone();
    nk
}

/// What `okr rollover FROM TO` adds: a copy of every unfinished objective
/// of `from` that has no copy in `to` yet. `objectives` are every objective
/// of the workspace with its file index; `taken` every ID in use; `end` the
/// last day of `from`.
pub fn plan(
    objectives: &[(usize, &Objective)],
    from: Period,
    to: Period,
    end: NaiveDate,
    taken: &mut Vec<String>,
) -> Vec<Carry> {
    let done: Vec<&str> = objectives
        .iter()
        .filter(|(_, o)| o.period == to)
        .filter_map(|(_, o)| o.rolled_from.as_deref())
        .collect();
    let mut carries: Vec<Carry> = Vec::new();
    for (file, o) in objectives.iter().filter(|(_, o)| o.period == from) {
        if done.contains(&o.id.as_str()) {
            continue;
        }
        let open: Vec<&KeyResult> = o
            .key_results
            .iter()
            .filter(|k| !k.is_done_as_of(Some(end)))
            .collect();
        if !o.key_results.is_empty() && open.is_empty() {
            continue;
        }
        let new_id = fresh(&o.id, from, to, taken);
        let mut renamed = vec![(o.id.clone(), new_id.clone(), o.title.clone())];
        let mut krs = Vec::new();
        for k in open {
            let kid = fresh(&k.id, from, to, taken);
            renamed.push((k.id.clone(), kid.clone(), k.title.clone()));
            krs.push(copy_key_result(k, kid, end));
        }
        let mut copy = (*o).clone();
        copy.id = new_id;
        copy.period = to;
        copy.key_results = krs;
        copy.rolled_from = Some(o.id.clone());
        carries.push(Carry {
            file: *file,
            objective: copy,
            renamed,
        });
    }
    repoint_parents(objectives, &mut carries, to);
    carries
}

/// A copy aligns to its parent's copy (made now or by an earlier rollover),
/// else to the same parent when that is in the new period, else to nothing.
fn repoint_parents(objectives: &[(usize, &Objective)], carries: &mut [Carry], to: Period) {
    let mut copied: Vec<(String, String)> = carries
        .iter()
        .filter_map(|c| {
            let old = c.objective.rolled_from.clone()?;
            Some((old, c.objective.id.clone()))
        })
        .collect();
    copied.extend(
        objectives
            .iter()
            .filter(|(_, o)| o.period == to)
            .filter_map(|(_, o)| o.rolled_from.clone().map(|r| (r, o.id.clone()))),
    );
    for c in carries.iter_mut() {
        let Some(p) = c.objective.parent.clone() else {
            continue;
        };
        let mapped = copied
            .iter()
            .find(|(old, _)| *old == p)
            .map(|(_, n)| n.clone());
        let in_to = objectives.iter().any(|(_, o)| o.id == p && o.period == to);
        c.objective.parent = match mapped {
            Some(n) => Some(n),
            None if in_to => Some(p),
            None => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CheckIn, Level};

    fn q(y: i32, n: u8) -> Period {
        Period::Quarter(y, n)
    }

    #[test]
    fn the_period_suffix_is_replaced_not_appended() {
        assert_eq!(
            renamed_id("visitors", q(2027, 1), q(2027, 2)),
            "visitors-2027-q2"
        );
        assert_eq!(
            renamed_id("visitors-2027-q1", q(2027, 1), q(2027, 2)),
            "visitors-2027-q2"
        );
        // A suffix of an older period is a period suffix all the same.
        assert_eq!(
            renamed_id("visitors-2026-q4", q(2027, 1), q(2027, 2)),
            "visitors-2027-q2"
        );
        assert_eq!(
            renamed_id("sales-2026", Period::Year(2026), Period::Year(2027)),
            "sales-2027"
        );
        // A number that is not the old period stays part of the name.
        assert_eq!(
            renamed_id("goal-2030", q(2027, 1), q(2027, 2)),
            "goal-2030-2027-q2"
        );
        assert_eq!(
            renamed_id("2027-q1", q(2027, 1), q(2027, 2)),
            "2027-q1-2027-q2"
        );
    }

    fn objective(id: &str, period: Period, krs: Vec<KeyResult>) -> Objective {
        Objective {
            id: id.into(),
            title: id.to_uppercase(),
            description: None,
            owner: Some("ops".into()),
            level: Level::Team,
            period,
            kind: Default::default(),
            parent: None,
            key_results: krs,
            rolled_from: None,
        }
    }

    fn metric(id: &str, last: Option<f64>) -> KeyResult {
        let mut k = KeyResult::new(
            id,
            "K",
            Measure::Metric {
                start: 0.0,
                target: 10.0,
                unit: None,
            },
        );
        if let Some(v) = last {
            k.check_ins.push(CheckIn {
                date: chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap_or_default(),
                value: CheckValue::Number(v),
                confidence: None,
                note: None,
                author: None,
            });
        }
        k
    }

    #[test]
    fn unfinished_work_carries_over_once_with_short_ids() {
        let end = chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap_or_default();
        let o = objective(
            "brand-2027-q1",
            q(2027, 1),
            vec![
                metric("visitors-2027-q1", Some(4.0)),
                metric("done", Some(10.0)),
            ],
        );
        let mut taken = vec![
            "brand-2027-q1".into(),
            "visitors-2027-q1".into(),
            "done".into(),
        ];
        let plan1 = plan(&[(0, &o)], q(2027, 1), q(2027, 2), end, &mut taken);
        assert_eq!(plan1.len(), 1);
        let c = &plan1[0].objective;
        assert_eq!(c.id, "brand-2027-q2");
        assert_eq!(c.rolled_from.as_deref(), Some("brand-2027-q1"));
        assert_eq!(c.key_results.len(), 1);
        assert_eq!(c.key_results[0].id, "visitors-2027-q2");
        assert_eq!(
            c.key_results[0].measure,
            Measure::Metric {
                start: 4.0,
                target: 10.0,
                unit: None
            }
        );
        assert!(c.key_results[0].check_ins.is_empty());
        // Once copied, a second run plans nothing.
        let again = plan(&[(0, &o), (0, c)], q(2027, 1), q(2027, 2), end, &mut taken);
        assert!(again.is_empty());
    }

    #[test]
    fn a_copy_aligns_to_the_copy_an_earlier_rollover_made_of_its_parent() {
        let end = chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap_or_default();
        let parent = objective("grow", q(2027, 1), vec![metric("signups", Some(4.0))]);
        let mut earlier = objective("grow-2027-q2", q(2027, 2), vec![]);
        earlier.rolled_from = Some("grow".into());
        let mut child = objective("launch", q(2027, 1), vec![metric("pages", Some(2.0))]);
        child.parent = Some("grow".into());
        // An unrelated objective of another period that was rolled from
        // `grow` too must not be taken for the new period's copy.
        let mut stray = objective("grow-2026-q4", q(2026, 4), vec![]);
        stray.rolled_from = Some("grow".into());
        let mut taken: Vec<String> = ["grow", "signups", "grow-2027-q2", "launch", "pages"]
            .map(String::from)
            .to_vec();
        let all = [(0, &stray), (0, &parent), (0, &earlier), (0, &child)];
        let carries = plan(&all, q(2027, 1), q(2027, 2), end, &mut taken);
        let copy = carries
            .iter()
            .find(|c| c.objective.rolled_from.as_deref() == Some("launch"))
            .map(|c| &c.objective);
        assert_eq!(copy.and_then(|o| o.parent.as_deref()), Some("grow-2027-q2"));
    }

    #[test]
    fn a_copy_keeps_a_parent_of_the_new_period_and_drops_one_left_behind() {
        let end = chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap_or_default();
        // `vision` is already in the new period; `done` stays behind
        // (finished, so not copied).
        let vision = objective("vision", q(2027, 2), vec![metric("v", None)]);
        let done = objective("done", q(2027, 1), vec![metric("d", Some(10.0))]);
        let mut a = objective("a", q(2027, 1), vec![metric("ka", Some(1.0))]);
        a.parent = Some("vision".into());
        let mut b = objective("b", q(2027, 1), vec![metric("kb", Some(1.0))]);
        b.parent = Some("done".into());
        let mut taken: Vec<String> = ["vision", "v", "done", "d", "a", "ka", "b", "kb"]
            .map(String::from)
            .to_vec();
        let all = [(0, &vision), (0, &done), (0, &a), (0, &b)];
        let carries = plan(&all, q(2027, 1), q(2027, 2), end, &mut taken);
        let parent_of = |from: &str| {
            carries
                .iter()
                .find(|c| c.objective.rolled_from.as_deref() == Some(from))
                .map(|c| c.objective.parent.clone())
        };
        assert_eq!(parent_of("a"), Some(Some("vision".to_string())));
        assert_eq!(parent_of("b"), Some(None));
        assert_eq!(
            parent_of("done"),
            None,
            "a finished objective is not copied"
        );
    }
}
