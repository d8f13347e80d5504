//! Alignment: the company → team → personal tree built from `parent`
//! links, with progress rolled up by a documented rule (docs/method.md,
//! "Alignment and roll-up").

use std::collections::HashSet;

use super::asof::AsOf;
use super::okr::{Objective, Rollup};
use super::progress::weighted_mean;
use super::status::Status;

/// One objective in the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The objective.
    pub objective: &'a Objective,
    /// Progress of its own key results (weighted mean).
    pub own: f64,
    /// Mean rolled-up progress of its children, if it has any.
    pub children_progress: Option<f64>,
    /// Progress by the roll-up rule.
    pub rolled: f64,
    /// Status by the roll-up rule.
    pub status: Status,
    /// Its grade once every key result is graded (as in `okr report`).
    pub grade: Option<f64>,
    /// Objectives aligned to it.
    pub children: Vec<Node<'a>>,
}

/// Builds the alignment forest of `objectives`: roots are objectives with no
/// parent, or whose parent is not among `objectives`. Cycles are cut (and
/// reported by `okr check`).
pub fn build<'a>(objectives: &[&'a Objective], rule: Rollup, asof: &AsOf) -> Vec<Node<'a>> {
    let ids: HashSet<&str> = objectives.iter().map(|o| o.id.as_str()).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut roots: Vec<Node<'a>> = objectives
        .iter()
        .filter(|o| {
            o.parent
                .as_deref()
                .is_none_or(|p| !ids.contains(p) || p == o.id)
        })
        .filter_map(|o| node(o, objectives, rule, asof, &mut seen))
        .collect();
    // Objectives only reachable through a cycle: show them as roots.
    for o in objectives {
        if !seen.contains(o.id.as_str())
            && let Some(n) = node(o, objectives, rule, asof, &mut seen)
        {
            roots.push(n);
        }
    }
    roots
}

fn node<'a>(
    o: &'a Objective,
    all: &[&'a Objective],
    rule: Rollup,
    asof: &AsOf,
    seen: &mut HashSet<&'a str>,
) -> Option<Node<'a>> {
    if !seen.insert(&o.id) {
        return None;
    }
    let children: Vec<Node<'a>> = all
        .iter()
        .filter(|c| c.parent.as_deref() == Some(o.id.as_str()) && c.id != o.id)
        .filter_map(|c| node(c, all, rule, asof, seen))
        .collect();
    let state = asof.objective(o);
    let own = state.progress;
    let children_progress = (!children.is_empty())
        .then(|| children.iter().map(|c| c.rolled).sum::<f64>() / children.len() as f64);
    let own_status = state.status;
    let children_status = children.iter().map(|c| c.status).reduce(Status::worst);
    let (rolled, status) = match rule {
        Rollup::Own => (own, own_status),
        Rollup::Children => match (children_progress, children_status) {
            (Some(p), Some(s)) if o.key_results.is_empty() => (p, s),
            (Some(p), Some(s)) => (p, s.worst(own_status)),
            _ => (own, own_status),
        },
        Rollup::Blend => {
            let items = o
                .key_results
                .iter()
                .map(|k| {
                    (
                        asof.key_result(o, k).progress.progress,
                        k.effective_weight(),
                    )
                })
                .chain(children.iter().map(|c| (c.rolled, 1.0)));
            let status = match children_status {
                Some(s) if o.key_results.is_empty() => s,
                Some(s) => s.worst(own_status),
                None => own_status,
            };
            (weighted_mean(items), status)
        }
    };
    Some(Node {
        objective: o,
        own,
        children_progress,
        rolled,
        status,
        grade: state.grade,
        children,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::okr::{CheckIn, CheckValue, KeyResult, Kind, Level, Measure, Settings};
    use crate::model::period::Period;

    fn obj(id: &str, parent: Option<&str>, values: &[f64]) -> Objective {
        Objective {
            id: id.into(),
            title: id.into(),
            description: None,
            owner: None,
            level: Level::Team,
            period: Period::Quarter(2026, 3),
            kind: Kind::Aspirational,
            parent: parent.map(str::to_string),
            key_results: values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut k = KeyResult::new(
                        format!("{id}-{i}"),
                        "k",
                        Measure::Metric {
                            start: 0.0,
                            target: 100.0,
                            unit: None,
                        },
                    );
                    k.check_ins.push(CheckIn {
                        date: "2026-08-10".parse().unwrap(),
                        value: CheckValue::Number(*v),
                        confidence: None,
                        note: None,
                        author: None,
                    });
                    k
                })
                .collect(),
            rolled_from: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn rollup_rules() {
        let pace = AsOf::new("2026-08-15".parse().unwrap(), &Settings::default());
        let company = obj("company", None, &[20.0]);
        let team_a = obj("team-a", Some("company"), &[60.0]);
        let team_b = obj("team-b", Some("company"), &[40.0, 80.0]);
        let person = obj("person", Some("team-a"), &[100.0]);
        let all = [&company, &team_a, &team_b, &person];

        let own = build(&all, Rollup::Own, &pace);
        assert_eq!(own.len(), 1);
        let c = &own[0];
        assert!(close(c.own, 0.2) && close(c.rolled, 0.2));
        // Children shown beside: team-a 0.6, team-b 0.6.
        assert!(close(c.children_progress.unwrap(), 0.6));
        assert_eq!(c.children[0].children[0].objective.id, "person");

        let ch = build(&all, Rollup::Children, &pace);
        // team-a rolls up person (1.0); team-b has no children (0.6); company = mean(1.0, 0.6).
        assert!(close(ch[0].children[0].rolled, 1.0));
        assert!(close(ch[0].rolled, 0.8));

        let bl = build(&all, Rollup::Blend, &pace);
        // team-a = mean(0.6, 1.0) = 0.8; team-b = 0.6; company = mean(0.2, 0.8, 0.6).
        assert!(close(bl[0].children[0].rolled, 0.8));
        assert!(close(bl[0].rolled, (0.2 + 0.8 + 0.6) / 3.0));
    }

    #[test]
    fn an_objective_without_key_results_takes_its_childrens_status() {
        let pace = AsOf::new("2026-08-15".parse().unwrap(), &Settings::default());
        let company = obj("company", None, &[]);
        let team = obj("team", Some("company"), &[100.0]);
        let all = [&company, &team];
        for rollup in [Rollup::Children, Rollup::Blend] {
            let roots = build(&all, rollup, &pace);
            let (c, t) = (&roots[0], &roots[0].children[0]);
            assert_eq!(t.status, Status::Done, "{rollup:?}");
            // Nothing of its own to judge: the children's status, not the
            // worse of theirs and an empty objective's.
            assert_eq!(c.status, t.status, "{rollup:?}");
            assert!(close(c.rolled, 1.0), "{rollup:?}");
        }
    }

    #[test]
    fn cycles_and_missing_parents_do_not_hang() {
        let pace = AsOf::new("2026-08-15".parse().unwrap(), &Settings::default());
        let a = obj("a", Some("b"), &[10.0]);
        let b = obj("b", Some("a"), &[10.0]);
        let orphan = obj("orphan", Some("nowhere"), &[10.0]);
        let roots = build(&[&a, &b, &orphan], Rollup::Own, &pace);
        let ids: Vec<&str> = roots.iter().map(|n| n.objective.id.as_str()).collect();
        assert_eq!(ids, ["orphan", "a"]);
        assert_eq!(roots[1].children[0].objective.id, "b");
    }
}
