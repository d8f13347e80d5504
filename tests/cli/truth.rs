//! One truth: every command computes as of one date on the workspace's
//! fiscal calendar, so every number two commands both show is equal.
//!
//! The workspace below is made to trip every divergence there was: a fiscal
//! year starting in February (fiscal 2026-Q3 is August to October, not July
//! to September), check-ins written out of date order (back-dated), before
//! the period (out of period), and after today (future-dated), a milestone,
//! a threshold, graded key results, a child objective under a `blend`
//! roll-up, and a KPI whose only bad reading is in the future.

use serde_json::Value;

use crate::harness::Env;

const FISCAL: &str = "\
version: 1
settings:
  fiscal_year_start: february
  rollup: blend
objectives:
  - id: growth
    title: Grow the product
    owner: product
    level: company
    period: 2026-Q3
    kind: committed
    key_results:
      - id: visitors
        title: Website visitors
        start: 100000
        target: 1000000
        unit: visitors
        check_ins:
          - {date: 2026-08-10, value: 400000, confidence: 0.6}
          - {date: 2026-07-20, value: 300000, confidence: 0.9}
          - {date: 2026-08-05, value: 550000, confidence: 0.8}
          - {date: 2026-09-01, value: 5, confidence: 0.1}
      - id: nps
        title: Net promoter score
        start: -10
        target: 42
        check_ins:
          - {date: 2026-08-02, value: 10}
          - {date: 2026-08-12, value: 16, confidence: 0.7}
          - {date: 2026-08-30, value: 40}
      - id: launch
        title: Launch the app
        milestone: true
        check_ins:
          - {date: 2026-08-14, value: 0.5}
          - {date: 2026-08-20, value: done}
      - id: uptime
        title: API uptime
        at_least: 99.9
        unit: \"%\"
        check_ins:
          - {date: 2026-08-03, value: 99.95}
          - {date: 2026-08-10, value: 99.5}
          - {date: 2026-08-16, value: 99.99}
  - id: mobile
    title: Ship mobile
    owner: alice
    level: personal
    period: 2026-Q3
    parent: growth
    key_results:
      - id: installs
        title: App installs
        target: 1000
        check_ins:
          - {date: 2026-08-01, value: 100}
          - {date: 2026-08-11, value: 300}
          - {date: 2026-10-02, value: 900}
  - id: ops
    title: Calm operations
    owner: ops
    period: 2026-Q2
    key_results:
      - id: pages
        title: Pages per week
        start: 20
        target: 5
        weight: 3
        grade: 0.6
        check_ins:
          - {date: 2026-06-01, value: 12}
      - id: runbooks
        title: Runbooks written
        target: 10
        grade: 0.9
        check_ins:
          - {date: 2026-07-30, value: 9}
kpis:
  - id: p95
    title: API p95
    at_most: 200
    check_ins:
      - {date: 2026-08-10, value: 180}
      - {date: 2026-08-20, value: 250}
";

fn env() -> Env {
    let env = Env::new();
    env.write("okrs.yaml", FISCAL);
    env
}

/// The numbers a key result shows, by field name.
const KR_FIELDS: &[&str] = &[
    "current",
    "progress",
    "attainment",
    "confidence",
    "last_check_in",
    "status",
    "expected",
    "grade",
];
const OBJ_FIELDS: &[&str] = &["progress", "status", "expected", "grade"];

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-6,
        _ => a == b,
    }
}

fn assert_fields(what: &str, a: &Value, b: &Value, fields: &[&str]) {
    for f in fields {
        assert!(
            same(&a[f], &b[f]),
            "{what}: `{f}` differs: {} vs {}",
            a[f],
            b[f]
        );
    }
}

/// Objects by ID, in output order.
type ById = Vec<(String, Value)>;

/// Every objective and key result of a list/report JSON, by ID.
fn index(v: &Value) -> (ById, ById) {
    let mut objs = Vec::new();
    let mut krs = Vec::new();
    for o in v["objectives"].as_array().unwrap() {
        objs.push((o["id"].as_str().unwrap().to_string(), o.clone()));
        for k in o["key_results"].as_array().unwrap() {
            krs.push((k["id"].as_str().unwrap().to_string(), k.clone()));
        }
    }
    (objs, krs)
}

fn tree_nodes(n: &Value, out: &mut Vec<Value>) {
    out.push(n.clone());
    for c in n["children"].as_array().unwrap() {
        tree_nodes(c, out);
    }
}

fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(|c| c.trim_start_matches('\'').to_string()))
                .collect()
        })
        .collect()
}

/// A CSV cell as the JSON value it stands for.
fn csv_value(cell: &str) -> Value {
    if cell.is_empty() {
        return Value::Null;
    }
    match cell.parse::<f64>() {
        Ok(n) => serde_json::json!(n),
        Err(_) => Value::String(cell.to_string()),
    }
}

/// Runs every read command (with `extra` arguments such as `--as-of`) and
/// checks that each number two of them show is the same.
fn check_agreement(env: &Env, extra: &[&str]) -> Value {
    check_agreement_of(env, extra, (3, 7))
}

/// [`check_agreement`] for a workspace of `counts.0` objectives and
/// `counts.1` key results.
fn check_agreement_of(env: &Env, extra: &[&str], counts: (usize, usize)) -> Value {
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .chain(extra.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let run = |args: &[&str]| -> Value {
        let a = with(args);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        env.json(&a)
    };
    let list = run(&["list"]);
    let report = run(&["report"]);
    let (list_objs, list_krs) = index(&list);
    let (rep_objs, rep_krs) = index(&report);
    assert_eq!((list_objs.len(), list_krs.len()), counts);
    assert_eq!(list["as_of"], report["as_of"]);
    for ((id, l), (id2, r)) in list_objs.iter().zip(&rep_objs) {
        assert_eq!(id, id2);
        assert_fields(&format!("list vs report, objective {id}"), l, r, OBJ_FIELDS);
        let s = run(&["show", id]);
        assert_fields(&format!("list vs show, objective {id}"), l, &s, OBJ_FIELDS);
        for f in ["period_start", "period_end"] {
            assert_eq!(l[f], r[f]);
            assert_eq!(l[f], s[f]);
        }
        let a = with(&["show", id]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let table = env.ok(&a);
        let pct = format!("{:.0}%", l["progress"].as_f64().unwrap() * 100.0);
        let progress_line = table.lines().find(|x| x.contains("  progress ")).unwrap();
        assert!(
            progress_line.ends_with(&format!(" {pct}")),
            "{id}: {progress_line}"
        );
        assert!(
            table.contains(&format!(
                "  status      {}\n",
                l["status"].as_str().unwrap()
            )),
            "{id}: status not in\n{table}"
        );
    }
    for ((id, l), (_, r)) in list_krs.iter().zip(&rep_krs) {
        assert_fields(&format!("list vs report, {id}"), l, r, KR_FIELDS);
        let s = run(&["show", id]);
        assert_fields(&format!("list vs show, {id}"), l, &s, KR_FIELDS);
        assert_eq!(l["forecast"], s["forecast"], "{id}: forecast");
        assert_eq!(l["forecast"], r["forecast"], "{id}: forecast");
        assert_eq!(l["trend"], r["trend"], "{id}: trend");
        assert_eq!(l["check_ins"], r["check_ins"], "{id}: check-ins");
        let h = run(&["history", id]);
        assert_fields(&format!("list vs history, {id}"), l, &h, KR_FIELDS);
        assert_eq!(l["forecast"], h["forecast"], "{id}: forecast in history");
        assert_eq!(
            l["check_ins"].as_array().unwrap().len(),
            h["entries"].as_array().unwrap().len(),
            "{id}: history entries"
        );
    }
    // The tree: own progress and grade of every objective; status of leaves
    // (a parent's status is rolled up from its children by `blend`).
    let tree = run(&["tree"]);
    assert_eq!(tree["as_of"], list["as_of"]);
    let mut nodes = Vec::new();
    for r in tree["roots"].as_array().unwrap() {
        tree_nodes(r, &mut nodes);
    }
    assert_eq!(nodes.len(), counts.0);
    for n in &nodes {
        let (_, o) = list_objs.iter().find(|(id, _)| n["id"] == **id).unwrap();
        assert_fields(
            &format!("tree vs list, {}", n["id"]),
            n,
            o,
            &["progress", "grade"],
        );
        if n["children"].as_array().unwrap().is_empty() {
            assert_eq!(
                n["status"], o["status"],
                "tree vs list status of {}",
                n["id"]
            );
        }
    }
    // CSV: the same numbers, raw.
    let a = with(&["report", "--format", "csv"]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let report_csv = env.ok(&a);
    let rows = csv_rows(&report_csv);
    let l = with(&["list", "--format", "csv"]);
    let l: Vec<&str> = l.iter().map(String::as_str).collect();
    assert_eq!(env.ok(&l), report_csv, "list and report CSV differ");
    assert_eq!(rows.len(), counts.1);
    for row in &rows {
        let (_, k) = list_krs.iter().find(|(id, _)| row["kr_id"] == *id).unwrap();
        let (_, o) = list_objs
            .iter()
            .find(|(id, _)| row["objective_id"] == *id)
            .unwrap();
        for f in KR_FIELDS {
            assert!(
                same(&csv_value(&row[*f]), &k[f]),
                "csv vs json, {}: `{f}` {} vs {}",
                row["kr_id"],
                row[*f],
                k[f]
            );
        }
        for (c, f) in [
            ("objective_progress", "progress"),
            ("objective_status", "status"),
            ("objective_grade", "grade"),
        ] {
            assert!(same(&csv_value(&row[c]), &o[f]), "csv `{c}`: {}", row[c]);
        }
        assert!(same(
            &csv_value(&row["forecast_value"]),
            &k["forecast"]["value"]
        ));
    }
    // The list table shows the same status and whole percent per row.
    let a = with(&["list"]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let table = env.ok(&a);
    for (id, k) in &list_krs {
        let line = table
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row for {id} in\n{table}"));
        let pct = format!("{:.0}%", k["progress"].as_f64().unwrap() * 100.0);
        assert!(line.contains(&pct), "{id}: {pct} not in {line}");
        assert!(
            line.contains(k["status"].as_str().unwrap()),
            "{id}: {} not in {line}",
            k["status"]
        );
        // The history table of the same key result says the same.
        let a = with(&["history", id]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let h = env.ok(&a);
        assert!(
            h.contains(&format!("progress {pct}")),
            "{id}: {pct} not in\n{h}"
        );
        let status_line = h
            .lines()
            .find(|x| x.trim_start().starts_with("status "))
            .unwrap_or_else(|| panic!("{id}: no status line in\n{h}"));
        assert_eq!(
            status_line.split_whitespace().nth(1),
            k["status"].as_str(),
            "{id}: {status_line}"
        );
    }
    report
}

fn kr<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["key_results"].as_array().unwrap())
        .find(|k| k["id"] == id)
        .unwrap()
}

#[test]
fn every_command_agrees_today() {
    let env = env();
    let r = check_agreement(&env, &[]);
    assert_eq!(r["as_of"], "2026-08-15");
    // Future check-ins count nowhere: the latest by date up to today wins,
    // whatever the file order.
    let v = kr(&r, "visitors");
    assert_eq!(v["current"], 400000.0);
    assert_eq!(v["confidence"], 0.6);
    assert_eq!(v["check_ins"].as_array().unwrap().len(), 3);
    assert_eq!(kr(&r, "nps")["current"], 16.0);
    assert_eq!(kr(&r, "launch")["current"], 0.5);
    assert_eq!(kr(&r, "uptime")["progress"], 0.5);
    // The July check-in is before fiscal Q3 (August–October): no forecast
    // point, though it is a check-in on record.
    assert_eq!(v["forecast"]["points"], 2);
    // Expected progress on the fiscal calendar: 15 of 92 days.
    let g = &r["objectives"][0];
    assert_eq!(g["period_start"], "2026-08-01");
    assert_eq!(g["period_end"], "2026-10-31");
    assert!((g["expected"].as_f64().unwrap() - 15.0 / 92.0).abs() < 1e-12);
    // The graded objective carries its grade: (0.6·3 + 0.9) / 4.
    assert_eq!(r["objectives"][2]["grade"], 0.68);
    // The KPI's bad reading is in the future.
    assert_eq!(r["kpis_out_of_range"].as_array().unwrap().len(), 0);
}

#[test]
fn every_command_agrees_on_the_examples() {
    let env = Env::new();
    let dir = crate::harness::examples();
    let v = env.json(&["-f", dir.to_str().unwrap(), "list"]);
    let objectives = v["objectives"].as_array().unwrap();
    let krs: usize = objectives
        .iter()
        .map(|o| o["key_results"].as_array().unwrap().len())
        .sum();
    let counts = (objectives.len(), krs);
    for day in ["2026-10-20", "2026-11-20"] {
        check_agreement_of(&env, &["-f", dir.to_str().unwrap(), "--as-of", day], counts);
    }
}

#[test]
fn every_command_agrees_as_of_a_later_date() {
    let env = env();
    let r = check_agreement(&env, &["--as-of", "2026-09-05"]);
    assert_eq!(r["as_of"], "2026-09-05");
    assert_eq!(kr(&r, "visitors")["current"], 5.0);
    assert_eq!(kr(&r, "launch")["status"], "done");
    assert_eq!(r["kpis_out_of_range"][0]["id"], "p95");
    // And as of an earlier one.
    let r = check_agreement(&env, &["--as-of", "2026-08-06"]);
    assert_eq!(kr(&r, "visitors")["current"], 550000.0);
}

#[test]
fn later_check_ins_are_mentioned_on_stderr_only() {
    let env = env();
    let out = env.okr().args(["list"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("5 check-ins are dated after 2026-08-15 and not counted"),
        "{err}"
    );
    let out = env
        .okr()
        .args(["list", "--as-of", "2026-12-01"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("after today"), "{err}");
    assert!(!err.contains("not counted"), "{err}");
}

#[test]
fn future_check_in_is_refused_unless_forced() {
    let env = env();
    let before = env.read("okrs.yaml");
    let err = env.fails(
        &["check-in", "visitors", "600000", "--date", "2026-08-16"],
        2,
    );
    assert!(err.contains("after today"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(env.read("okrs.yaml"), before, "nothing written");
    let out = env
        .okr()
        .args([
            "check-in",
            "visitors",
            "600000",
            "--date",
            "2026-08-16",
            "--force",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("counts nowhere until that day"), "{err}");
    // Forced or not, it does not count today.
    assert_eq!(kr(&env.json(&["list"]), "visitors")["current"], 400000.0);
    // Today itself is fine.
    env.ok(&["check-in", "visitors", "610000", "--date", "2026-08-15"]);
    assert_eq!(kr(&env.json(&["list"]), "visitors")["current"], 610000.0);
}

#[test]
fn out_of_period_check_in_is_written_with_a_warning() {
    let env = env();
    // 2026-07-31 is in calendar Q3 but before fiscal Q3 (August–October).
    let out = env
        .okr()
        .args(["check-in", "visitors", "350000", "--date", "2026-07-31"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("outside the objective's period 2026-Q3 (2026-08-01 to 2026-10-31)"),
        "{err}"
    );
    assert!(env.read("okrs.yaml").contains("value: 350000"));
    // Inside the period: no warning.
    let out = env
        .okr()
        .args(["check-in", "visitors", "420000", "--date", "2026-08-14"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stderr).unwrap().contains("outside"));
}

#[test]
fn html_chart_follows_the_fiscal_calendar() {
    let env = env();
    let html = env.ok(&["report", "--format", "html", "--period", "2026-Q3"]);
    assert!(
        html.contains(">2026-08-01<"),
        "chart starts on the fiscal quarter"
    );
    assert!(
        html.contains(">2026-10-31<"),
        "chart ends on the fiscal quarter"
    );
    assert!(!html.contains(">2026-07-01<") && !html.contains(">2026-09-30<"));
    // The as-of line sits where its day falls in the period: 45 of the 91
    // days from 2026-08-01 to 2026-10-31, measured against the pace line,
    // which spans the whole period.
    let html = env.ok(&[
        "report",
        "--format",
        "html",
        "--period",
        "2026-Q3",
        "--as-of",
        "2026-09-15",
    ]);
    let x1_of = |title: &str| -> (f64, f64) {
        let end = html.find(title).unwrap_or_else(|| panic!("no {title}"));
        let line = &html[html[..end].rfind("<line").unwrap()..end];
        let attr = |name: &str| -> f64 {
            let at = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            line[at..at + line[at..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        (attr("x1"), attr("x2"))
    };
    let (left, right) = x1_of("<title>pace</title>");
    let (at, _) = x1_of("<title>2026-09-15</title>");
    let expected = left + 45.0 / 91.0 * (right - left);
    assert!(
        (at - expected).abs() < 0.2,
        "as-of line at {at}, expected {expected}"
    );
    // Every line and point of every chart stays inside its view box.
    for svg in html.split("<svg").skip(1) {
        let svg = &svg[..svg.find("</svg>").unwrap()];
        let vb = &svg[svg.find("viewBox=\"0 0 ").unwrap() + 13..];
        let dims: Vec<f64> = vb[..vb.find('"').unwrap()]
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        for (name, max) in [
            ("x1", dims[0]),
            ("x2", dims[0]),
            ("y1", dims[1]),
            ("y2", dims[1]),
        ] {
            for part in svg.split(&format!(" {name}=\"")).skip(1) {
                let v: f64 = part[..part.find('"').unwrap()].parse().unwrap();
                assert!((0.0..=max).contains(&v), "{name}={v} outside 0..{max}");
            }
        }
        for part in svg.split(" points=\"").skip(1) {
            for xy in part[..part.find('"').unwrap()].split(' ') {
                let (x, y) = xy.split_once(',').unwrap();
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                assert!(
                    x >= 0.0 && x <= dims[0] && y >= 0.0 && y <= dims[1],
                    "point {xy}"
                );
            }
        }
    }
}

#[test]
fn kpi_readings_after_today_count_nowhere() {
    let env = env();
    let k = &env.json(&["kpi", "list"])["kpis"][0];
    assert_eq!(k["current"], 180.0);
    assert_eq!(k["status"], "healthy");
    let r = env.json(&["report"]);
    assert!(r["kpis_out_of_range"].as_array().unwrap().is_empty());
    // Once that day has come, both say so.
    let k = &env.json(&["--today", "2026-08-20", "kpi", "list"])["kpis"][0];
    assert_eq!(k["status"], "unhealthy");
    let r = env.json(&["--today", "2026-08-20", "report"]);
    assert_eq!(r["kpis_out_of_range"][0]["value"], 250.0);
}

/// The colour code in front of the progress bar on the line of `id`.
fn bar_colour(out: &str, id: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.contains(&format!("{id} ")) || l.contains(&format!("({id})")))
        .unwrap_or_else(|| panic!("no line for {id}"));
    let bar = line.find('█').unwrap();
    let esc = line[..bar].rfind("\x1b[").unwrap();
    line[esc..bar].trim().to_string()
}

#[test]
fn a_bar_has_the_colour_of_its_status_everywhere() {
    let env = env();
    let coloured = |cmd: &str| {
        let out = env
            .okr()
            .env_remove("NO_COLOR")
            .args(["--color", "always", cmd])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let (list, report) = (coloured("list"), coloured("report"));
    // nps is on track at 50%: a green bar in both, never a yellow band.
    for id in ["nps", "uptime", "visitors", "pages"] {
        assert_eq!(
            bar_colour(&list, id),
            bar_colour(&report, id),
            "{id}: list and report colour its bar differently"
        );
    }
    assert_ne!(bar_colour(&list, "nps"), bar_colour(&list, "uptime"));
}

#[test]
fn a_grade_proposal_ignores_future_check_ins() {
    let env = env();
    // Fiscal Q3 runs to 2026-10-31; today is 2026-08-15. The proposal is the
    // progress list shows today (0.33), not that of the future value 5.
    env.ok(&["grade", "visitors"]);
    let k = kr(&env.json(&["list"]), "visitors").clone();
    assert_eq!(k["grade"], 0.33);
    assert!((k["progress"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    // Closing early grades the rest the same way.
    env.ok(&["close", "2026-Q3", "--force"]);
    let r = env.json(&["report"]);
    assert_eq!(kr(&r, "nps")["grade"], 0.5);
    assert_eq!(kr(&r, "launch")["grade"], 0.5);
}
