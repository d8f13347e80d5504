//! The JSON contract: snapshots of the JSON every command prints for the
//! shipped examples, and a walk over every key of it against the field
//! reference in docs/reports.md ("JSON fields"). Adding, renaming or
//! dropping a field fails here until the snapshot is reviewed
//! (`cargo insta review`, or `INSTA_UPDATE=always`) and the document says
//! what the field is.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::{Env, examples};

/// A day inside the examples' period (2026-Q4), so check-ins count.
const DAY: &str = "2026-11-20";

/// (snapshot name, root object in the docs, arguments).
const OUTPUTS: &[(&str, &str, &[&str])] = &[
    ("list", "list", &["list"]),
    ("show_objective", "objective", &["show", "carbon-footprint"]),
    ("show_key_result", "key result", &["show", "zero-waste"]),
    ("show_threshold", "key result", &["show", "uptime"]),
    ("tree", "tree", &["tree"]),
    ("report", "report", &["report"]),
    ("history", "history", &["history", "zero-waste"]),
    ("show_kpi", "kpi show", &["show", "api-p95"]),
    (
        "show_initiative",
        "initiative show",
        &["show", "onboarding-tour"],
    ),
    ("kpi_list", "kpi list", &["kpi", "list"]),
];

fn run(env: &Env, args: &[&str]) -> String {
    let dir = examples();
    let mut a = vec!["-f", dir.to_str().unwrap(), "--today", DAY];
    a.extend_from_slice(args);
    a.extend(["--format", "json"]);
    env.ok(&a)
}

#[test]
fn json_of_the_examples_matches_the_snapshots() {
    let env = Env::new();
    for (name, _, args) in OUTPUTS {
        insta::assert_snapshot!(*name, run(&env, args));
    }
}

/// docs/reports.md, section "JSON fields": object name -> field -> type.
fn documented() -> BTreeMap<String, BTreeMap<String, String>> {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reports.md"),
    )
    .unwrap();
    let section = doc
        .split("\n## JSON fields\n")
        .nth(1)
        .expect("docs/reports.md has a `## JSON fields` section");
    let section = section.split("\n## ").next().unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in section.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            current = Some(h.trim().to_string());
            out.entry(h.trim().to_string()).or_default();
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if let (Some(obj), [_, field, ty, ..]) = (&current, cells.as_slice())
            && let Some(f) = field.strip_prefix('`').and_then(|f| f.strip_suffix('`'))
        {
            let prev = out
                .get_mut(obj)
                .unwrap()
                .insert(f.to_string(), ty.to_string());
            assert!(prev.is_none(), "`{f}` documented twice in {obj}");
        }
    }
    out
}

/// Checks `v` against documented type `ty`, descending into objects.
fn check(
    docs: &BTreeMap<String, BTreeMap<String, String>>,
    path: &str,
    ty: &str,
    v: &Value,
    seen: &mut BTreeMap<String, usize>,
) {
    if let Some(inner) = ty.strip_suffix(" or null") {
        if !v.is_null() {
            check(docs, path, inner, v, seen);
        }
        return;
    }
    if let Some(inner) = ty.strip_prefix("array of ") {
        let items = v
            .as_array()
            .unwrap_or_else(|| panic!("{path}: {v} is not an array"));
        for (i, item) in items.iter().enumerate() {
            check(docs, &format!("{path}[{i}]"), inner, item, seen);
        }
        return;
    }
    let ok = match ty {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        "boolean" => v.is_boolean(),
        "date" => v.as_str().is_some_and(|s| {
            s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        }),
        "value" => v.is_number() || v == "done" || v == "todo",
        "map of integer" => v
            .as_object()
            .is_some_and(|m| m.values().all(|x| x.is_u64())),
        object => {
            let fields = docs
                .get(object)
                .unwrap_or_else(|| panic!("{path}: type `{object}` is not documented"));
            let map = v
                .as_object()
                .unwrap_or_else(|| panic!("{path}: {v} is not a `{object}` object"));
            *seen.entry(object.to_string()).or_default() += 1;
            for (k, x) in map {
                let t = fields.get(k).unwrap_or_else(|| {
                    panic!("{path}.{k}: field `{k}` of `{object}` is not in docs/reports.md")
                });
                check(docs, &format!("{path}.{k}"), t, x, seen);
            }
            for f in fields.keys() {
                assert!(
                    map.contains_key(f),
                    "{path}: documented field `{f}` of `{object}` is missing (use null)"
                );
            }
            true
        }
    };
    assert!(ok, "{path}: {v} is not a {ty}");
}

#[test]
fn every_json_field_is_documented() {
    let docs = documented();
    let env = Env::new();
    let mut seen = BTreeMap::new();
    for (name, root, args) in OUTPUTS {
        let v: Value = serde_json::from_str(&run(&env, args)).unwrap();
        check(&docs, name, root, &v, &mut seen);
    }
    // With a fiscal year and grades, the nullable fields are filled too.
    let fiscal = Env::new();
    fiscal.write(
        "okrs.yaml",
        "version: 1\nsettings: {fiscal_year_start: 3}\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q2\n    description: why\n    key_results:\n      - id: k\n        title: K\n        target: 10\n        grade: 0.5\n        grade_note: fine\n        check_ins:\n          - {date: 2026-06-02, value: 2, confidence: 0.5, note: n, author: a}\n          - {date: 2026-07-02, value: 4}\n        initiatives:\n          - {id: i, title: I, link: https://example.com, owner: b}\n",
    );
    for (root, args) in [
        ("list", &["list"][..]),
        ("report", &["report", "--owner", "x"][..]),
        ("history", &["history", "k"][..]),
        ("tree", &["tree"][..]),
    ] {
        let v = fiscal.json(args);
        check(&docs, root, root, &v, &mut seen);
    }
    // Every documented object was met at least once.
    for object in docs.keys() {
        assert!(
            seen.contains_key(object),
            "no output exercised `{object}`; the walk would miss its fields"
        );
    }
}
