#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::model::{CheckIn, CheckValue, KeyResult, Measure, Objective};

fn doc(yaml: &str) -> Document {
    serde_saphyr::from_str(yaml).expect("test YAML parses")
}

const BASE: &str = "
version: 1
objectives:
  - id: brand
    title: Increase brand awareness
    period: 2026-Q3
    key_results:
      - id: visitors
        title: Website visitors
        start: 100
        target: 1000
        check_ins:
          - date: 2026-07-10
            value: 200
      - id: mentions
        title: Press mentions
        target: 10
";

fn with(base: &str, find: &str, replace: &str) -> Document {
    assert!(base.contains(find), "test edit `{find}` not found");
    doc(&base.replacen(find, replace, 1))
}

fn kr<'a>(d: &'a Document, id: &str) -> &'a KeyResult {
    d.objectives
        .iter()
        .flat_map(|o| &o.key_results)
        .find(|k| k.id == id)
        .expect("KR exists")
}

fn dates(k: &KeyResult) -> Vec<String> {
    k.check_ins.iter().map(|c| c.date.to_string()).collect()
}

const CI: &str = "          - date: 2026-07-10\n            value: 200\n";

#[test]
fn check_ins_on_both_sides_are_all_kept_in_date_order() {
    let base = doc(BASE);
    let ours = with(
        BASE,
        CI,
        &format!(
            "{CI}          - date: 2026-07-24\n            value: 400\n            note: ours\n"
        ),
    );
    let theirs = with(
        BASE,
        CI,
        &format!("{CI}          - date: 2026-07-17\n            value: 300\n"),
    );
    let m = merge(&base, &ours, &theirs).unwrap();
    assert!(m.is_clean(), "{:?}", m.conflicts);
    assert_eq!(
        dates(kr(&m.ours, "visitors")),
        ["2026-07-10", "2026-07-17", "2026-07-24"]
    );
}

#[test]
fn identical_check_in_on_both_sides_is_kept_once_and_ours_first_on_a_day() {
    let base = doc(BASE);
    let same = "          - date: 2026-07-24\n            value: 400\n";
    let ours = with(
        BASE,
        CI,
        &format!(
            "{CI}{same}          - date: 2026-07-30\n            value: 500\n            note: ours\n"
        ),
    );
    let theirs = with(
        BASE,
        CI,
        &format!(
            "{CI}{same}          - date: 2026-07-30\n            value: 450\n            note: theirs\n"
        ),
    );
    let m = merge(&base, &ours, &theirs).unwrap();
    assert!(m.is_clean());
    let k = kr(&m.ours, "visitors");
    assert_eq!(
        dates(k),
        ["2026-07-10", "2026-07-24", "2026-07-30", "2026-07-30"]
    );
    assert_eq!(k.check_ins[2].note.as_deref(), Some("ours"));
    assert_eq!(k.check_ins[3].note.as_deref(), Some("theirs"));
}

#[test]
fn a_check_in_removed_on_one_side_stays_removed() {
    let base = doc(BASE);
    let ours = with(BASE, &format!("        check_ins:\n{CI}"), "");
    let theirs = with(
        BASE,
        CI,
        &format!("{CI}          - date: 2026-07-17\n            value: 300\n"),
    );
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(dates(kr(&m.ours, "visitors")), ["2026-07-17"]);
}

#[test]
fn objectives_added_on_both_sides_are_kept_ours_first() {
    let base = doc(BASE);
    let add = |id: &str| {
        let mut d = base.clone();
        let mut o = d.objectives[0].clone();
        o.id = id.to_string();
        o.key_results.clear();
        d.objectives.push(o);
        d
    };
    let m = merge(&base, &add("hiring"), &add("churn")).unwrap();
    assert!(m.is_clean());
    let ids: Vec<&str> = m.ours.objectives.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["brand", "hiring", "churn"]);
}

#[test]
fn a_field_changed_on_one_side_takes_the_change() {
    let base = doc(BASE);
    let ours = with(BASE, "target: 1000", "target: 1200");
    let theirs = with(BASE, "title: Press mentions", "title: Press coverage");
    let m = merge(&base, &ours, &theirs).unwrap();
    assert!(m.is_clean());
    assert!(matches!(
        kr(&m.ours, "visitors").measure,
        Measure::Metric { target, .. } if target == 1200.0
    ));
    assert_eq!(kr(&m.ours, "mentions").title, "Press coverage");
}

#[test]
fn the_same_change_on_both_sides_is_fine() {
    let base = doc(BASE);
    let both = with(BASE, "target: 1000", "target: 1200");
    let m = merge(&base, &both, &both).unwrap();
    assert!(m.is_clean());
    assert_eq!(m.ours, both);
}

#[test]
fn different_targets_are_a_named_conflict_resolved_both_ways() {
    let base = doc(BASE);
    let ours = with(BASE, "target: 1000", "target: 1200");
    let theirs = with(BASE, "target: 1000", "target: 800");
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(m.conflicts.len(), 1);
    let c = &m.conflicts[0];
    assert_eq!(
        (c.what, c.id.as_str(), c.field.as_str()),
        ("key result", "visitors", "target")
    );
    assert_eq!(
        c.to_string(),
        "key result `visitors`, field `target`: ours `1200`, theirs `800`"
    );
    assert_eq!(m.ours, ours);
    assert_eq!(m.theirs, theirs);
}

#[test]
fn deleted_on_one_side_and_checked_in_on_the_other_is_a_conflict() {
    let base = doc(BASE);
    let mut ours = base.clone();
    ours.objectives[0].key_results.remove(0);
    let theirs = with(
        BASE,
        CI,
        &format!("{CI}          - date: 2026-07-17\n            value: 300\n"),
    );
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].id, "visitors");
    assert_eq!(m.conflicts[0].ours, None);
    assert!(m.conflicts[0].to_string().contains("ours deleted it"));
    assert_eq!(m.ours.objectives[0].key_results.len(), 1);
    assert_eq!(m.theirs.objectives[0].key_results.len(), 2);
}

#[test]
fn deleted_on_one_side_and_untouched_on_the_other_is_deleted() {
    let base = doc(BASE);
    let mut ours = base.clone();
    ours.objectives[0].key_results.remove(1);
    let theirs = with(BASE, "title: Website visitors", "title: Site visitors");
    let m = merge(&base, &ours, &theirs).unwrap();
    assert!(m.is_clean());
    assert_eq!(m.ours.objectives[0].key_results.len(), 1);
    assert_eq!(m.ours.objectives[0].key_results[0].title, "Site visitors");
}

#[test]
fn the_same_new_id_with_different_content_is_a_conflict() {
    let base = doc(BASE);
    let add = |title: &str| {
        let mut d = base.clone();
        d.objectives[0]
            .key_results
            .push(KeyResult::new("signups", title, Measure::Milestone));
        d
    };
    let m = merge(&base, &add("Sign-ups"), &add("Signups doubled")).unwrap();
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].id, "signups");
    assert_eq!(m.conflicts[0].field, "");
    // The same new ID with the same content is no conflict.
    let m = merge(&base, &add("Sign-ups"), &add("Sign-ups")).unwrap();
    assert!(m.is_clean());
    assert_eq!(m.ours.objectives[0].key_results.len(), 3);
}

// Property tests: check-ins added independently on two sides always merge
// cleanly, each exactly once, in date order.

fn base_doc(krs: usize) -> Document {
    let mut d = Document::new();
    let mut o = Objective {
        id: "o".into(),
        title: "O".into(),
        description: None,
        owner: None,
        level: Default::default(),
        period: "2026-Q3".parse().unwrap(),
        kind: Default::default(),
        parent: None,
        key_results: Vec::new(),
        rolled_from: None,
    };
    for i in 0..krs {
        o.key_results.push(KeyResult::new(
            format!("k{i}"),
            format!("K{i}"),
            Measure::Metric {
                start: 0.0,
                target: 100.0,
                unit: None,
            },
        ));
    }
    d.objectives.push(o);
    d
}

fn check_in(day: u32, value: u32, note: bool) -> CheckIn {
    CheckIn {
        date: chrono::NaiveDate::from_ymd_opt(2026, 7, day).unwrap(),
        value: CheckValue::Number(f64::from(value)),
        confidence: None,
        note: note.then(|| format!("n{value}")),
        author: None,
    }
}

/// (kr index, day, value, note)
fn adds() -> impl Strategy<Value = Vec<(usize, u32, u32, bool)>> {
    prop::collection::vec((0usize..3, 1u32..28, 0u32..5, any::<bool>()), 0..8)
}

fn apply(base: &Document, adds: &[(usize, u32, u32, bool)]) -> Document {
    let mut d = base.clone();
    for &(k, day, v, n) in adds {
        d.objectives[0].key_results[k]
            .check_ins
            .push(check_in(day, v, n));
    }
    for k in &mut d.objectives[0].key_results {
        k.check_ins.sort_by_key(|c| c.date);
    }
    d
}

proptest! {
    #[test]
    fn independent_check_ins_merge_cleanly_once_each_in_date_order(
        shared in adds(), ours_adds in adds(), theirs_adds in adds()
    ) {
        let base = apply(&base_doc(3), &shared);
        let ours = apply(&base, &ours_adds);
        let theirs = apply(&base, &theirs_adds);
        let m = merge(&base, &ours, &theirs).unwrap();
        prop_assert!(m.is_clean());
        for k in 0..3 {
            let got = &m.ours.objectives[0].key_results[k].check_ins;
            // Date order.
            prop_assert!(got.windows(2).all(|w| w[0].date <= w[1].date));
            // Everything either side holds is there, nothing else.
            let sides = [&ours, &theirs];
            for side in sides {
                for c in &side.objectives[0].key_results[k].check_ins {
                    prop_assert!(got.contains(c));
                }
            }
            for c in got {
                prop_assert!(sides.iter().any(|s| s.objectives[0].key_results[k].check_ins.contains(c)));
            }
            // Each distinct check-in as often as the side holding it most.
            for c in got {
                let n = |l: &[CheckIn]| l.iter().filter(|x| *x == c).count();
                let most = sides.iter().map(|s| n(&s.objectives[0].key_results[k].check_ins)).max().unwrap_or(0);
                prop_assert!(n(got) <= most.max(1));
            }
        }
    }

    #[test]
    fn merging_is_symmetric_in_content(ours_adds in adds(), theirs_adds in adds()) {
        let base = base_doc(3);
        let ours = apply(&base, &ours_adds);
        let theirs = apply(&base, &theirs_adds);
        let a = merge(&base, &ours, &theirs).unwrap().ours;
        let b = merge(&base, &theirs, &ours).unwrap().ours;
        for k in 0..3 {
            let mut x = a.objectives[0].key_results[k].check_ins.clone();
            let mut y = b.objectives[0].key_results[k].check_ins.clone();
            let key = |c: &CheckIn| format!("{} {:?} {:?}", c.date, c.value, c.note);
            x.sort_by_key(key);
            y.sort_by_key(key);
            prop_assert_eq!(x, y);
        }
    }

    #[test]
    fn a_side_that_changed_nothing_yields_the_other(adds_ in adds()) {
        let base = base_doc(3);
        let changed = apply(&base, &adds_);
        let m = merge(&base, &base, &changed).unwrap();
        prop_assert!(m.is_clean());
        prop_assert_eq!(&m.ours, &changed);
        let m = merge(&base, &changed, &base).unwrap();
        prop_assert_eq!(&m.ours, &changed);
    }
}

fn set_target(d: &mut Document, k: usize, t: u32) {
    if let Measure::Metric { target, .. } = &mut d.objectives[0].key_results[k].measure {
        *target = f64::from(t);
    }
}

fn target(d: &Document, k: usize) -> f64 {
    match d.objectives[0].key_results[k].measure {
        Measure::Metric { target, .. } => target,
        Measure::Milestone => f64::NAN,
    }
}

proptest! {
    #[test]
    fn target_changes_merge_cleanly_unless_both_differ(
        ours_t in prop::option::of(101u32..200),
        theirs_t in prop::option::of(101u32..200),
        k in 0usize..3,
        adds_o in adds(),
        adds_t in adds(),
    ) {
        let base = base_doc(3);
        let mut ours = apply(&base, &adds_o);
        let mut theirs = apply(&base, &adds_t);
        if let Some(t) = ours_t { set_target(&mut ours, k, t); }
        if let Some(t) = theirs_t { set_target(&mut theirs, k, t); }
        let m = merge(&base, &ours, &theirs).unwrap();
        let conflict = matches!((ours_t, theirs_t), (Some(a), Some(b)) if a != b);
        prop_assert_eq!(m.conflicts.len(), usize::from(conflict));
        let want = ours_t.or(theirs_t).map_or(100.0, f64::from);
        prop_assert_eq!(target(&m.ours, k), want);
        if conflict {
            prop_assert_eq!(m.conflicts[0].field.as_str(), "target");
            prop_assert_eq!(target(&m.theirs, k), f64::from(theirs_t.unwrap_or(100)));
        }
        // Check-ins merge all the same, even beside a conflict.
        for kr in 0..3 {
            for side in [&ours, &theirs] {
                for c in &side.objectives[0].key_results[kr].check_ins {
                    prop_assert!(m.ours.objectives[0].key_results[kr].check_ins.contains(c));
                }
            }
        }
    }
}

/// The multiset rule on its own, with a check-in listed twice in the base
/// (hand-written files do that): each side's change to the count applies,
/// and the same change made on both sides applies once.
#[test]
fn a_repeated_check_in_removed_or_added_on_both_sides_changes_its_count_once() {
    let x = serde_json::json!({"date": "2026-02-03", "value": 5});
    let y = serde_json::json!({"date": "2026-02-10", "value": 7});
    let n = |v: &[Value]| v.iter().filter(|e| **e == x).count();
    let two = [x.clone(), x.clone(), y.clone()];
    let one = [x.clone(), y.clone()];
    let three = [x.clone(), x.clone(), x.clone(), y.clone()];
    // Both removed one of the two copies: one stays.
    assert_eq!(n(&merge_set(&two, &one, &one)), 1);
    // Both added a third copy: three, not four.
    assert_eq!(n(&merge_set(&two, &three, &three)), 3);
    // One side removed a copy, the other added one: back to two.
    assert_eq!(n(&merge_set(&two, &one, &three)), 2);
    // Only one side changed: its count wins.
    assert_eq!(n(&merge_set(&two, &one, &two)), 1);
    assert_eq!(n(&merge_set(&two, &two, &three)), 3);
}
