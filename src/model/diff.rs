//! Semantic diff of two versions of a workspace.
//!
//! A reviewer of a pull request asks "what changed in our OKRs, and was a
//! target quietly lowered?", not "which YAML lines moved". This compares two
//! workspaces (each a list of (file, document)) by ID, so renames, moves
//! between files, field changes, check-ins and grades are named as such, and
//! changes that make a result easier to reach are flagged as eased.

use super::{CheckIn, Document, KeyResult, Kind, Measure, Objective, format_number};

/// Objective or key result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// An objective.
    Objective,
    /// A key result.
    KeyResult,
}

impl Item {
    /// `objective` or `key result`.
    pub fn as_str(self) -> &'static str {
        match self {
            Item::Objective => "objective",
            Item::KeyResult => "key result",
        }
    }
}

/// What happened to one objective or key result.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// New, in this file.
    Added {
        /// Its title.
        title: String,
        /// Its file.
        file: String,
    },
    /// Gone from this file.
    Removed {
        /// Its title.
        title: String,
        /// Its file.
        file: String,
    },
    /// Same ID, new title.
    Renamed {
        /// Old title.
        from: String,
        /// New title.
        to: String,
    },
    /// Now in another file.
    Moved {
        /// Old file.
        from: String,
        /// New file.
        to: String,
    },
    /// A field changed (`None`: not set).
    Changed {
        /// The field: target, start, unit, owner, period, parent, weight,
        /// kind, measure, level, objective.
        field: &'static str,
        /// Old value as text.
        from: Option<String>,
        /// New value as text.
        to: Option<String>,
    },
    /// A check-in was recorded.
    CheckInAdded(CheckIn),
    /// A check-in was removed.
    CheckInRemoved(CheckIn),
    /// A grade was given, changed or taken back.
    Graded {
        /// Old grade.
        from: Option<f64>,
        /// New grade.
        to: Option<f64>,
    },
}

/// One change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Objective or key result.
    pub item: Item,
    /// Its ID.
    pub id: String,
    /// What happened.
    pub what: What,
    /// Why this makes the result easier to reach, if it does.
    pub eased: Option<&'static str>,
}

/// A workspace version: (file label, document) pairs.
pub type Version<'a> = [(String, &'a Document)];

struct Found<'a> {
    file: &'a str,
    objective: &'a Objective,
    kr: Option<&'a KeyResult>,
}

fn index<'a>(v: &'a Version<'a>) -> Vec<(&'a str, Found<'a>)> {
    let mut out = Vec::new();
    for (file, doc) in v {
        for o in &doc.objectives {
            out.push((
                o.id.as_str(),
                Found {
                    file,
                    objective: o,
                    kr: None,
                },
            ));
            for k in &o.key_results {
                out.push((
                    k.id.as_str(),
                    Found {
                        file,
                        objective: o,
                        kr: Some(k),
                    },
                ));
            }
        }
    }
    out
}

/// Every change from `old` to `new`, in the new version's order, then
/// what was removed in the old version's order.
pub fn diff(old: &Version<'_>, new: &Version<'_>) -> Vec<Change> {
    let (old_ix, new_ix) = (index(old), index(new));
    let find = |ix: &'_ [(&str, Found<'_>)], id: &str| ix.iter().position(|(i, _)| *i == id);
    let mut out = Vec::new();
    for (id, n) in &new_ix {
        let item = if n.kr.is_some() {
            Item::KeyResult
        } else {
            Item::Objective
        };
        let mut push = |what: What, eased: Option<&'static str>| {
            out.push(Change {
                item,
                id: id.to_string(),
                what,
                eased,
            })
        };
        let Some(oi) = find(&old_ix, id) else {
            let title = n.kr.map_or(&n.objective.title, |k| &k.title).clone();
            push(
                What::Added {
                    title,
                    file: n.file.to_string(),
                },
                None,
            );
            continue;
        };
        let o = &old_ix[oi].1;
        if o.file != n.file && n.kr.is_none() {
            push(
                What::Moved {
                    from: o.file.to_string(),
                    to: n.file.to_string(),
                },
                None,
            );
        }
        match (o.kr, n.kr) {
            (Some(a), Some(b)) => {
                if o.objective.id != n.objective.id {
                    push(
                        changed("objective", Some(&o.objective.id), Some(&n.objective.id)),
                        None,
                    );
                }
                key_result(a, b, &mut push);
            }
            (None, None) => objective(o.objective, n.objective, &mut push),
            _ => {}
        }
    }
    for (id, o) in &old_ix {
        if find(&new_ix, id).is_none() {
            let (item, title) = match o.kr {
                Some(k) => (Item::KeyResult, &k.title),
                None => (Item::Objective, &o.objective.title),
            };
            out.push(Change {
                item,
                id: id.to_string(),
                what: What::Removed {
                    title: title.clone(),
                    file: o.file.to_string(),
                },
                eased: None,
            });
        }
    }
    out
}

fn changed(field: &'static str, from: Option<&str>, to: Option<&str>) -> What {
    What::Changed {
        field,
        from: from.map(str::to_string),
        to: to.map(str::to_string),
    }
}

fn num(n: Option<f64>) -> Option<String> {
    n.map(format_number)
}

fn objective(a: &Objective, b: &Objective, push: &mut impl FnMut(What, Option<&'static str>)) {
    if a.title != b.title {
        push(
            What::Renamed {
                from: a.title.clone(),
                to: b.title.clone(),
            },
            None,
        );
    }
    let fields = [
        ("owner", a.owner.clone(), b.owner.clone()),
        (
            "period",
            Some(a.period.to_string()),
            Some(b.period.to_string()),
        ),
        ("parent", a.parent.clone(), b.parent.clone()),
        (
            "level",
            Some(a.level.to_string()),
            Some(b.level.to_string()),
        ),
    ];
    for (field, from, to) in fields {
        if from != to {
            push(What::Changed { field, from, to }, None);
        }
    }
    if a.kind != b.kind {
        let eased = (a.kind == Kind::Committed && b.kind == Kind::Aspirational)
            .then_some("committed objective made aspirational");
        push(
            changed("kind", Some(a.kind.as_str()), Some(b.kind.as_str())),
            eased,
        );
    }
}

fn key_result(a: &KeyResult, b: &KeyResult, push: &mut impl FnMut(What, Option<&'static str>)) {
    if a.title != b.title {
        push(
            What::Renamed {
                from: a.title.clone(),
                to: b.title.clone(),
            },
            None,
        );
    }
    if a.owner != b.owner {
        push(
            changed("owner", a.owner.as_deref(), b.owner.as_deref()),
            None,
        );
    }
    if a.kind_str() != b.kind_str() {
        let eased = (a.kind_str() == "metric" && b.kind_str() == "milestone")
            .then_some("metric turned into a milestone");
        push(
            changed("kind", Some(a.kind_str()), Some(b.kind_str())),
            eased,
        );
    }
    measure(&a.measure, &b.measure, push);
    if a.weight != b.weight {
        push(
            What::Changed {
                field: "weight",
                from: num(a.weight),
                to: num(b.weight),
            },
            None,
        );
    }
    if a.grade != b.grade {
        push(
            What::Graded {
                from: a.grade,
                to: b.grade,
            },
            None,
        );
    }
    check_ins(&a.check_ins, &b.check_ins, push);
}

fn measure(a: &Measure, b: &Measure, push: &mut impl FnMut(What, Option<&'static str>)) {
    let (
        Measure::Metric {
            start: s0,
            target: t0,
            unit: u0,
        },
        Measure::Metric {
            start: s1,
            target: t1,
            unit: u1,
        },
    ) = (a, b)
    else {
        return;
    };
    // +1 when the metric should go up, -1 when down.
    let dir = (t0 - s0).signum();
    if s0 != s1 {
        let eased = ((s1 - s0) * dir > 0.0).then_some("start moved towards the target");
        push(
            What::Changed {
                field: "start",
                from: num(Some(*s0)),
                to: num(Some(*s1)),
            },
            eased,
        );
    }
    if t0 != t1 {
        let eased = ((t1 - t0) * dir < 0.0).then_some("target moved towards the start");
        push(
            What::Changed {
                field: "target",
                from: num(Some(*t0)),
                to: num(Some(*t1)),
            },
            eased,
        );
    }
    if u0 != u1 {
        push(changed("unit", u0.as_deref(), u1.as_deref()), None);
    }
}

/// Check-ins as multisets: what the new list holds more of is added, what
/// it holds less of is removed.
fn check_ins(a: &[CheckIn], b: &[CheckIn], push: &mut impl FnMut(What, Option<&'static str>)) {
    let mut left: Vec<Option<&CheckIn>> = a.iter().map(Some).collect();
    let mut added = Vec::new();
    for c in b {
        match left.iter().position(|x| *x == Some(c)) {
            Some(i) => left[i] = None,
            None => added.push(c),
        }
    }
    for c in left.into_iter().flatten() {
        push(What::CheckInRemoved(c.clone()), None);
    }
    for c in added {
        push(What::CheckInAdded(c.clone()), None);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn doc(yaml: &str) -> Document {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const OLD: &str = "
version: 1
objectives:
  - id: brand
    title: Brand
    period: 2026-Q3
    kind: committed
    key_results:
      - id: visitors
        title: Visitors
        start: 100
        target: 1000
        check_ins:
          - date: 2026-07-01
            value: 200
      - id: down
        title: Churn
        start: 10
        target: 5
";

    fn run(old: &str, new: &str) -> Vec<Change> {
        let (a, b) = (doc(old), doc(new));
        diff(&[("okrs.yaml".into(), &a)], &[("okrs.yaml".into(), &b)])
    }

    #[test]
    fn nothing_changed_is_empty() {
        assert!(run(OLD, OLD).is_empty());
    }

    #[test]
    fn a_lowered_target_is_eased_a_raised_one_is_not() {
        let c = run(OLD, &OLD.replace("target: 1000", "target: 800"));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].eased, Some("target moved towards the start"));
        let c = run(OLD, &OLD.replace("target: 1000", "target: 1200"));
        assert_eq!(c[0].eased, None);
        // A downward metric: a higher target is easier.
        let c = run(OLD, &OLD.replace("target: 5", "target: 7"));
        assert_eq!(c[0].eased, Some("target moved towards the start"));
        let c = run(OLD, &OLD.replace("start: 100", "start: 300"));
        assert_eq!(c[0].eased, Some("start moved towards the target"));
    }

    #[test]
    fn milestone_and_aspirational_are_eased() {
        let c = run(
            OLD,
            &OLD.replace("start: 100\n        target: 1000\n", "milestone: true\n")
                .replace(
                    "        check_ins:\n          - date: 2026-07-01\n            value: 200\n",
                    "",
                ),
        );
        assert!(
            c.iter()
                .any(|c| c.eased == Some("metric turned into a milestone")),
            "{c:?}"
        );
        let c = run(OLD, &OLD.replace("kind: committed", "kind: aspirational"));
        assert_eq!(c[0].eased, Some("committed objective made aspirational"));
    }

    #[test]
    fn added_removed_renamed_check_ins_and_grades() {
        let new = OLD
            .replace(
                "title: Visitors",
                "title: Site visitors\n        grade: 0.7",
            )
            .replace(
                "            value: 200\n",
                "            value: 200\n          - date: 2026-07-15\n            value: 400\n",
            )
            .replace(
                "      - id: down\n        title: Churn\n        start: 10\n        target: 5\n",
                "      - id: new\n        title: New\n        milestone: true\n",
            );
        let c = run(OLD, &new);
        let whats: Vec<&What> = c.iter().map(|c| &c.what).collect();
        assert!(matches!(whats[0], What::Renamed { to, .. } if to == "Site visitors"));
        assert!(matches!(whats[1], What::Graded { to: Some(g), .. } if *g == 0.7));
        assert!(matches!(whats[2], What::CheckInAdded(c) if c.date.to_string() == "2026-07-15"));
        assert!(matches!(whats[3], What::Added { title, .. } if title == "New"));
        assert!(matches!(whats[4], What::Removed { title, .. } if title == "Churn"));
        assert_eq!(c.len(), 5);
    }

    #[test]
    fn moved_to_another_file() {
        let a = doc(OLD);
        let empty = doc("version: 1\n");
        let c = diff(
            &[("a.yaml".into(), &a), ("b.yaml".into(), &empty)],
            &[("a.yaml".into(), &empty), ("b.yaml".into(), &a)],
        );
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(c.iter().all(
            |c| matches!(&c.what, What::Moved { from, to } if from == "a.yaml" && to == "b.yaml")
        ));
    }
}
