//! Micro-benchmarks of the hot paths: loading (parsing), progress and the
//! write path (splice and the general editor). `cargo bench --bench store`.
//! The end-to-end suite with anchors and ratios is bench/run.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use okr::model::{CheckIn, CheckValue};
use okr::store::{Workspace, parse};

fn main() {
    divan::main();
}

/// A team file: `objectives` × 4 key results × 13 weekly check-ins.
fn team(objectives: usize) -> String {
    let mut s = String::from("version: 1\nobjectives:\n");
    for o in 0..objectives {
        s.push_str(&format!(
            "  - id: o{o}\n    title: \"Grow the pipeline: phase {o} (#{o})\"\n    owner: team\n    period: 2026-Q3\n    key_results:\n"
        ));
        for k in 0..4 {
            s.push_str(&format!(
                "      - id: o{o}k{k}\n        title: Weekly active users\n        start: 100\n        target: 900\n        check_ins:\n"
            ));
            for c in 0..13 {
                s.push_str(&format!(
                    "          - date: 2026-07-{:02}\n            value: {}\n            confidence: 0.7\n            note: on track after the launch\n",
                    1 + c * 2,
                    100 + c * 50
                ));
            }
        }
    }
    s
}

#[divan::bench(args = [10, 100])]
fn load(bencher: divan::Bencher, objectives: usize) {
    let text = team(objectives);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| parse::parse(Path::new("okrs.yaml"), divan::black_box(&text)).unwrap());
}

#[divan::bench(args = [10, 100])]
fn progress(bencher: divan::Bencher, objectives: usize) {
    let doc = parse::parse(Path::new("okrs.yaml"), &team(objectives)).unwrap();
    bencher.bench(|| {
        doc.objectives
            .iter()
            .flat_map(|o| &o.key_results)
            .map(|k| k.progress().progress)
            .sum::<f64>()
    });
}

fn workspace(objectives: usize) -> Workspace {
    let texts: Vec<(PathBuf, String)> = vec![("okrs.yaml".into(), team(objectives))];
    Workspace::from_texts(Path::new("okrs.yaml"), texts).unwrap()
}

#[divan::bench(args = [10, 100])]
fn write_check_in(bencher: divan::Bencher, objectives: usize) {
    let mut ws = workspace(objectives);
    ws.files[0].doc.objectives[objectives / 2].key_results[2]
        .check_ins
        .push(CheckIn {
            date: NaiveDate::from_ymd_opt(2026, 8, 20).unwrap(),
            value: CheckValue::Number(700.0),
            confidence: Some(0.6),
            note: Some("spliced: #1".into()),
            author: None,
        });
    bencher.bench(|| ws.pending_writes().unwrap());
}

#[divan::bench(args = [10, 100])]
fn write_edit_title(bencher: divan::Bencher, objectives: usize) {
    let mut ws = workspace(objectives);
    ws.files[0].doc.objectives[objectives / 2].title = "A new title".into();
    bencher.bench(|| ws.pending_writes().unwrap());
}
