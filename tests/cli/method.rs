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

/// A workspace that breaks every rule of `okr check` once; each rule's
/// expected (line, rule) is listed in `BROKEN_EXPECT`.
const BROKEN: &str = "\
version: 1
settings:
  checks:
    no-such-rule: off
kpis:
  - id: uptime
    title: Uptime
    at_least: 99.9
  - id: broken-kpi
    title: No range
objectives:
  - id: empty
    title: No key results
    period: 2026-Q3
  - id: crowded
    title: Too many key results
    period: 2026-Q3
    kind: committed
    key_results:
      - {id: a1, title: A1, target: 10}
      - {id: a2, title: A2, target: 10}
      - {id: a3, title: A3, target: 10}
      - {id: a4, title: A4, target: 10}
      - {id: a5, title: A5, target: 10}
      - {id: a6, title: A6, target: 10}
  - id: asp
    title: Aspirational without stretch
    period: 2026-Q3
    parent: nowhere
    key_results:
      - id: no-target
        title: No target
        start: 5
      - id: same
        title: Same
        start: 5
        target: 5
      - id: conf
        title: Bad confidence
        target: 10
        kpi: missing-kpi
        check_ins:
          - date: 2026-08-01
            value: 3
            confidence: 1.5
          - date: 2026-06-01
            value: 2
          - date: 2026-09-01
            value: 4
        grade: 2
  - id: committed
    title: Committed with low confidence
    period: 2026-Q3
    kind: committed
    parent: cyc-a
    key_results:
      - id: low
        title: Low
        target: 10
        check_ins:
          - date: 2026-08-01
            value: 3
            confidence: 0.5
  - id: cyc-a
    title: Cycle A
    period: 2026-Q3
    parent: cyc-b
    kind: committed
    key_results:
      - {id: ca, title: CA, target: 1}
  - id: cyc-b
    title: Cycle B
    period: 2026-Q3
    parent: cyc-a
    kind: committed
    key_results:
      - {id: cb, title: CB, target: 1}
  - id: old
    title: Ended quarter
    period: 2026-Q2
    kind: committed
    parent: yearly
    key_results:
      - {id: ungraded-kr, title: Ungraded, target: 1}
      - {id: a1, title: Dup, target: 1}
  - id: yearly
    title: Year
    period: 2027
    kind: committed
    key_results:
      - {id: y1, title: Y1, target: 1}
";

const BROKEN_EXPECT: &[(usize, &str)] = &[
    (4, "warning[unknown-check]"),
    (9, "error[kpi-range]"),
    (12, "warning[no-key-results]"),
    (25, "warning[too-many-key-results]"),
    (26, "warning[aspirational-without-stretch]"),
    (29, "error[unknown-parent]"),
    (31, "error[metric-target]"),
    (37, "error[metric-target]"),
    (41, "error[unknown-kpi]"),
    (45, "error[confidence-range]"),
    (46, "warning[check-in-outside-period]"),
    (48, "error[check-in-future]"),
    (50, "error[grade-range]"),
    (51, "warning[too-few-key-results]"),
    (63, "warning[committed-low-confidence]"),
    (64, "warning[too-few-key-results]"),
    (67, "error[parent-cycle]"),
    (71, "warning[too-few-key-results]"),
    (74, "error[parent-cycle]"),
    (82, "error[parent-period]"),
    (84, "warning[ungraded]"),
    (85, "error[duplicate-id]"),
    (85, "warning[ungraded]"),
    (86, "warning[too-few-key-results]"),
    (172, "warning[too-many-objectives]"),
];

fn broken() -> String {
    let mut s = BROKEN.to_string();
    for i in 1..=11 {
        s.push_str(&format!(
            "  - id: many-{i}\n    title: Many {i}\n    owner: busy\n    period: 2026-Q4\n    kind: committed\n    key_results:\n      - {{id: m{i}, title: M{i}, target: 1}}\n      - {{id: n{i}, title: N{i}, target: 1}}\n"
        ));
    }
    s
}

fn check_output(env: &Env, args: &[&str]) -> (Option<i32>, String, String) {
    let out = env.okr().arg("check").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn check_finds_every_rule_with_its_line() {
    let env = Env::new();
    env.write("okrs.yaml", &broken());
    let (code, out, err) = check_output(&env, &[]);
    assert_eq!(code, Some(1), "{out}{err}");
    let found: Vec<(usize, String)> = out
        .lines()
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            assert_eq!(parts.next(), Some("okrs.yaml"), "{l}");
            let line: usize = parts.next().unwrap().parse().unwrap();
            let _col: usize = parts.next().unwrap().parse().unwrap();
            let sev = parts
                .next()
                .unwrap()
                .trim()
                .split(':')
                .next()
                .unwrap()
                .to_string();
            (line, sev)
        })
        .collect();
    let expected: Vec<(usize, String)> = BROKEN_EXPECT
        .iter()
        .map(|(l, s)| (*l, s.to_string()))
        .collect();
    assert_eq!(found, expected, "{out}");
    assert!(
        out.contains("okrs.yaml:45:25: error[confidence-range]: "),
        "{out}"
    );
    assert!(err.contains("12 errors, 13 warnings"), "{err}");
}

#[test]
fn check_json_and_rule_settings() {
    let env = Env::new();
    env.write("okrs.yaml", &broken());
    let out = env
        .okr()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 12);
    assert_eq!(v["warnings"], 13);
    let f = &v["findings"][0];
    assert_eq!(f["file"], "okrs.yaml");
    assert_eq!(f["line"], 4);
    assert_eq!(f["rule"], "unknown-check");
    assert_eq!(f["severity"], "warning");
    // Every rule can be switched off, or made an error.
    let off = broken().replace(
        "    no-such-rule: off\n",
        "    duplicate-id: off\n    ungraded: false\n    no-key-results: error\n",
    );
    env.write("okrs.yaml", &off);
    let (_, out, _) = check_output(&env, &[]);
    assert!(!out.contains("duplicate-id"), "{out}");
    assert!(!out.contains("ungraded"), "{out}");
    assert!(
        out.contains("okrs.yaml:14:9: error[no-key-results]"),
        "{out}"
    );
}

#[test]
fn check_exit_codes() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - {id: k, title: K, target: 10, stretch: true}\n      - {id: k2, title: K2, target: 5}\n",
    );
    let (code, out, err) = check_output(&env, &["--strict"]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    assert!(err.contains("no problems"), "{err}");
    // Warnings only: 0, or 3 with --strict.
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n",
    );
    let (code, out, _) = check_output(&env, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "okrs.yaml:3:9: warning[no-key-results]: objective `o` has no key results: how will you measure it?\n"
    );
    let (code, _, _) = check_output(&env, &["--strict"]);
    assert_eq!(code, Some(3));
    // A file that cannot be read is an error at its line; other files are still checked.
    env.write("okrs.yaml", "version: 1\nobjectives: [\n");
    let (code, out, _) = check_output(&env, &[]);
    assert_eq!(code, Some(1));
    assert!(out.starts_with("okrs.yaml:"), "{out}");
    assert!(out.contains("error[parse]"), "{out}");
}

#[test]
fn check_works_across_files_and_is_silent_on_the_examples() {
    let env = Env::new();
    env.write(
        "okrs/company.yaml",
        "version: 1\nobjectives:\n  - id: c\n    title: C\n    level: company\n    period: 2026\n    key_results:\n      - {id: ck, title: CK, target: 1, stretch: true}\n      - {id: ck2, title: CK2, target: 1}\n",
    );
    env.write(
        "okrs/team.yaml",
        "version: 1\nobjectives:\n  - id: t\n    title: T\n    period: 2026-Q3\n    parent: c\n    key_results:\n      - {id: ck, title: Dup, target: 1, stretch: true}\n      - {id: tk2, title: TK2, target: 1}\n",
    );
    let (code, out, _) = check_output(&env, &[]);
    assert_eq!(code, Some(1));
    // A quarter may align to its year; the duplicate ID is found across files.
    assert_eq!(
        out.trim(),
        format!(
            "{}:8:14: error[duplicate-id]: ID `ck` is used more than once",
            std::path::Path::new("okrs").join("team.yaml").display()
        )
    );
    let ex = crate::harness::examples();
    let out = env
        .okr()
        .args(["--today", "2026-11-27", "check", "--strict", "-f"])
        .arg(&ex)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Company → team → personal, for the tree, close and rollover.
const CHAIN: &str = "\
version: 1
settings:
  default_period: 2026-Q3
objectives:
  - id: carbon
    title: Smallest carbon footprint
    level: company
    owner: acme
    period: 2026-Q3
    kind: committed
    key_results:
      - id: zero-waste
        title: Zero-waste supply chain
        target: 100
        check_ins:
          - {date: 2026-08-10, value: 20}
  - id: logistics
    title: Greener logistics
    owner: ops
    period: 2026-Q3
    parent: carbon
    key_results:
      - id: vans
        title: Electric vans
        target: 50
        stretch: true
        check_ins:
          - {date: 2026-08-10, value: 30}
      - id: routes
        title: Shorter routes
        start: 300
        target: 150
        unit: km
        check_ins:
          - {date: 2026-08-10, value: 180}
  - id: bike
    title: Bike to work
    level: personal
    owner: dana
    period: 2026-Q3
    parent: logistics
    key_results:
      - id: days
        title: Days biked
        target: 40
        stretch: true
        check_ins:
          - {date: 2026-08-10, value: 40}
";

#[test]
fn tree_shows_the_chain_with_rollups() {
    let env = Env::new();
    env.write("okrs.yaml", CHAIN);
    let out = env.ok(&["tree"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("carbon  Smallest carbon footprint  [company acme, 2026-Q3]  20%  off-track  (children 70%)"), "{out}");
    assert!(
        lines[1].starts_with(
            "└── logistics  Greener logistics  [team ops, 2026-Q3]  70%  on-track  (children 100%)"
        ),
        "{out}"
    );
    assert!(
        lines[2].starts_with("    └── bike  Bike to work  [personal dana, 2026-Q3]  100%  done"),
        "{out}"
    );
    let v = env.json(&["tree"]);
    assert_eq!(v["rollup"], "own");
    let c = &v["roots"][0];
    assert_eq!(c["progress"], 0.2);
    assert_eq!(c["rolled_up"], 0.2);
    assert_eq!(c["children_progress"], 0.7);
    assert_eq!(c["children"][0]["children"][0]["id"], "bike");
    // Other rules are settings.
    env.write(
        "okrs.yaml",
        &CHAIN.replace("  default_period: 2026-Q3\n", "  rollup: children\n"),
    );
    let v = env.json(&["tree"]);
    // logistics takes bike (1.0); carbon takes logistics.
    assert_eq!(v["roots"][0]["rolled_up"], 1.0);
    env.write(
        "okrs.yaml",
        &CHAIN.replace("  default_period: 2026-Q3\n", "  rollup: blend\n"),
    );
    let v = env.json(&["tree"]);
    // logistics = mean(0.6, 0.8, 1.0) = 0.8; carbon = mean(0.2, 0.8) = 0.5.
    let l = v["roots"][0]["children"][0]["rolled_up"].as_f64().unwrap();
    assert!((l - 0.8).abs() < 1e-9, "{l}");
    let c = v["roots"][0]["rolled_up"].as_f64().unwrap();
    assert!((c - 0.5).abs() < 1e-9, "{c}");
    // --period keeps only that period.
    assert_eq!(
        env.json(&["tree", "--period", "next-quarter"])["roots"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn grade_then_close_prints_the_scorecard() {
    let env = Env::new();
    env.write("okrs.yaml", CHAIN);
    env.ok(&["grade", "vans", "0.9", "--note", "vans arrived early"]);
    env.fails(&["grade", "vans", "1.5"], 2);
    env.fails(&["grade", "logistics", "0.5"], 1);
    // Without a score: the progress at the period's end.
    env.ok(&["grade", "routes"]);
    let text = env.read("okrs.yaml");
    assert!(
        text.contains("        grade: 0.9\n        grade_note: vans arrived early\n"),
        "{text}"
    );
    assert!(text.contains("        grade: 0.8\n"), "{text}");
    let out = env.ok(&["--today", "2026-10-02", "close", "2026-Q3"]);
    let committed = out.find("Committed").unwrap();
    let aspirational = out.find("Aspirational").unwrap();
    assert!(committed < aspirational);
    let (c, a) = out.split_at(aspirational);
    assert!(
        c.contains("carbon") && c.contains("0.20  red") && c.contains("miss"),
        "{out}"
    );
    assert!(!c.contains("logistics"), "{out}");
    assert!(
        a.contains("logistics") && a.contains("0.85  green"),
        "{out}"
    );
    assert!(a.contains("bike") && a.contains("1.00  green"), "{out}");
    // Average aspirational (0.85 + 1.0) / 2 = 0.925 > 0.85.
    assert!(out.contains("targets may be too timid"), "{out}");
    let text = env.read("okrs.yaml");
    assert!(
        text.contains("  closed:\n  - 2026-Q3\n") || text.contains("  closed:\n    - 2026-Q3\n"),
        "{text}"
    );
    assert!(text.contains("        grade: 0.2\n"), "{text}");
    // Closed periods are read-only.
    let err = env.fails(&["check-in", "vans", "45"], 1);
    assert!(err.contains("closed"), "{err}");
    env.fails(&["grade", "vans", "0.5"], 1);
    env.fails(&["edit", "vans", "--title", "X"], 1);
    env.fails(&["--today", "2026-10-02", "close", "2026-Q3"], 1);
    env.ok(&["check-in", "vans", "45", "--force"]);
    let v = env.json(&["--today", "2026-10-02", "close", "2026-Q3", "--force"]);
    assert_eq!(v["committed"]["objectives"][0]["id"], "carbon");
    assert_eq!(v["committed"]["objectives"][0]["miss"], true);
    assert_eq!(v["aspirational"]["average"], 0.925);
    assert_eq!(v["too_timid"], true);
}

#[test]
fn close_runs_without_a_terminal_and_is_not_timid_at_seventy() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q2\n    key_results:\n      - id: k\n        title: K\n        target: 10\n        stretch: true\n        check_ins:\n          - {date: 2026-06-20, value: 7}\n          - {date: 2026-07-20, value: 10}\n",
    );
    let out = env
        .okr()
        .args(["close", "last-quarter"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    // The July check-in is after the period: the grade is 0.7.
    assert!(s.contains("0.70  green  success"), "{s}");
    assert!(!s.contains("timid"), "{s}");
}

#[test]
fn rollover_copies_exactly_the_unfinished_work() {
    let env = Env::new();
    env.write("okrs.yaml", CHAIN);
    let out = env.ok(&["rollover", "2026-Q3", "2026-Q4"]);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    let pairs: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[1])).collect();
    assert_eq!(
        pairs,
        [
            ("carbon", "carbon-2026-q4"),
            ("zero-waste", "zero-waste-2026-q4"),
            ("logistics", "logistics-2026-q4"),
            ("vans", "vans-2026-q4"),
            ("routes", "routes-2026-q4"),
        ]
    );
    let v = env.json(&["show", "logistics-2026-q4"]);
    assert_eq!(v["period"], "2026-Q4");
    assert_eq!(v["parent"], "carbon-2026-q4");
    assert_eq!(v["title"], "Greener logistics");
    let routes = &v["key_results"][1];
    assert_eq!(routes["start"], 180.0);
    assert_eq!(routes["target"], 150.0);
    assert_eq!(routes["unit"], "km");
    assert_eq!(routes["check_ins"].as_array().unwrap().len(), 0);
    assert_eq!(v["key_results"][0]["stretch"], true);
    let text = env.read("okrs.yaml");
    assert!(text.contains("rolled_from: logistics"), "{text}");
    assert!(text.contains("rolled_from: vans"), "{text}");
    // Bike was done: not copied. Running again copies nothing.
    assert!(!text.contains("bike-2026-q4"), "{text}");
    assert_eq!(env.ok(&["rollover", "2026-Q3", "2026-Q4"]), "");
    let (code, out, _) = check_output(&env, &[]);
    assert!(!out.contains("parent"), "{out}");
    let _ = code;
}

#[test]
fn kpis_have_healthy_ranges_and_inform_their_key_results() {
    let env = Env::new();
    env.write("okrs.yaml", CHAIN);
    assert_eq!(
        env.ok(&[
            "kpi",
            "add",
            "API p95",
            "--at-most",
            "200",
            "--unit",
            "ms",
            "--owner",
            "platform"
        ])
        .trim(),
        "api-p95"
    );
    env.ok(&[
        "kpi",
        "add",
        "Uptime",
        "--at-least",
        "99.9",
        "--id",
        "uptime",
    ]);
    env.ok(&[
        "kpi",
        "add",
        "Team size",
        "--at-least",
        "4",
        "--at-most",
        "9",
    ]);
    env.fails(&["kpi", "add", "No range"], 2);
    env.fails(
        &[
            "kpi",
            "add",
            "Inverted",
            "--at-least",
            "9",
            "--at-most",
            "4",
        ],
        2,
    );
    let k = env.ok(&[
        "add",
        "kr",
        "logistics",
        "Faster API",
        "--start",
        "300",
        "--target",
        "150",
        "--kpi",
        "api-p95",
    ]);
    env.fails(
        &[
            "add",
            "kr",
            "logistics",
            "X",
            "--target",
            "1",
            "--kpi",
            "nope",
        ],
        1,
    );
    env.ok(&["kpi", "check-in", "api-p95", "180", "--date", "2026-08-14"]);
    env.ok(&["kpi", "check-in", "uptime", "99.5"]);
    let v = env.json(&["kpi", "list"]);
    let kpis = v["kpis"].as_array().unwrap();
    assert_eq!(kpis[0]["status"], "healthy");
    assert_eq!(kpis[0]["current"], 180.0);
    assert_eq!(kpis[0]["key_results"][0], k.trim());
    assert_eq!(kpis[1]["status"], "unhealthy");
    assert_eq!(kpis[2]["status"], "no-data");
    // The KR got the KPI's value: (180 − 300) / (150 − 300) = 0.8.
    let kr = env.json(&["show", k.trim()]);
    assert_eq!(kr["current"], 180.0);
    assert!((kr["progress"].as_f64().unwrap() - 0.8).abs() < 1e-9);
    assert_eq!(kr["kpi"], "api-p95");
    let table = env.ok(&["kpi", "list"]);
    assert!(table.contains("at most 200 ms"), "{table}");
    assert!(table.contains("unhealthy"), "{table}");
    let text = env.read("okrs.yaml");
    assert!(text.contains("kpis:"), "{text}");
    let (_, out, _) = check_output(&env, &[]);
    assert!(!out.contains("kpi"), "{out}");
}

#[test]
fn initiatives_are_linked_and_listed() {
    let env = Env::new();
    env.write("okrs.yaml", CHAIN);
    let id = env.ok(&[
        "initiative",
        "add",
        "vans",
        "Lease ten vans",
        "--link",
        "https://example.com/issues/42",
        "--owner",
        "sam",
    ]);
    assert_eq!(id.trim(), "lease-ten-vans");
    env.ok(&[
        "initiative",
        "add",
        "vans",
        "Install chargers",
        "--link",
        "OPS-7",
    ]);
    env.ok(&["initiative", "done", "lease"]);
    env.fails(&["initiative", "done", "nothing-like-it"], 1);
    let v = env.json(&["show", "vans"]);
    let inits = v["initiatives"].as_array().unwrap();
    assert_eq!(inits[0]["status"], "done");
    assert_eq!(inits[0]["link"], "https://example.com/issues/42");
    assert_eq!(inits[1]["status"], "todo");
    let text = env.ok(&["show", "logistics"]);
    assert!(text.contains("Initiatives"), "{text}");
    assert!(
        text.contains("Install chargers") && text.contains("OPS-7"),
        "{text}"
    );
    let file = env.read("okrs.yaml");
    assert!(file.contains("initiatives:"), "{file}");
    assert!(file.contains("status: done"), "{file}");
}

#[test]
fn threshold_key_results() {
    let env = Env::new();
    env.write("okrs.yaml", CHAIN);
    let k = env.ok(&[
        "add",
        "kr",
        "logistics",
        "Fleet uptime",
        "--at-least",
        "99",
        "--unit",
        "%",
    ]);
    let rt = env.ok(&[
        "add",
        "kr",
        "logistics",
        "Dispatch time",
        "--at-most",
        "200",
        "--unit",
        "ms",
    ]);
    for (v, date) in [
        ("99.5", "2026-08-01"),
        ("98", "2026-08-08"),
        ("99", "2026-08-12"),
    ] {
        env.ok(&["check-in", k.trim(), v, "--date", date]);
    }
    env.ok(&["check-in", rt.trim(), "250", "--date", "2026-08-12"]);
    let v = env.json(&["show", k.trim()]);
    assert_eq!(v["kind"], "threshold");
    assert_eq!(v["direction"], "at-least");
    assert_eq!(v["target"], 99.0);
    assert!(v["start"].is_null());
    // 2 of 3 check-ins at or above 99%.
    assert!((v["progress"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(v["status"], "off-track");
    let r = env.json(&["show", rt.trim()]);
    assert_eq!(r["progress"], 0.0);
    let text = env.read("okrs.yaml");
    assert!(text.contains("at_least: 99\n"), "{text}");
    assert!(text.contains("at_most: 200\n"), "{text}");
    let shown = env.ok(&["show", k.trim()]);
    assert!(shown.contains("99 / ≥ 99%"), "{shown}");
    assert!(shown.contains("kind        threshold"), "{shown}");
    assert!(shown.contains("stay        at least 99"), "{shown}");
    env.fails(
        &[
            "add",
            "kr",
            "logistics",
            "Both",
            "--at-least",
            "1",
            "--at-most",
            "2",
        ],
        2,
    );
}
