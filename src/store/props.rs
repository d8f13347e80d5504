//! Property tests of the store's promises (proptest):
//! - any model written to a new file loads back equal;
//! - any sequence of changes to a hand-commented file keeps every comment
//!   and the file loads as exactly the intended model;
//! - progress stays within [0, 1] and attainment is finite, for any finite
//!   numbers a file can hold.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{Workspace, WorkspaceFile, canonical, parse};
use crate::model::{CheckIn, Document};

/// Text people write: letters, digits, punctuation YAML cares about
/// (`: `, `#`, quotes, `- `, `{`), non-ASCII, leading and trailing spaces.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{1,20}",
        "[ -~]{1,30}",
        "[a-z]{0,5}(: |#| #|'|\"|- |\\{|\\[|&|\\*|!|%|@|`|\\|)[a-z ]{0,5}",
        "(yes|no|on|off|null|~|true|1e3|0x1f|012|\\.nan|-\\.inf|2026-01-01)",
        "[é☕—ü€ 日本]{1,8}",
        "[a-z]{1,5}\n[a-z]{1,5}",
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e6f64..1e6,
        (-1000i64..1000).prop_map(|n| n as f64),
        proptest::num::f64::NORMAL,
        Just(0.1 + 0.2),
        Just(-0.0),
    ]
}

fn id() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,10}"
}

fn check_in() -> impl Strategy<Value = Value> {
    (
        1u32..=28,
        number(),
        proptest::option::of(0.0f64..=1.0),
        proptest::option::of(text()),
    )
        .prop_map(|(day, value, conf, note)| {
            let mut c = json!({"date": format!("2026-07-{day:02}"), "value": value});
            if let Some(conf) = conf {
                c["confidence"] = json!(conf);
            }
            if let Some(n) = note {
                c["note"] = json!(n);
            }
            c
        })
}

fn key_result() -> impl Strategy<Value = Value> {
    (id(), text(), number(), number(), proptest::option::of(text()), proptest::collection::vec(check_in(), 0..4))
        .prop_map(|(id, title, start, target, unit, check_ins)| {
            let mut k = json!({"id": id, "title": title, "start": start, "target": target, "check_ins": check_ins});
            if let Some(u) = unit {
                k["unit"] = json!(u);
            }
            k
        })
}

fn document() -> impl Strategy<Value = Value> {
    proptest::collection::vec(
        (id(), text(), proptest::option::of(text()), proptest::collection::vec(key_result(), 0..3)),
        0..3,
    )
    .prop_map(|objs| {
        let objectives: Vec<Value> = objs
            .into_iter()
            .enumerate()
            .map(|(i, (id, title, owner, krs))| {
                // IDs unique across the workspace.
                let krs: Vec<Value> = krs
                    .into_iter()
                    .enumerate()
                    .map(|(j, mut k)| {
                        k["id"] = json!(format!("{}-{i}-{j}", k["id"].as_str().unwrap_or("k")));
                        k
                    })
                    .collect();
                let mut o = json!({"id": format!("{id}-{i}"), "title": title, "period": "2026-Q3", "key_results": krs});
                if let Some(w) = owner {
                    o["owner"] = json!(w);
                }
                o
            })
            .collect();
        json!({"version": 1, "objectives": objectives})
    })
}

const HAND_WRITTEN: &str = "\
# Team OKRs -- reviewed every Monday
version: 1   # format version

objectives:
  # The big one for this quarter
  - id: brand
    title: Increase brand awareness   # keep it short
    owner: marketing
    period: 2026-Q3
    x-tracker: JIRA-12   # unknown key, must survive
    key_results:
      # visitors come from the web analytics
      - id: visitors
        title: Website visitors
        start: 100000
        target: 1000000
        unit: visitors
        check_ins:
          - {date: 2026-07-01, value: 200000}   # first week
          # latest so far
          - date: 2026-07-08
            value: 300000
            confidence: 0.6

      - id: followers    # social
        title: 10x social media followers
        target: 50000
        start: 5000
# trailing comment
";

/// A change a command could make.
#[derive(Debug, Clone)]
enum Op {
    CheckIn(usize, f64, Option<String>),
    Title(String),
    Owner(Option<String>),
    AddKr(String, f64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..2, number(), proptest::option::of(text()))
            .prop_map(|(k, v, n)| Op::CheckIn(k, v, n)),
        text().prop_map(Op::Title),
        proptest::option::of(text()).prop_map(Op::Owner),
        (text(), number()).prop_map(|(t, v)| Op::AddKr(t, v)),
    ]
}

fn apply(doc: &mut Document, op: &Op, n: usize) -> Result<(), String> {
    let o = &mut doc.objectives[0];
    match op {
        Op::CheckIn(k, v, note) => {
            let k = k % o.key_results.len();
            let mut c = json!({"date": "2026-08-01", "value": v});
            if let Some(n) = note {
                c["note"] = json!(n);
            }
            let c: CheckIn = serde_json::from_value(c).map_err(|e| e.to_string())?;
            o.key_results[k].check_ins.push(c);
        }
        Op::Title(t) => o.title = t.clone(),
        Op::Owner(w) => o.owner = w.clone(),
        Op::AddKr(t, v) => {
            let k = json!({"id": format!("added-{n}"), "title": t, "target": v + 1.0, "start": v});
            o.key_results
                .push(serde_json::from_value(k).map_err(|e| e.to_string())?);
        }
    }
    Ok(())
}

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].trim().to_string()))
        .collect()
}

/// 256 cases, or `PROPTEST_CASES` when set (mutation runs use fewer).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn any_model_written_to_a_new_file_loads_back_equal(v in document()) {
        let doc: Document = serde_json::from_value(v).expect("generated documents are valid");
        let path = PathBuf::from("new.yaml");
        let text = canonical(&doc).expect("a model serialises");
        let back = parse::parse(&path, &text).expect("what okr writes, okr reads");
        prop_assert_eq!(&back, &doc);
        // The same through the save path (verify included).
        let ws = Workspace { root: path.clone(), files: vec![WorkspaceFile::new(path, doc)], lock: None, read_only: false };
        prop_assert_eq!(ws.pending_writes().expect("a new file is written").len(), 1);
    }

    #[test]
    fn changes_to_a_hand_commented_file_keep_every_comment(ops in proptest::collection::vec(op(), 1..6)) {
        let path = Path::new("okrs.yaml");
        let mut text = HAND_WRITTEN.to_string();
        let before = comments(HAND_WRITTEN);
        for (n, op) in ops.iter().enumerate() {
            let mut ws = Workspace::from_texts(path, vec![(path.to_path_buf(), text.clone())])
                .expect("the file loads");
            let mut intended = ws.files[0].doc.clone();
            apply(&mut intended, op, n).expect("the change is valid");
            ws.files[0].doc = intended.clone();
            let pending = ws.pending_writes().expect("every change can be written");
            if let Some((_, new_text)) = pending.into_iter().next() {
                text = new_text;
            }
            let back = parse::parse(path, &text).expect("the new text loads");
            prop_assert_eq!(&back, &intended, "after {:?}", op);
        }
        // Every original comment, on a line of its own or after a value.
        for c in &before {
            prop_assert!(text.lines().any(|l| l.trim_end().ends_with(c.as_str())), "lost comment {:?} in\n{}", c, text);
        }
    }

    #[test]
    fn progress_is_within_bounds_and_attainment_finite(v in document(), today in 0u32..400) {
        let doc: Document = serde_json::from_value(v).expect("generated documents are valid");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date") + chrono::Days::new(u64::from(today));
        for o in &doc.objectives {
            let p = o.progress_as_of(Some(day));
            prop_assert!((0.0..=1.0).contains(&p), "objective progress {}", p);
            for k in &o.key_results {
                let kp = k.progress_as_of(Some(day));
                prop_assert!((0.0..=1.0).contains(&kp.progress), "{:?}", kp);
                prop_assert!(kp.attainment.is_finite(), "{:?} for {:?}", kp, k.measure);
            }
        }
    }
}

/// The extremes random search rarely hits: spans and distances beyond f64.
#[test]
fn attainment_is_finite_at_the_edges_of_f64() {
    use crate::model::{CheckValue, Measure, progress::attainment};
    for (start, target, v) in [
        (-1e308, 1e308, 1e308),
        (-1e308, 1e308, -1e308),
        (0.0, 5e-324, 1e308),
        (1e308, -1e308, -1e308),
        (0.0, 1.0, f64::MAX),
    ] {
        let m = Measure::Metric {
            start,
            target,
            unit: None,
        };
        let a = attainment(&m, CheckValue::Number(v));
        assert!(a.is_finite(), "{start} -> {target} at {v}: {a}");
    }
}
