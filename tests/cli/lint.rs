//! The rules of `okr check` added for the method (docs/method.md): each one
//! fires on a file that breaks it, at the right line, and stays silent on
//! the same file fixed.

use crate::harness::Env;

/// A clean aspirational objective with two key results, one a stretch.
const CLEAN: &str = "\
version: 1
objectives:
  - id: grow
    title: Grow the audience
    period: 2026-Q3
    key_results:
      - id: visitors
        title: Website visitors
        target: 100
        stretch: true
        check_ins:
          - date: 2026-08-01
            value: 10
            confidence: 0.4
      - id: followers
        title: Social followers
        target: 500
";

/// `okr check` output lines (stdout) for `text`.
fn check(text: &str) -> String {
    let env = Env::new();
    env.write("okrs.yaml", text);
    let out = env.okr().arg("check").output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn with(from: &str, to: &str) -> String {
    assert!(CLEAN.contains(from), "{from}");
    CLEAN.replacen(from, to, 1)
}

#[test]
fn the_clean_file_has_no_findings() {
    assert_eq!(check(CLEAN), "");
}

#[test]
fn unknown_keys_are_named_with_a_did_you_mean() {
    let out = check(&with(
        "        target: 500\n",
        "        target: 500\n        wieght: 2\n",
    ));
    assert_eq!(
        out,
        "okrs.yaml:18:17: warning[unknown-key]: unknown key `wieght` in key result `followers`: did you mean `weight`?\n"
    );
    // In objectives, check-ins, initiatives and KPIs too.
    let text = with("    period: 2026-Q3\n", "    period: 2026-Q3\n    ower: me\n")
        .replacen("            confidence: 0.4\n", "            confidence: 0.4\n            nots: hi\n", 1)
        .replacen(
            "        target: 500\n",
            "        target: 500\n        initiatives:\n          - {id: ads, title: Ads, stauts: doing}\nkpis:\n  - {id: nps, title: NPS, at_least: 40, unti: points}\n",
            1,
        );
    let out = check(&text);
    let rules: Vec<&str> = out.lines().collect();
    assert_eq!(rules.len(), 4, "{out}");
    assert!(rules[0].starts_with("okrs.yaml:6:11: warning[unknown-key]: unknown key `ower` in objective `grow`: did you mean `owner`?"), "{out}");
    assert!(
        rules[1].contains("unknown key `nots` in check-in of 2026-08-01: did you mean `note`?"),
        "{out}"
    );
    assert!(
        rules[2].contains("unknown key `stauts` in initiative `ads`: did you mean `status`?"),
        "{out}"
    );
    assert!(
        rules[3].contains("unknown key `unti` in KPI `nps`: did you mean `unit`?"),
        "{out}"
    );
}

#[test]
fn custom_keys_with_x_are_never_reported() {
    let text = with(
        "    period: 2026-Q3\n",
        "    period: 2026-Q3\n    x-jira: OKR-12\n    x_notes:\n      budget: 1000\n",
    )
    .replacen(
        "        target: 500\n",
        "        target: 500\n        x-source: ga4\n",
        1,
    );
    assert_eq!(check(&text), "");
}

#[test]
fn an_objective_with_one_key_result() {
    let one = CLEAN
        .split("      - id: followers")
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        check(&one),
        "okrs.yaml:3:9: warning[too-few-key-results]: objective `grow` has only one key result: measure it from 2 to 5 sides, so one number cannot be met at the others' expense\n"
    );
}

#[test]
fn a_key_result_that_reads_as_a_task() {
    let task = with(
        "        title: Social followers\n        target: 500\n",
        "        title: Write the blog post\n        target: 1\n",
    );
    assert_eq!(
        check(&task),
        "okrs.yaml:16:16: warning[task-key-result]: key result `followers` reads as a task (\"write …\", an activity with target 1): measure the result the work should bring, and list the work as an initiative\n"
    );
    let milestone = with(
        "        title: Social followers\n        target: 500\n",
        "        title: Work on the pricing page\n        milestone: true\n",
    );
    assert!(
        check(&milestone).contains("warning[task-key-result]: key result `followers` reads as a task (\"work on …\", a milestone phrased as an activity)"),
        "{}",
        check(&milestone)
    );
    // The same verb with a real target, and a milestone phrased as a result, pass.
    let metric = with(
        "        title: Social followers\n",
        "        title: Write 12 blog posts\n",
    );
    assert_eq!(check(&metric), "");
    let result = with(
        "        title: Social followers\n        target: 500\n",
        "        title: New pricing page is live\n        milestone: true\n",
    );
    assert_eq!(check(&result), "");
}

#[test]
fn a_stretch_key_result_on_a_committed_objective() {
    let committed = with(
        "    period: 2026-Q3\n",
        "    period: 2026-Q3\n    kind: committed\n",
    )
    .replacen("            confidence: 0.4\n", "", 1);
    assert_eq!(
        check(&committed),
        "okrs.yaml:11:18: warning[stretch-on-committed]: key result `visitors` is a stretch, but objective `grow` is committed (expected to reach 1.0): drop `stretch: true` or make the objective aspirational\n"
    );
    let fixed = committed.replacen("        stretch: true\n", "", 1);
    assert_eq!(check(&fixed), "");
}

#[test]
fn confidence_is_not_warned_about_once_the_period_is_closed_and_graded() {
    let committed = with(
        "    period: 2026-Q3\n",
        "    period: 2026-Q3\n    kind: committed\n",
    )
    .replacen("        stretch: true\n", "", 1);
    assert!(
        check(&committed).contains("warning[committed-low-confidence]"),
        "{}",
        check(&committed)
    );
    // Graded and closed: the grade speaks, not the old confidence.
    let closed = format!(
        "version: 1\nsettings:\n  closed: [2026-Q3]\n{}",
        committed
            .trim_start_matches("version: 1\n")
            .replacen(
                "        target: 100\n",
                "        target: 100\n        grade: 0.3\n",
                1
            )
            .replacen(
                "        target: 500\n",
                "        target: 500\n        grade: 0.9\n",
                1
            )
    );
    assert_eq!(check(&closed), "");
}

#[test]
fn every_rule_is_documented() {
    let method = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/method.md"),
    )
    .unwrap();
    for rule in okr::model::lint::RULES {
        assert!(
            method.contains(&format!("| `{}` |", rule.id)),
            "rule `{}` is not in docs/method.md",
            rule.id
        );
    }
    for (id, ..) in okr::model::lint::STORE_RULES {
        assert!(
            method.contains(&format!("| `{id}` |")),
            "rule `{id}` is not in docs/method.md"
        );
    }
}

/// Findings keep their exact place where the text is not plain block
/// style: CRLF line ends, comments, flow lists and maps, a multi-byte title
/// before the place (columns count characters), an alias.
#[test]
fn findings_are_placed_in_crlf_flow_and_commented_files() {
    let text = "version: 1\r\n# a comment\r\nobjectives:\r\n  - id: grow   # the one\r\n    title: 'Grøw: the # audience'\r\n    period: 2026-Q3\r\n    key_results:\r\n      - id: visitors\r\n        title: Visitors\r\n        target: 100\r\n        check_ins: [ {date: 2026-07-01, value: 1}, {date: 2025-01-01, value: 2} ]\r\n      - {id: followers, title: Fé, target: 500, check_ins: [{date: 2027-02-01, value: 3, nots: x}]}\r\n";
    // Columns counted by hand: the date of the second flow check-in, the
    // date of the check-in in the flow key result, the value of `nots`.
    let out = check(text);
    let places: Vec<&str> = out.lines().map(|l| l.split(": ").next().unwrap()).collect();
    assert_eq!(
        places,
        [
            "okrs.yaml:4:9",
            "okrs.yaml:11:59",
            "okrs.yaml:12:68",
            "okrs.yaml:12:96"
        ],
        "{out}"
    );
    assert!(
        out.contains("12:96: warning[unknown-key]: unknown key `nots`"),
        "{out}"
    );
}
