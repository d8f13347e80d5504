//! The OKR method: periods, pace and status, the tree, grading and closing,
//! rollover, KPIs, initiatives and `okr check` (docs/method.md).

use crate::harness::Env;

/// A Q3 workspace whose numbers are easy to check by hand on 2026-08-15,
/// day 46 of the 92 days of 2026-Q3 (expected progress 0.5).
const PACE: &str = "\
version: 1
settings:
  default_period: 2026-Q3
objectives:
  - id: brand
    title: Increase brand awareness
    owner: marketing
    period: 2026-Q3
    key_results:
      - id: visitors
        title: Website visitors
        start: 0
        target: 100
        check_ins:
          - {date: 2026-08-10, value: 45}
      - id: followers
        title: Social followers
        start: 0
        target: 100
        check_ins:
          - {date: 2026-08-10, value: 30}
      - id: members
        title: Community members
        start: 0
        target: 100
        check_ins:
          - {date: 2026-08-10, value: 10}
      - id: quiet
        title: Quiet one
        start: 0
        target: 100
        check_ins:
          - {date: 2026-07-31, value: 60}
      - id: doubtful
        title: Doubtful one
        start: 0
        target: 100
        check_ins:
          - {date: 2026-08-10, value: 60, confidence: 0.2}
  - id: launch
    title: Launch the product
    owner: product
    period: 2026-Q3
    kind: committed
    key_results:
      - id: shipped
        title: Shipped
        milestone: true
        check_ins:
          - {date: 2026-08-01, value: done}
      - id: untouched
        title: Untouched
        start: 0
        target: 10
";

fn kr_status(v: &serde_json::Value, id: &str) -> String {
    for o in v["objectives"].as_array().unwrap() {
        for k in o["key_results"].as_array().unwrap() {
            if k["id"] == id {
                return k["status"].as_str().unwrap().to_string();
            }
        }
    }
    panic!("no {id}");
}

#[test]
fn list_shows_status_and_expected() {
    let env = Env::new();
    env.write("okrs.yaml", PACE);
    let v = env.json(&["list"]);
    let brand = &v["objectives"][0];
    assert_eq!(brand["expected"], 0.5);
    assert_eq!(brand["key_results"][0]["expected"], 0.5);
    assert_eq!(kr_status(&v, "visitors"), "on-track");
    assert_eq!(kr_status(&v, "followers"), "at-risk");
    assert_eq!(kr_status(&v, "members"), "off-track");
    assert_eq!(kr_status(&v, "quiet"), "stale");
    assert_eq!(kr_status(&v, "doubtful"), "off-track");
    assert_eq!(kr_status(&v, "shipped"), "done");
    assert_eq!(kr_status(&v, "untouched"), "not-started");
    // An objective is as bad as its worst key result.
    assert_eq!(brand["status"], "off-track");
    assert_eq!(v["objectives"][1]["status"], "not-started");
    let table = env.ok(&["list"]);
    assert!(table.contains("Status"), "{table}");
    assert!(table.contains("stale"), "{table}");
}

#[test]
fn list_filters_by_status() {
    let env = Env::new();
    env.write("okrs.yaml", PACE);
    let v = env.json(&["list", "--status", "off-track"]);
    let ids: Vec<&str> = v["objectives"][0]["key_results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["members", "doubtful"]);
    assert_eq!(v["objectives"].as_array().unwrap().len(), 1);
    let v = env.json(&["list", "--status", "done,stale"]);
    assert_eq!(v["objectives"].as_array().unwrap().len(), 2);
    env.fails(&["list", "--status", "green"], 2);
}

#[test]
fn show_has_status_and_expected() {
    let env = Env::new();
    env.write("okrs.yaml", PACE);
    let k = env.json(&["show", "followers"]);
    assert_eq!(k["status"], "at-risk");
    assert_eq!(k["expected"], 0.5);
    let o = env.json(&["show", "brand"]);
    assert_eq!(o["status"], "off-track");
    let text = env.ok(&["show", "followers"]);
    assert!(text.contains("status      at-risk"), "{text}");
    assert!(text.contains("expected    50%"), "{text}");
}

#[test]
fn thresholds_and_stale_interval_are_settings() {
    let env = Env::new();
    let text = PACE.replace(
        "  default_period: 2026-Q3\n",
        "  default_period: 2026-Q3\n  pace:\n    at_risk_gap: 0.3\n    off_track_gap: 0.45\n    stale_after_days: 30\n",
    );
    env.write("okrs.yaml", &text);
    let v = env.json(&["list"]);
    assert_eq!(kr_status(&v, "followers"), "on-track");
    assert_eq!(kr_status(&v, "members"), "at-risk");
    assert_eq!(kr_status(&v, "quiet"), "on-track");
}

#[test]
fn relative_periods_everywhere() {
    let env = Env::new();
    env.ok(&["init", "--period", "this-quarter"]);
    assert!(env.read("okrs.yaml").contains("default_period: 2026-Q3"));
    env.ok(&["add", "objective", "Now", "--id", "now"]);
    env.ok(&[
        "add",
        "objective",
        "Later",
        "--id",
        "later",
        "--period",
        "next-quarter",
    ]);
    env.ok(&[
        "add",
        "objective",
        "Before",
        "--id",
        "before",
        "--period",
        "last-quarter",
    ]);
    env.ok(&[
        "add",
        "objective",
        "Year",
        "--id",
        "year",
        "--period",
        "this-year",
    ]);
    let v = env.json(&["list", "--period", "next-quarter"]);
    assert_eq!(v["objectives"][0]["id"], "later");
    assert_eq!(v["objectives"][0]["period"], "2026-Q4");
    let v = env.json(&["list", "--period", "last-quarter"]);
    assert_eq!(v["objectives"][0]["period"], "2026-Q2");
    let v = env.json(&["list", "--period", "this-year"]);
    assert_eq!(v["objectives"][0]["id"], "year");
    assert_eq!(
        env.json(&["list", "--period", "last-year"])["objectives"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    env.ok(&["edit", "now", "--period", "next-quarter"]);
    assert_eq!(
        env.json(&["list", "--period", "2026-Q4"])["objectives"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    env.fails(&["list", "--period", "someday"], 2);
}

#[test]
fn fiscal_year_starting_in_february() {
    let env = Env::new();
    // 2026-08-15 with a February fiscal year: fiscal 2026-Q3 is Aug..Oct
    // (92 days), day 15 of it, so expected = 15/92.
    env.write(
        "okrs.yaml",
        "version: 1\nsettings:\n  fiscal_year_start: february\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        target: 100\n        check_ins:\n          - {date: 2026-08-14, value: 10}\n",
    );
    let v = env.json(&["list"]);
    let e = v["objectives"][0]["expected"].as_f64().unwrap();
    assert!((e - 15.0 / 92.0).abs() < 1e-9, "{e}");
    assert_eq!(kr_status(&v, "k"), "on-track");
    // In January 2027 this-quarter is fiscal 2026-Q4 (calendar: 2027-Q1).
    env.ok(&["add", "objective", "P", "--id", "p", "--period", "2026-Q4"]);
    let jan = env
        .okr()
        .args([
            "list",
            "--period",
            "this-quarter",
            "--format",
            "json",
            "--today",
            "2027-01-20",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&jan.stdout).unwrap();
    assert_eq!(v["objectives"][0]["id"], "p");
    assert_eq!(v["objectives"].as_array().unwrap().len(), 1);
    // init can set it.
    let env2 = Env::new();
    env2.ok(&[
        "init",
        "--period",
        "this-quarter",
        "--fiscal-year-start",
        "feb",
    ]);
    let text = env2.read("okrs.yaml");
    assert!(text.contains("fiscal_year_start: 2"), "{text}");
    assert!(text.contains("default_period: 2026-Q3"), "{text}");
}
