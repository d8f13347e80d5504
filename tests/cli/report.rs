//! Reports, history and forecasts: `okr report`, `okr history`, `show`'s forecast.

use serde_json::Value;

use crate::harness::Env;

/// A workspace built for these tests, today 2026-08-15 (harness):
/// - `visitors` grows exactly 10,000 a day from 100,000 on 1 July, so its
///   forecast for 30 September (day 91) is exactly its target 1,010,000;
/// - `churn` runs downwards (10% → 5%) and has one check-in (no forecast);
/// - `launch` is a milestone; `ship` is a committed objective of `product`.
const WORKSPACE: &str = r#"version: 1
settings:
  default_period: 2026-Q3
objectives:
  - id: brand
    title: "Increase brand awareness, \"fast\""
    owner: marketing
    level: team
    period: 2026-Q3
    key_results:
      - id: visitors
        title: Website visitors
        start: 100000
        target: 1010000
        unit: visitors
        check_ins:
          - date: 2026-07-01
            value: 100000
            confidence: 0.5
          - date: 2026-07-11
            value: 200000
            confidence: 0.6
            note: "=HYPERLINK(\"http://example.invalid\")"
          - date: 2026-08-11
            value: 510000
            confidence: 0.8
            note: campaign launched
      - id: churn
        title: "-Customer churn"
        owner: "@support"
        start: 10
        target: 5
        unit: "%"
        check_ins:
          - date: 2026-08-01
            value: 9
  - id: ship
    title: Launch the product
    owner: product
    level: company
    period: 2026-Q3
    kind: committed
    key_results:
      - id: launch
        title: Public launch
        milestone: true
        check_ins:
          - date: 2026-07-15
            value: 0.25
          - date: 2026-08-10
            value: 0.5
"#;

fn env() -> Env {
    let env = Env::new();
    env.write("okrs.yaml", WORKSPACE);
    env
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

fn kr<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["key_results"].as_array().unwrap())
        .find(|k| k["id"] == id)
        .unwrap_or_else(|| panic!("no key result {id}"))
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn parse_csv(text: &str) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV"))
        .collect()
}

#[test]
fn json_report_has_the_documented_fields() {
    let env = env();
    let r = env.json(&["report"]);
    assert_eq!(r["version"], 1);
    assert_eq!(r["kind"], "report");
    assert_eq!(r["as_of"], "2026-08-15");
    for f in ["period", "owner", "level", "status"] {
        assert!(r["filters"][f].is_null(), "{f}");
    }
    let s = &r["summary"];
    assert_eq!(s["objectives"], 2);
    assert_eq!(s["key_results"], 3);
    assert_eq!(s["committed"]["objectives"], 1);
    assert_eq!(s["aspirational"]["objectives"], 1);
    assert_eq!(s["aspirational"]["key_results"], 2);
    assert_eq!(s["forecast_reaching_target"], 1);
    assert_eq!(s["forecast_short_of_target"], 1);
    assert_eq!(s["without_forecast"], 1);
    assert!(s["objectives_by_status"].is_object());
    assert!(s["key_results_by_status"].is_object());
    // visitors 410000/910000, churn 1/5: objective (0.4505 + 0.2) / 2.
    let brand = &r["objectives"][0];
    assert!(close(
        brand["progress"].as_f64().unwrap(),
        (41.0 / 91.0 + 0.2) / 2.0
    ));
    let avg = (brand["progress"].as_f64().unwrap() + 0.5) / 2.0;
    assert!(close(s["average_progress"].as_f64().unwrap(), avg));
    assert!(r["kpis_out_of_range"].is_array());

    // The objects are the `okr list --format json` objects, plus fields.
    let list = env.json(&["list"]);
    let list_keys: Vec<&String> = list["objectives"][0]["key_results"][0]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let report_kr = kr(&r, "visitors");
    for k in list_keys {
        assert!(report_kr.get(k).is_some(), "report KR lacks `{k}`");
    }
    assert_eq!(report_kr["current"], 510000.0);
    assert_eq!(report_kr["trend"]["previous_date"], "2026-07-11");
    assert_eq!(report_kr["trend"]["delta"], 310000.0);
    assert_eq!(report_kr["trend"]["direction"], "improving");
    let f = &report_kr["forecast"];
    assert_eq!(f["available"], true);
    assert_eq!(f["method"], "least-squares");
    assert_eq!(f["at"], "2026-09-30");
    assert_eq!(f["points"], 3);
    assert!(close(f["value"].as_f64().unwrap(), 1_010_000.0));
    assert!(close(f["progress"].as_f64().unwrap(), 1.0));
    assert_eq!(f["reaches_target"], true);
    assert!(close(f["slope_per_day"].as_f64().unwrap(), 10_000.0));
    let churn = kr(&r, "churn");
    assert!(churn["trend"].is_null());
    assert_eq!(churn["forecast"]["available"], false);
    assert!(churn["forecast"]["value"].is_null());
    assert!(
        churn["forecast"]["reason"]
            .as_str()
            .unwrap()
            .contains("fewer than two check-ins")
    );
    assert_eq!(churn["owner"], "@support");
}

#[test]
fn forecast_of_a_linear_series_hits_its_end_value() {
    let env = env();
    // In `show` (JSON and table) and in `list --format json`.
    let k = env.json(&["show", "visitors"]);
    assert!(close(k["forecast"]["value"].as_f64().unwrap(), 1_010_000.0));
    let table = env.ok(&["show", "visitors"]);
    assert!(table.contains("forecast"), "{table}");
    assert!(table.contains("1,010,000 visitors"), "{table}");
    assert!(table.contains("reaches target"), "{table}");
    let churn = env.ok(&["show", "churn"]);
    assert!(churn.contains("fewer than two check-ins"), "{churn}");
    let list = env.json(&["list"]);
    assert_eq!(
        list["objectives"][0]["key_results"][0]["forecast"]["available"],
        true
    );
    // A milestone's score follows the same line: 0.25 → 0.5 in 26 days.
    let launch = kr(&env.json(&["report"]), "launch").clone();
    let expected = 0.25 + 0.25 / 26.0 * (91.0 - 14.0);
    assert!(close(
        launch["forecast"]["value"].as_f64().unwrap(),
        expected
    ));
    assert_eq!(launch["forecast"]["reaches_target"], false);
}

#[test]
fn every_format_carries_the_same_numbers() {
    let env = env();
    let json = env.json(&["report"]);
    let table = env.ok(&["report", "--format", "table"]);
    let md = env.ok(&["report", "--format", "markdown"]);
    let html = env.ok(&["report", "--format", "html"]);
    let rows = parse_csv(&env.ok(&["report", "--format", "csv"]));
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 4, "a header and one row per key result");
    // The summary's counts by status, `on-track 1, at-risk 2`, in each.
    for field in ["objectives_by_status", "key_results_by_status"] {
        let by = json["summary"][field].as_object().unwrap();
        assert!(!by.is_empty(), "{field}");
        let words: Vec<String> = by.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let line = words.join(", ");
        for (name, text) in [("table", &table), ("markdown", &md), ("html", &html)] {
            assert!(text.contains(&line), "{name} lacks {field} `{line}`");
        }
    }
    for o in json["objectives"].as_array().unwrap() {
        let p = percent(o["progress"].as_f64().unwrap());
        for (name, text) in [("table", &table), ("markdown", &md), ("html", &html)] {
            assert!(text.contains(&p), "{name} lacks objective progress {p}");
        }
        for k in o["key_results"].as_array().unwrap() {
            let id = k["id"].as_str().unwrap();
            let row = rows[1..].iter().find(|r| &r[col("kr_id")] == id).unwrap();
            for field in ["progress", "attainment"] {
                let v = k[field].as_f64().unwrap();
                let cell: f64 = row[col(field)].trim_start_matches('\'').parse().unwrap();
                assert!(close(v, cell), "{id} {field}: json {v}, csv {cell}");
            }
            assert!(close(
                o["progress"].as_f64().unwrap(),
                row[col("objective_progress")].parse().unwrap()
            ));
            let p = percent(k["progress"].as_f64().unwrap());
            let f = &k["forecast"];
            if f["available"] == true {
                let v = f["value"].as_f64().unwrap();
                let cell: f64 = row[col("forecast_value")].parse().unwrap();
                assert!(close(v, cell), "{id} forecast: json {v}, csv {cell}");
                assert_eq!(
                    row[col("forecast_reaches_target")],
                    f["reaches_target"].to_string()
                );
            } else {
                assert_eq!(&row[col("forecast_value")], "");
            }
            let fp = f["progress"].as_f64().map(percent);
            for (name, text) in [("table", &table), ("markdown", &md), ("html", &html)] {
                assert!(text.contains(&p), "{name} lacks {id} progress {p}");
                if let Some(fp) = &fp {
                    assert!(
                        text.contains(fp.as_str()),
                        "{name} lacks {id} forecast {fp}"
                    );
                }
            }
        }
    }
    assert!(md.contains("1,010,000 visitors"), "{md}");
    assert!(table.contains("1,010,000 visitors"), "{table}");
    assert!(html.contains("1,010,000 visitors"));
}

#[test]
fn csv_is_rfc4180_and_never_a_formula() {
    let env = env();
    env.ok(&[
        "add",
        "kr",
        "brand",
        "=cmd|' /C calc'!A0",
        "--start",
        "0",
        "--target",
        "10",
        "--unit",
        "+x, \"quoted\"\nline",
    ]);
    let text = env.ok(&["report", "--format", "csv"]);
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let rows = parse_csv(&text);
    let header: Vec<&str> = rows[0].iter().collect();
    assert_eq!(header[..3], ["as_of", "objective_id", "objective"]);
    assert!(header.contains(&"forecast"));
    let width = header.len();
    for r in &rows {
        assert_eq!(r.len(), width);
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula-like cell {cell:?}"
            );
        }
    }
    let all: Vec<&str> = rows.iter().flat_map(|r| r.iter()).collect();
    assert!(all.contains(&"'=cmd|' /C calc'!A0"));
    assert!(
        all.contains(&"'+x, \"quoted\"\nline"),
        "quotes and line breaks survive"
    );
    assert!(all.contains(&"Increase brand awareness, \"fast\""));
    assert!(all.contains(&"'-Customer churn"));
    assert!(all.contains(&"'@support"));
}

#[test]
fn as_of_reproduces_an_earlier_report_byte_for_byte() {
    let env = env();
    let formats = ["table", "markdown", "json", "csv", "html"];
    let before: Vec<String> = formats
        .iter()
        .map(|f| env.ok(&["report", "--format", f]))
        .collect();
    // Time passes: new check-ins, a later today.
    for (k, v, d) in [
        ("visitors", "700000", "2026-08-20"),
        ("churn", "8", "2026-08-29"),
        ("launch", "done", "2026-09-01"),
    ] {
        env.ok(&[
            "--today",
            "2026-09-02",
            "check-in",
            k,
            v,
            "--date",
            d,
            "--note",
            "later",
        ]);
    }
    let changed = env.ok(&["--today", "2026-09-02", "report", "--format", "json"]);
    assert_ne!(
        changed, before[2],
        "the later check-ins change today's report"
    );
    for (f, old) in formats.iter().zip(&before) {
        let again = env.ok(&[
            "--today",
            "2026-09-02",
            "report",
            "--as-of",
            "2026-08-15",
            "--format",
            f,
        ]);
        assert_eq!(&again, old, "--as-of did not reproduce the {f} report");
    }
    // Check-ins after the date are ignored, including in the check-in list.
    let r = env.json(&["report", "--as-of", "2026-07-20"]);
    let v = kr(&r, "visitors");
    assert_eq!(v["current"], 200000.0);
    assert_eq!(v["check_ins"].as_array().unwrap().len(), 2);
    assert_eq!(v["forecast"]["points"], 2);
    assert_eq!(r["as_of"], "2026-07-20");
}

#[test]
fn output_file_format_follows_the_extension() {
    let env = env();
    for (file, marker) in [
        ("r.json", "\"kind\": \"report\""),
        ("r.csv", "as_of,objective_id"),
        ("r.md", "# OKR report"),
        ("r.html", "<!DOCTYPE html>"),
        ("r.txt", "OKR report as of"),
    ] {
        let out = env.ok(&["report", "-o", file]);
        assert_eq!(out, "", "data goes to the file, not stdout");
        assert!(env.read(file).contains(marker), "{file}");
    }
    // --format wins over the extension.
    env.ok(&["report", "-o", "x.txt", "--format", "json"]);
    assert!(env.read("x.txt").starts_with('{'));
    let err = env.fails(&["report", "-o", "report.pdf"], 2);
    assert!(err.contains("--format"), "{err}");
    // Nothing is written to the file in colour.
    env.ok(&["--color", "always", "report", "-o", "c.txt"]);
    assert!(!env.read("c.txt").contains('\x1b'));
}

#[test]
fn filters_select_objectives_and_key_results() {
    let env = env();
    let r = env.json(&["report", "--owner", "product"]);
    assert_eq!(r["summary"]["objectives"], 1);
    assert_eq!(r["filters"]["owner"], "product");
    let r = env.json(&["report", "--owner", "@support"]);
    assert_eq!(r["summary"]["key_results"], 1);
    assert_eq!(r["objectives"][0]["key_results"][0]["id"], "churn");
    let r = env.json(&["report", "--level", "company"]);
    assert_eq!(r["objectives"][0]["id"], "ship");
    let r = env.json(&["report", "--period", "2026-Q4"]);
    assert_eq!(r["summary"]["objectives"], 0);
    assert_eq!(r["summary"]["average_progress"], 0.0);
    env.fails(&["report", "--status", "purple"], 2);
}

#[test]
fn markdown_has_a_heading_and_table_per_objective() {
    let env = env();
    let md = env.ok(&["report", "--format", "markdown"]);
    assert!(md.starts_with("# OKR report, 2026-08-15\n"));
    assert!(md.contains("\n## Summary\n"));
    assert!(
        md.contains("\n## Increase brand awareness, \"fast\"\n"),
        "{md}"
    );
    assert!(md.contains("\n## Launch the product\n"));
    assert_eq!(md.matches("| Key result |").count(), 2);
    assert!(md.contains("`█████░░░░░` 50%"), "text progress bars");
    // Every table row has its header's number of cells.
    let mut width = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let cells = line.replace("\\|", "").matches('|').count();
        assert_eq!(*width.get_or_insert(cells), cells, "{line}");
    }
}

fn evil_env() -> Env {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: evil\n    title: \"Evil \\e]0;pwned\\a title \\e[2J\\e[1A\"\n    owner: \"\\e[31mred\"\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: \"KR \\e[8mhidden\\x9b31m\"\n        start: 0\n        target: 10\n        unit: \"\\e[5m\"\n        check_ins:\n          - date: 2026-07-01\n            value: 1\n            note: \"note \\e]8;;http://x\\e\\\\link\\r\"\n          - date: 2026-08-01\n            value: 4\n",
    );
    env
}

#[test]
fn escape_sequences_in_titles_print_harmlessly() {
    let env = evil_env();
    for args in [
        vec!["report"],
        vec!["report", "--format", "markdown"],
        vec!["history", "k"],
        vec!["show", "k"],
        vec!["--ascii", "report"],
        vec!["--color", "always", "report"],
        vec!["--color", "always", "history", "k"],
    ] {
        let out = env.ok(&args);
        for raw in [
            "\x1b]0;pwned",
            "\x1b[2J",
            "\x1b[1A",
            "\x1b[8m",
            "\x1b[5m",
            "\x1b[31mred",
            "\x1b]8;;",
            "\x07",
            "\u{9b}",
            "\r",
        ] {
            assert!(
                !out.contains(raw),
                "{args:?} printed a raw {raw:?}: {out:?}"
            );
        }
        assert!(
            out.contains("\\e"),
            "{args:?} shows the escape visibly: {out}"
        );
    }
    // HTML escapes too: nothing from the file becomes markup.
    let html = env.ok(&["report", "--format", "html"]);
    assert!(!html.contains('\x1b'));
}

#[test]
fn history_lists_every_check_in_with_delta_sparkline_and_pace() {
    let env = env();
    let out = env
        .okr()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .args(["history", "visitors"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "2026-07-01",
        "2026-07-11",
        "2026-08-11",
        "+100,000",
        "+310,000",
        "campaign launched",
        "80%",
        "Pace",
        "1,010,000 visitors",
    ] {
        assert!(out.contains(needle), "history lacks {needle}:\n{out}");
    }
    // A sparkline of the three values, lowest to highest.
    assert!(out.contains("▁▃█"), "{out}");
    // The pace line: on 2026-08-11, 42 of 92 days are through.
    let pace_11 = 100000.0 + 910000.0 * 42.0 / 92.0;
    // Visitors come whole, so the pace is shown whole and grouped.
    assert!(out.contains("515,435 visitors"), "{out}");
    assert!(out.contains("reaches target"), "{out}");
    // One check-in: no forecast, said plainly.
    let churn = env.ok(&["history", "churn"]);
    assert!(churn.contains("no forecast"), "{churn}");
    // JSON for scripts.
    let j = env.json(&["history", "visitors"]);
    assert_eq!(j["key_result"], "visitors");
    assert_eq!(j["entries"].as_array().unwrap().len(), 3);
    assert_eq!(j["entries"][1]["delta"], 100000.0);
    assert!(close(j["entries"][2]["pace"].as_f64().unwrap(), pace_11));
    assert_eq!(j["forecast"]["available"], true);
    // An objective is not a key result.
    env.fails(&["history", "brand"], 1);
}

#[test]
fn ascii_fallback_for_bars_and_sparklines() {
    let env = env();
    let blocks = ['█', '░', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '→', '─'];
    let run = |lang: &str, extra: &[&str], args: &[&str]| {
        let out = env
            .okr()
            .env("LANG", lang)
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .args(extra)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    for args in [
        &["report"][..],
        &["history", "visitors"],
        &["list"],
        &["show", "visitors"],
    ] {
        let utf8 = run("C.UTF-8", &[], args);
        assert!(
            utf8.contains(blocks),
            "{args:?} draws blocks in UTF-8:\n{utf8}"
        );
        for out in [
            run("C.UTF-8", &["--ascii"], args),
            run("C", &[], args),
            run("POSIX", &[], args),
        ] {
            assert!(!out.contains(blocks), "{args:?} is ASCII:\n{out}");
            assert!(
                out.contains('#') || out.contains('-'),
                "{args:?} still draws bars"
            );
        }
    }
    let ascii = run("C", &[], &["history", "visitors"]);
    assert!(ascii.contains("_,#"), "ASCII sparkline:\n{ascii}");
}

#[test]
fn terminal_bars_are_coloured_only_when_asked() {
    let env = env();
    let plain = env.ok(&["report"]);
    assert!(!plain.contains('\x1b'));
    let coloured = env.ok(&["--color", "always", "report"]);
    assert!(coloured.contains("\x1b[3"), "{coloured:?}");
}

/// The Chromium binary, if installed.
fn chromium() -> Option<std::path::PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium on `page` with `extra` arguments; returns
/// (stdout, stderr). Killed after 90 seconds.
fn run_chromium(
    bin: &std::path::Path,
    page: &std::path::Path,
    extra: &[String],
) -> (String, String) {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let profile = tempfile::tempdir().unwrap();
    let out_path = profile.path().join("stdout.txt");
    let err_path = profile.path().join("stderr.txt");
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,1600",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(
                status.success(),
                "chromium failed: {status}\n{}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default(),
    )
}

/// Console messages (errors, CSP violations, anything a script logged)
/// from Chromium's log: the page has no script, so there should be none.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("Refused to"))
        .collect()
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but chromium is missing: .ci/run must `apt-get install -y chromium`");
        }
        eprintln!(
            "NOTICE: skipping the browser test: no /usr/bin/chromium (apt-get install chromium)"
        );
        return;
    };
    let env = env();
    env.ok(&["report", "-o", "report.html"]);
    let page = env.path("report.html");
    let html = env.read("report.html");
    for external in [
        "http://", "https://", "src=", "<script", "<link", "@import", "url(",
    ] {
        let outside_svg_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !outside_svg_ns.contains(external),
            "the page must be self-contained: found {external}"
        );
    }

    // The detector works: a page with a console error and an uncaught
    // exception is caught.
    let bad = env.path("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><p>x</p><script>console.error('bad-1'); throw new Error('bad-2')</script>",
    )
    .unwrap();
    let (_, err) = run_chromium(&bin, &bad, &["--dump-dom".into()]);
    let lines = console_lines(&err);
    assert!(
        lines.iter().any(|l| l.contains("bad-1")),
        "console detection is blind:\n{err}"
    );
    assert!(
        lines.iter().any(|l| l.contains("Uncaught")),
        "exception detection is blind:\n{err}"
    );

    // The report: a screenshot, no console messages.
    let shot = env.path("report.png");
    let (_, err) = run_chromium(&bin, &page, &[format!("--screenshot={}", shot.display())]);
    assert_eq!(
        console_lines(&err),
        Vec::<&str>::new(),
        "console messages from the report page"
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "a real screenshot"
    );

    // The DOM as the browser built it: every objective, a chart per key result.
    let (dom, err) = run_chromium(&bin, &page, &["--dump-dom".into()]);
    assert_eq!(console_lines(&err), Vec::<&str>::new());
    assert!(
        dom.contains("<h2>Increase brand awareness, \"fast\"</h2>"),
        "{dom}"
    );
    assert!(dom.contains("<h2>Launch the product</h2>"));
    assert_eq!(
        dom.matches("<figure>").count(),
        3,
        "one chart per key result"
    );
    assert_eq!(dom.matches("<svg").count(), 3);
    assert_eq!(
        dom.matches("<polyline").count(),
        2,
        "check-in lines where there are two or more"
    );
}

#[test]
fn html_escapes_user_text() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: x\n    title: \"<script>alert(1)</script> & <img src=x onerror=alert(2)>\"\n    owner: \"\\\"><b>o</b>\"\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: \"</svg><script>alert(3)</script>\"\n        start: 0\n        target: 10\n        unit: \"<u>\"\n",
    );
    let html = env.ok(&["report", "--format", "html"]);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>o"));
    assert!(!html.contains("<u>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img"));
    assert!(html.contains("Content-Security-Policy"));
}

#[test]
fn report_shows_status_grades_and_kpis_out_of_range() {
    let env = env();
    let mut text = WORKSPACE.replace(
        "      - id: launch\n        title: Public launch\n",
        "      - id: launch\n        title: Public launch\n        grade: 0.6\n",
    );
    text.push_str(
        "kpis:\n  - id: uptime\n    title: API uptime\n    owner: product\n    unit: \"%\"\n    at_least: 99.9\n    check_ins:\n      - date: 2026-08-01\n        value: 99.95\n      - date: 2026-08-10\n        value: 99.5\n  - id: latency\n    title: p95 latency\n    at_most: 300\n    check_ins:\n      - date: 2026-08-10\n        value: 120\n",
    );
    env.write("okrs.yaml", &text);
    let r = env.json(&["report"]);
    let list = env.json(&["list"]);
    // Status and expected progress as `okr list` computes them today.
    for (i, o) in r["objectives"].as_array().unwrap().iter().enumerate() {
        assert_eq!(o["status"], list["objectives"][i]["status"]);
        assert!(o["status"].is_string());
        for (j, k) in o["key_results"].as_array().unwrap().iter().enumerate() {
            assert_eq!(
                k["status"],
                list["objectives"][i]["key_results"][j]["status"]
            );
            assert_eq!(
                k["expected"],
                list["objectives"][i]["key_results"][j]["expected"]
            );
        }
    }
    let by_status = r["summary"]["key_results_by_status"].as_object().unwrap();
    assert_eq!(
        by_status.values().map(|v| v.as_u64().unwrap()).sum::<u64>(),
        3
    );
    assert_eq!(
        r["summary"]["objectives_by_status"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        2
    );
    assert_eq!(kr(&r, "launch")["grade"], 0.6);
    // One KPI out of range, the one in range left out.
    let kpis = r["kpis_out_of_range"].as_array().unwrap();
    assert_eq!(kpis.len(), 1);
    assert_eq!(kpis[0]["id"], "uptime");
    assert_eq!(kpis[0]["value"], 99.5);
    assert_eq!(kpis[0]["range"], "at least 99.9");
    // As of before the bad reading, it was healthy.
    let early = env.json(&["report", "--as-of", "2026-08-05"]);
    assert_eq!(early["kpis_out_of_range"].as_array().unwrap().len(), 0);
    for f in ["table", "markdown", "html"] {
        let out = env.ok(&["report", "--format", f]);
        assert!(out.contains("API uptime"), "{f} lists the KPI");
        assert!(
            out.contains("0.6 (yellow)"),
            "{f} shows the grade and its band"
        );
        let status = kr(&r, "visitors")["status"].as_str().unwrap().to_string();
        assert!(out.contains(&status), "{f} shows the status");
    }
    let csv = parse_csv(&env.ok(&["report", "--format", "csv"]));
    let col = csv[0].iter().position(|h| h == "status").unwrap();
    assert!(csv[1..].iter().all(|row| !row[col].is_empty()));
    // --status keeps the key results with that status, as `okr list` does.
    let s = kr(&r, "churn")["status"].as_str().unwrap().to_string();
    let only = env.json(&["report", "--status", &s]);
    let kept = only["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["key_results"].as_array().unwrap().iter());
    for k in kept {
        assert_eq!(k["status"], s.as_str());
    }
    assert_eq!(only["filters"]["status"], s.as_str());
}
