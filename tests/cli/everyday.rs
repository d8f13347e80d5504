//! The everyday loop (issue 7): --amend, rm --check-in, KPIs and
//! initiatives through show/edit/rm, list --sort/--grep/--format csv,
//! rollover, close --force, IDs from any script, plurals, and the layout of
//! everything the store inserts.

use crate::harness::Env;

/// A hand-written file indented by four, with comments and flow check-ins.
const FOUR: &str = "\
# Growth team
version: 1
settings:
    default_period: 2026-Q3
objectives:
    # the one that matters
    - id: brand
      title: Increase brand awareness
      period: 2026-Q3
      key_results:
          - id: visitors   # from analytics
            title: Website visitors
            target: 100
            check_ins:
                # first week
                - {date: 2026-08-01, value: 30, note: kickoff}
                - {date: 2026-08-10, value: 45, confidence: 0.6}
                - {date: 2026-08-10, value: 46}
          - id: nps
            title: Net promoter score
            target: 50
kpis:
    - id: uptime
      title: Uptime
      at_least: 99.9
      check_ins:
          - {date: 2026-08-01, value: 99.95}
";

fn env_with(text: &str) -> Env {
    let env = Env::new();
    env.write("okrs.yaml", text);
    env
}

/// Runs okr and returns stderr (asserting success).
fn note(env: &Env, args: &[&str]) -> String {
    let out = env.okr().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "okr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn amend_replaces_the_latest_check_in_and_keeps_its_date() {
    let env = env_with(FOUR);
    let err = note(
        &env,
        &["check-in", "vis", "--amend", "50", "--note", "recount"],
    );
    assert!(err.contains("46 is now 50 on 2026-08-10"), "{err}");
    let text = env.read("okrs.yaml");
    // The last of the two 2026-08-10 check-ins changed, in place; nothing else.
    assert_eq!(
        text,
        FOUR.replace(
            "{date: 2026-08-10, value: 46}",
            "{date: 2026-08-10, value: 50, note: recount}"
        )
    );
    // --date moves it; confidence is kept unless given.
    env.ok(&[
        "check-in",
        "visitors",
        "--amend",
        "51",
        "--date",
        "2026-08-12",
    ]);
    let v = env.json(&["show", "visitors"]);
    let last = &v["check_ins"].as_array().unwrap()[2];
    assert_eq!(last["date"], "2026-08-12");
    assert_eq!(last["value"], 51.0);
    assert_eq!(last["note"], "recount");
    assert_eq!(v["check_ins"].as_array().unwrap().len(), 3);
    let err = env.fails(
        &[
            "check-in",
            "visitors",
            "--amend",
            "52",
            "--date",
            "2026-08-16",
        ],
        2,
    );
    assert!(err.contains("after today"), "{err}");
    let err = env.fails(&["check-in", "nps", "--amend", "10"], 1);
    assert!(err.contains("no check-in to amend"), "{err}");
    assert!(env.read("okrs.yaml").contains("# first week"));
}

#[test]
fn rm_check_in_removes_one_and_refuses_to_guess_between_several() {
    let env = env_with(FOUR);
    let err = env.fails(&["rm", "visitors", "--check-in", "2026-08-10"], 1);
    assert!(err.contains("2 check-ins on 2026-08-10"), "{err}");
    assert!(
        err.contains("1. value 45") && err.contains("2. value 46"),
        "{err}"
    );
    assert!(err.contains("--index"), "{err}");
    assert_eq!(env.read("okrs.yaml"), FOUR, "a refused rm changes nothing");
    env.ok(&["rm", "visitors", "--check-in", "2026-08-10", "--index", "1"]);
    assert_eq!(
        env.read("okrs.yaml"),
        FOUR.replace(
            "                - {date: 2026-08-10, value: 45, confidence: 0.6}\n",
            ""
        )
    );
    let err = note(&env, &["rm", "vis", "--check-in", "2026-08-01"]);
    assert!(err.contains("kickoff"), "{err}");
    let text = env.read("okrs.yaml");
    assert!(text.contains("# first week"), "{text}");
    assert!(!text.contains("kickoff"), "{text}");
    env.fails(&["rm", "visitors", "--check-in", "2026-07-01"], 1);
    env.fails(
        &["rm", "visitors", "--check-in", "2026-08-10", "--index", "3"],
        2,
    );
    // KPI readings too.
    env.ok(&["rm", "upt", "--check-in", "2026-08-01"]);
    assert!(!env.read("okrs.yaml").contains("99.95"));
}

#[test]
fn kpis_and_initiatives_are_shown_edited_and_removed_like_the_rest() {
    let env = env_with(FOUR);
    env.ok(&[
        "initiative",
        "add",
        "nps",
        "Fix the checkout",
        "--id",
        "checkout-fix",
    ]);
    env.ok(&[
        "add",
        "kr",
        "brand",
        "Stay up",
        "--at-least",
        "99",
        "--kpi",
        "upt",
    ]);
    let v = env.json(&["show", "upt"]);
    assert_eq!(v["id"], "uptime");
    assert_eq!(v["status"], "healthy");
    assert_eq!(v["key_results"][0], "stay-up");
    assert_eq!(v["check_ins"][0]["value"], 99.95);
    let table = env.ok(&["show", "uptime"]);
    assert!(
        table.contains("at least 99.9") && table.contains("stay-up"),
        "{table}"
    );
    let v = env.json(&["show", "checkout"]);
    assert_eq!(v["key_result"], "nps");
    assert_eq!(v["objective"], "brand");
    assert_eq!(v["status"], "todo");
    // Did-you-mean looks at every kind of ID.
    let err = env.fails(&["show", "uptme"], 1);
    assert!(err.contains("uptime"), "{err}");
    let err = env.fails(&["show", "checkuot-fix"], 1);
    assert!(err.contains("checkout-fix"), "{err}");
    env.ok(&["edit", "upt", "--at-most", "100", "--owner", "platform"]);
    env.ok(&["edit", "checkout", "--status", "doing", "--link", "ACME-1"]);
    assert_eq!(env.json(&["show", "uptime"])["at_most"], 100.0);
    let v = env.json(&["show", "checkout-fix"]);
    assert_eq!(
        (v["status"].as_str(), v["link"].as_str()),
        (Some("doing"), Some("ACME-1"))
    );
    env.fails(&["edit", "uptime", "--target", "3"], 2);
    env.fails(&["edit", "checkout-fix", "--at-least", "3"], 2);
    env.fails(&["edit", "uptime", "--at-least", "101"], 2);
    env.fails(&["check-in", "uptime", "5"], 1);
    // A KPI that key results name is only removed with --force, which unlinks them.
    let err = env.fails(&["rm", "uptime"], 1);
    assert!(err.contains("stay-up"), "{err}");
    let err = note(&env, &["rm", "upt", "--force"]);
    assert!(err.contains("unlinked 1 key result"), "{err}");
    assert!(env.json(&["show", "stay-up"])["kpi"].is_null());
    env.ok(&["rm", "checkout"]);
    let text = env.read("okrs.yaml");
    assert!(
        !text.contains("uptime") && !text.contains("checkout-fix"),
        "{text}"
    );
    assert!(text.contains("# the one that matters"), "{text}");
    let err = env.fails(
        &["add", "kr", "brand", "X", "--target", "3", "--kpi", "nope"],
        1,
    );
    assert!(err.contains("no KPI"), "{err}");
}

#[test]
fn list_sorts_greps_and_writes_the_reports_csv() {
    let env = env_with(FOUR);
    env.ok(&[
        "add",
        "objective",
        "Cut churn",
        "--owner",
        "alex",
        "--id",
        "churn",
    ]);
    env.ok(&[
        "add",
        "kr",
        "churn",
        "Churned accounts",
        "--start",
        "10",
        "--target",
        "5",
    ]);
    env.ok(&["check-in", "churned-accounts", "6"]);
    let v = env.json(&["list", "--sort", "progress"]);
    let ids: Vec<&str> = v["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["brand", "churn"]);
    let krs: Vec<&str> = v["objectives"][0]["key_results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    assert_eq!(krs, ["nps", "visitors"], "least progress first");
    let v = env.json(&["list", "--sort", "id"]);
    assert_eq!(v["objectives"][0]["key_results"][0]["id"], "nps");
    let v = env.json(&["list", "--sort", "owner"]);
    assert_eq!(
        v["objectives"][0]["id"], "churn",
        "alex first, no owner last"
    );
    let v = env.json(&["list", "--grep", "PROMOTER"]);
    assert_eq!(v["objectives"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["objectives"][0]["key_results"].as_array().unwrap().len(),
        1
    );
    assert_eq!(v["objectives"][0]["key_results"][0]["id"], "nps");
    let v = env.json(&["list", "--grep", "churn"]);
    assert_eq!(v["objectives"][0]["id"], "churn");
    assert_eq!(v["objectives"].as_array().unwrap().len(), 1);
    let csv = env.ok(&["list", "--format", "csv", "--status", "not-started"]);
    let report = env.ok(&["report", "--format", "csv", "--status", "not-started"]);
    assert_eq!(csv, report, "same columns and rows as the report's CSV");
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("as_of,objective_id,"), "{header}");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains(",nps,"), "{csv}");
}

#[test]
fn rollover_replaces_the_suffix_and_moves_the_default_period() {
    let env = env_with(FOUR);
    let out = env.ok(&["--today", "2026-10-02", "rollover", "2026-Q3", "2026-Q4"]);
    assert!(out.starts_with("brand\tbrand-2026-q4\t"), "{out}");
    let err = note(
        &env,
        &["--today", "2027-01-05", "rollover", "2026-Q4", "2027-Q1"],
    );
    assert!(err.contains("Rolled 1 objective over"), "{err}");
    assert!(err.contains("default period is now 2027-Q1"), "{err}");
    let text = env.read("okrs.yaml");
    assert!(text.contains("- id: visitors-2027-q1"), "{text}");
    assert!(!text.contains("2026-q4-2027-q1"), "{text}");
    assert!(text.contains("    default_period: 2027-Q1\n"), "{text}");
    // A comment survives both runs.
    assert!(text.contains("# the one that matters") && text.contains("# first week"));
}

#[test]
fn a_rolled_over_file_keeps_its_indentation_and_field_order() {
    let env = env_with(FOUR);
    env.ok(&["--today", "2026-10-02", "rollover", "2026-Q3", "2026-Q4"]);
    let added = "    - id: brand-2026-q4
      title: Increase brand awareness
      level: team
      period: 2026-Q4
      rolled_from: brand
      key_results:
          - id: visitors-2026-q4
            title: Website visitors
            start: 46
            target: 100
            rolled_from: visitors
          - id: nps-2026-q4
            title: Net promoter score
            start: 0
            target: 50
            rolled_from: nps
";
    // The whole file: the original, byte for byte, plus the copy in its
    // layout, and the default period moved along.
    let expected = FOUR
        .replace("default_period: 2026-Q3", "default_period: 2026-Q4")
        .replace("kpis:\n", &format!("{added}kpis:\n"));
    assert_eq!(env.read("okrs.yaml"), expected);
}

#[test]
fn inserted_lists_follow_the_files_indentation_and_new_fields_go_last() {
    let env = env_with(FOUR);
    env.ok(&["check-in", "nps", "20"]);
    env.ok(&["initiative", "add", "nps", "Survey", "--id", "survey"]);
    env.ok(&["edit", "brand", "--owner", "dana"]);
    env.ok(&["check-in", "visitors", "50", "--note", "a, b"]);
    let text = env.read("okrs.yaml");
    let expected_nps = "          - id: nps
            title: Net promoter score
            target: 50
            check_ins:
                - date: 2026-08-15
                  value: 20
            initiatives:
                - id: survey
                  title: Survey
                  status: todo
";
    assert!(text.contains(expected_nps), "{text}");
    // After the fields the user wrote, before the key results.
    assert!(
        text.contains("      period: 2026-Q3\n      owner: dana\n      key_results:\n"),
        "{text}"
    );
    // Beside flow-style neighbours, a new check-in is flow style too.
    assert!(
        text.contains("                - {date: 2026-08-10, value: 46}\n                - {date: 2026-08-15, value: 50, note: \"a, b\"}\n"),
        "{text}"
    );
    // A first KPI in a file without any: the list is indented like the others.
    let env = env_with(FOUR.split("kpis:").next().unwrap());
    env.ok(&["kpi", "add", "Uptime", "--at-least", "99"]);
    assert!(
        env.read("okrs.yaml")
            .ends_with("kpis:\n    - id: uptime\n      title: Uptime\n      at_least: 99\n"),
        "{}",
        env.read("okrs.yaml")
    );
}

#[test]
fn close_before_the_period_ends_needs_force() {
    let env = env_with(FOUR);
    let err = env.fails(&["close", "2026-Q3"], 1);
    assert!(
        err.contains("has not ended yet") && err.contains("2026-09-30"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(env.read("okrs.yaml"), FOUR);
    env.ok(&["close", "2026-Q3", "--force"]);
    env.ok(&["--today", "2026-10-01", "close", "2026-Q3", "--force"]);
}

#[test]
fn ids_from_any_script_and_without_a_trailing_filler() {
    let env = env_with(FOUR);
    assert_eq!(
        env.ok(&["add", "objective", "Добро пожаловать"]),
        "dobro-pozhalovat\n"
    );
    assert!(
        !env.ok(&["add", "objective", "顧客満足"])
            .trim_end()
            .is_empty()
    );
    let id = env.ok(&["add", "objective", "売上を伸ばす"]);
    assert!(
        !id.starts_with("okr") && !id.starts_with("untitled"),
        "{id}"
    );
    assert_eq!(
        env.ok(&[
            "add",
            "kr",
            "brand",
            "Recommendation score of 8 or higher",
            "--target",
            "8"
        ]),
        "recommendation-score\n"
    );
    assert_eq!(
        env.ok(&[
            "add",
            "kr",
            "brand",
            "Recommendation score of 9 or higher",
            "--target",
            "9"
        ]),
        "recommendation-score-of\n",
        "the filler is kept where that keeps the ID unique"
    );
}

#[test]
fn messages_count_in_english() {
    let env = env_with(FOUR);
    let report = env.ok(&["report"]);
    assert!(report.contains("1 objective, 2 key results"), "{report}");
    let md = env.ok(&["report", "--format", "markdown"]);
    assert!(md.contains("Forecast: 1 key result "), "{md}");
    let err = note(
        &env,
        &["--today", "2026-10-02", "rollover", "2026-Q3", "2026-Q4"],
    );
    assert!(err.contains("Rolled 1 objective over"), "{err}");
    let err = note(&env, &["rm", "brand-2026-q4"]);
    assert!(err.contains("and its 2 key results"), "{err}");
    env.ok(&["add", "objective", "Solo", "--id", "solo"]);
    env.ok(&["add", "kr", "solo", "One", "--target", "3"]);
    let err = note(&env, &["rm", "solo"]);
    assert!(err.contains("and its 1 key result\n"), "{err}");
    let err = note(&env, &["--today", "2026-10-02", "close", "2026-Q3"]);
    assert!(err.contains("graded 2 key results"), "{err}");
    assert!(!err.contains("(s)"), "{err}");
}

#[test]
fn no_message_in_the_source_says_s_in_brackets() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for (n, line) in text.lines().enumerate() {
                    // `(s)` inside a string literal: an odd number of
                    // quotes before it (`Some(s)` in code has none).
                    let in_string = line
                        .match_indices("(s)")
                        .any(|(i, _)| line[..i].replace("\\\"", "").matches('"').count() % 2 == 1);
                    assert!(!in_string, "{}:{}: {line}", p.display(), n + 1);
                }
            }
        }
    }
}
