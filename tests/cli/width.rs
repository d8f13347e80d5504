//! Output that fits: tables in a real pseudo-terminal of 80 and 120
//! columns, `COLUMNS` and `--wide` off a terminal, the pager, colour, the
//! check-in confirmation and multi-line descriptions.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::session::Session;
use expectrl::{Eof, Expect};
use unicode_width::UnicodeWidthStr;

use crate::harness::{Env, TODAY, examples};

/// The day the examples are read on (inside their quarter).
const EXAMPLES_TODAY: &str = "2026-11-25";

/// Runs okr on a pseudo-terminal `cols` × `rows` and returns what it showed
/// (`\r\n` made `\n`, escape sequences kept). The pty library sets an
/// 80 × 24 size from the parent after the child starts, so the parent sets
/// the wanted size afterwards and the child waits for it before okr runs.
pub(crate) fn pty(dir: &Path, cols: u16, rows: u16, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg("while [ \"$(stty size)\" != \"$2 $1\" ]; do sleep 0.01; done; shift 2; exec \"$@\"")
        .arg("sh")
        .arg(cols.to_string())
        .arg(rows.to_string())
        .arg(assert_cmd::cargo::cargo_bin("okr"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        // HOME may be the shipped examples: keep the parse cache out of them.
        .env("OKR_NO_CACHE", "1")
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .env("OKR_TODAY", EXAMPLES_TODAY)
        .env("TERM", "xterm-256color")
        .env_remove("OKR_FILE")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .env_remove("PAGER")
        .env_remove("OKR_PAGER")
        .env_remove("OKR_FORMAT")
        .env_remove("OKR_CONFIG_DIR")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        c.env(k, v);
    }
    let mut s = Session::spawn(c).expect("spawn on a pty");
    s.get_process_mut()
        .set_window_size(cols, rows)
        .expect("set the pty size");
    s.set_expect_timeout(Some(Duration::from_secs(60)));
    let m = s.expect(Eof).expect("okr ends");
    String::from_utf8_lossy(m.as_bytes()).replace("\r\n", "\n")
}

/// `s` without ANSI escape sequences.
pub(crate) fn strip(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if ('@'..='~').contains(&d) {
                    break;
                }
            }
        }
    }
    out
}

fn assert_fits(out: &str, cols: usize, what: &str) {
    for line in strip(out).lines() {
        assert!(
            line.width() <= cols,
            "{what} at {cols}: a line of {} columns:\n{line}\n\n{out}",
            line.width()
        );
    }
}

/// Every objective and key result ID of the examples.
fn example_ids() -> Vec<String> {
    let env = Env::new();
    let dir = examples();
    let v = env.json(&[
        "-f",
        dir.to_str().unwrap(),
        "--today",
        EXAMPLES_TODAY,
        "list",
    ]);
    let mut ids = vec![];
    for o in v["objectives"].as_array().unwrap() {
        ids.push(o["id"].as_str().unwrap().to_string());
        for k in o["key_results"].as_array().unwrap() {
            ids.push(k["id"].as_str().unwrap().to_string());
        }
    }
    assert!(ids.len() > 20, "{ids:?}");
    ids
}

/// Whether `id` appears whole: not as part of a longer word.
fn has_whole(out: &str, id: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    out.match_indices(id).any(|(i, _)| {
        let before = out[..i].chars().next_back();
        let after = out[i + id.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[test]
fn list_fits_80_and_120_columns_with_whole_ids_and_short_rows() {
    let ids = example_ids();
    let ex = examples();
    for cols in [80u16, 120] {
        let out = pty(&ex, cols, 200, &[], &["-f", ".", "list"]);
        assert_fits(&out, cols.into(), "list");
        let plain = strip(&out);
        for id in &ids {
            assert!(
                has_whole(&plain, id),
                "{id} is not whole at {cols}:\n{plain}"
            );
        }
        // Header (up to two lines) and rule, then each row in one or two lines.
        let body = plain
            .lines()
            .skip_while(|l| !l.starts_with('─'))
            .skip(1)
            .count();
        assert!(
            body <= 2 * ids.len(),
            "{body} lines for {} rows at {cols}:\n{plain}",
            ids.len()
        );
        // The key results stay indented under their objective.
        assert!(plain.contains("\n   nps "), "{plain}");
    }
}

#[test]
fn show_tree_report_history_and_kpis_fit_80_and_120_columns() {
    let ex = examples();
    let runs: [&[&str]; 7] = [
        &["show", "brand-awareness"],
        &["show", "mrr"],
        &["tree"],
        &["report", "--no-pager"],
        &["history", "website-visitors", "--no-pager"],
        &["kpi", "list"],
        &["show", "recommendation-score"],
    ];
    for cols in [80u16, 120] {
        for args in runs {
            let mut a = vec!["-f", "."];
            a.extend_from_slice(args);
            let out = pty(&ex, cols, 200, &[], &a);
            assert_fits(&out, cols.into(), &format!("{args:?}"));
            let plain = strip(&out);
            let id = args
                .get(1)
                .filter(|_| matches!(args[0], "show" | "history"));
            if let Some(id) = id {
                assert!(has_whole(&plain, id), "{args:?} at {cols}:\n{plain}");
            }
        }
        let report = strip(&pty(
            &ex,
            cols,
            200,
            &[],
            &["-f", ".", "report", "--no-pager"],
        ));
        for id in [
            "zero-waste",
            "recommendation-score",
            "mrr",
            "annual-renewals",
        ] {
            assert!(has_whole(&report, id), "{id} at {cols}:\n{report}");
        }
        let tree = strip(&pty(&ex, cols, 200, &[], &["-f", ".", "tree"]));
        for id in ["carbon-footprint", "delight-customers", "recurring-revenue"] {
            assert!(has_whole(&tree, id), "{id} at {cols}:\n{tree}");
        }
    }
}

#[test]
fn columns_limits_the_width_off_a_terminal_and_wide_lifts_it() {
    let env = Env::new();
    let ex = examples();
    let ex = ex.to_str().unwrap();
    let run = |columns: Option<&str>, extra: &[&str]| {
        let mut c = env.okr();
        c.args(["-f", ex, "--today", EXAMPLES_TODAY]).args(extra);
        c.arg("list");
        match columns {
            Some(v) => c.env("COLUMNS", v),
            None => c.env_remove("COLUMNS"),
        };
        let out = c.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let widest = |s: &str| s.lines().map(|l| l.width()).max().unwrap_or(0);
    let limited = run(Some("80"), &[]);
    assert!(widest(&limited) <= 80, "{limited}");
    assert!(has_whole(&limited, "survey-participation"), "{limited}");
    let free = run(None, &[]);
    assert!(
        widest(&free) > 120,
        "no limit off a terminal without COLUMNS"
    );
    assert!(free.contains("Delight customers so much that they order more and tell their friends"));
    let wide = run(Some("80"), &["--wide"]);
    assert_eq!(wide, free, "--wide shows everything");
}

#[test]
fn wide_shows_every_column_on_a_terminal() {
    let ex = examples();
    let narrow = strip(&pty(&ex, 80, 200, &[], &["-f", ".", "list"]));
    let wide = strip(&pty(&ex, 80, 200, &[], &["-f", ".", "--wide", "list"]));
    assert!(!narrow.contains("Last check-in") && !narrow.contains("check-in\n"));
    assert!(wide.contains("Last check-in") && wide.contains("customer-experience"));
    assert!(wide.lines().any(|l| l.width() > 80));
}

/// A pager script that records it ran, then shows its input.
pub(crate) fn recording_pager(env: &Env) -> (String, std::path::PathBuf) {
    let mark = env.path("pager-ran");
    let script = env.path("pager.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho ran > '{}'\ncat\n", mark.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (script.display().to_string(), mark)
}

#[test]
fn report_and_history_page_only_on_an_overflowing_terminal() {
    let env = Env::new();
    let ex = examples();
    let (pager, mark) = recording_pager(&env);
    let pe = [("PAGER", pager.as_str())];
    // Taller than a 20-row screen: paged, and the text still arrives.
    let out = pty(&ex, 100, 20, &pe, &["-f", ".", "report"]);
    assert!(mark.exists(), "report was not paged:\n{out}");
    assert!(strip(&out).contains("OKR report as of"), "{out}");
    std::fs::remove_file(&mark).unwrap();
    let out = pty(
        &ex,
        100,
        10,
        &pe,
        &["-f", ".", "history", "website-visitors"],
    );
    assert!(mark.exists(), "history was not paged:\n{out}");
    std::fs::remove_file(&mark).unwrap();
    // --no-pager, a screen tall enough, and a command that does not page.
    pty(&ex, 100, 20, &pe, &["-f", ".", "--no-pager", "report"]);
    pty(&ex, 100, 500, &pe, &["-f", ".", "report"]);
    pty(&ex, 100, 5, &pe, &["-f", ".", "list"]);
    assert!(!mark.exists(), "paged when it should not have");
    // A pager that does not exist: the text is shown anyway.
    let out = pty(
        &ex,
        100,
        20,
        &[("PAGER", "no-such-pager-okr")],
        &["-f", ".", "report"],
    );
    assert!(strip(&out).contains("OKR report as of"), "{out}");
    // Not a terminal: never.
    let out = env
        .okr()
        .args(["-f", ex.to_str().unwrap(), "report"])
        .env("PAGER", &pager)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!mark.exists(), "paged into a pipe");
    assert!(String::from_utf8_lossy(&out.stdout).contains("OKR report as of"));
}

#[test]
fn colour_on_a_terminal_and_no_color_keeps_the_layout() {
    let ex = examples();
    for args in [
        &["-f", ".", "list"][..],
        &["-f", ".", "show", "nps"],
        &["-f", ".", "tree"],
        &["-f", ".", "--no-pager", "report"],
        &["-f", ".", "--no-pager", "history", "nps"],
    ] {
        let coloured = pty(&ex, 100, 200, &[], args);
        let plain = pty(&ex, 100, 200, &[("NO_COLOR", "1")], args);
        assert!(
            coloured.contains("\x1b["),
            "{args:?} has no colour on a terminal"
        );
        assert!(
            !plain.contains("\x1b["),
            "{args:?} is coloured with NO_COLOR"
        );
        assert_eq!(
            strip(&coloured),
            plain,
            "{args:?}: NO_COLOR changed the layout"
        );
    }
}

#[test]
fn numbers_are_grouped_with_currency_first_and_raw_in_json() {
    let env = Env::new();
    let ex = examples();
    let ex = ex.to_str().unwrap();
    let args = ["-f", ex, "--today", EXAMPLES_TODAY];
    let show = env.ok(&[&args[..], &["show", "mrr"]].concat());
    assert!(show.contains("$1,810,000 / $2,000,000"), "{show}");
    let h = env.ok(&[&args[..], &["history", "mrr"]].concat());
    assert!(h.contains("$1,600,000 → $2,000,000"), "{h}");
    let kpis = env.ok(&[&args[..], &["kpi", "list"]].concat());
    assert!(kpis.contains("at least $1,500,000"), "{kpis}");
    let md = env.ok(&[&args[..], &["report", "--format", "markdown"]].concat());
    assert!(md.contains("690,000"), "{md}");
    let json = env.ok(&[&args[..], &["show", "mrr", "--format", "json"]].concat());
    assert!(
        json.contains("1810000") && !json.contains("1,810,000"),
        "{json}"
    );
    // Whole units forecast whole; a percentage never past 100%.
    let h = env.ok(&[&args[..], &["history", "community-members"]].concat());
    let forecast = h.lines().find(|l| l.contains("forecast")).unwrap();
    assert!(forecast.contains(" members by "), "{forecast}");
    assert!(!forecast.contains('.'), "fake decimals: {forecast}");
}

#[test]
fn a_percentage_is_not_forecast_past_100() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - id: conv\n        title: Conversion\n        start: 15\n        target: 25\n        unit: \"%\"\n        check_ins:\n          - date: 2026-07-01\n            value: 15\n          - date: 2026-07-11\n            value: 25\n",
    );
    let v = env.json(&["show", "conv"]);
    assert_eq!(v["forecast"]["value"].as_f64(), Some(100.0), "{v}");
    let h = env.ok(&["history", "conv"]);
    assert!(
        h.contains("100% by 2026-09-30, 100% progress, reaches target"),
        "{h}"
    );
}

#[test]
fn check_in_says_where_the_entered_value_stands() {
    let env = Env::new();
    let (_, k) = env.with_brand();
    let out = env.okr().args(["check-in", &k, "550000"]).output().unwrap();
    let msg = String::from_utf8(out.stderr).unwrap();
    assert!(
        msg.contains("550,000 visitors on 2026-08-15: 50% of the way from 100,000 visitors to 1,000,000 visitors"),
        "{msg}"
    );
    // Back-dated behind it: both the entered and the current value.
    let out = env
        .okr()
        .args(["check-in", &k, "190000", "--date", "2026-07-20"])
        .output()
        .unwrap();
    let msg = String::from_utf8(out.stderr).unwrap();
    assert!(
        msg.contains("190,000 visitors on 2026-07-20: 10% of the way"),
        "{msg}"
    );
    assert!(
        msg.contains(&format!(
            "later check-in ({TODAY}) stays current: 550,000 visitors: 50%"
        )),
        "{msg}"
    );
}

#[test]
fn descriptions_print_as_lines_and_an_absent_parent_prints_nothing() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    description: \"First line.\\nSecond \\e[31mline.\"\n",
    );
    let out = env.ok(&["show", "o"]);
    assert!(!out.contains("\\n"), "{out}");
    let first = out.lines().position(|l| l.contains("First line.")).unwrap();
    let next = out.lines().nth(first + 1).unwrap();
    assert!(
        next.trim_start().starts_with("Second \\e[31mline."),
        "{out}"
    );
    assert!(!out.contains("parent"), "{out}");
}
