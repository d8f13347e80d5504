//! Errors that point at the right place: each broken file names the line and
//! column that is wrong and says what was expected in plain words; `okr
//! check` finds what the method warns about. Each rule has a case where it
//! fires and one where it does not.

use crate::harness::Env;

/// A good file; each test breaks one line of it.
const GOOD: &str = "\
version: 1
objectives:
  - id: grow
    title: Grow the audience
    period: 2026-Q3
    key_results:
      - id: visitors
        title: Website visitors
        target: 100
        check_ins:
          - date: 2026-08-01
            value: 10
      - id: followers
        title: Social followers
        target: 500
";

/// Writes GOOD with `from` replaced by `to`, runs `okr list`, expects exit 1
/// and returns stderr.
fn broken(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    let env = Env::new();
    env.write("okrs.yaml", &GOOD.replacen(from, to, 1));
    relative(&env, env.fails(&["list"], 1))
}

/// Stderr with the workspace's directory left out of paths.
fn relative(env: &Env, err: String) -> String {
    let dir = format!("{}{}", env.dir.path().display(), std::path::MAIN_SEPARATOR);
    err.replace(&dir, "")
}

#[test]
fn the_good_file_reads() {
    let env = Env::new();
    env.write("okrs.yaml", GOOD);
    env.ok(&["list"]);
}

#[test]
fn a_tab_is_reported_on_its_own_line() {
    let err = broken("        target: 100", "\ttarget: 100");
    assert!(
        err.starts_with(
            "error: okrs.yaml:9:1: indentation must use spaces: this line is indented with a tab\n"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "hint: replace the tab with spaces: 8 spaces would line it up with `title` on line 8"
        ),
        "{err}"
    );
    // A tab after some spaces: the column is the tab's.
    let err = broken("    period: 2026-Q3", "  \t  period: 2026-Q3");
    assert!(
        err.starts_with("error: okrs.yaml:5:3: indentation must use spaces"),
        "{err}"
    );
}

#[test]
fn a_key_indented_too_much_is_reported_at_the_key() {
    let err = broken("        target: 100", "          target: 100");
    assert!(
        err.starts_with("error: okrs.yaml:9:11: wrong indentation: `target` is indented 10 spaces, more than `title` on line 8 (8 spaces)"),
        "{err}"
    );
    assert!(
        err.contains(
            "hint: keys of one mapping must line up: indent `target` 8 spaces like `title`"
        ),
        "{err}"
    );
}

#[test]
fn a_key_indented_too_little_is_reported_at_the_key() {
    // The parser itself only notices a missing target at line 7.
    let err = broken("        target: 100", "       target: 100");
    assert!(
        err.starts_with("error: okrs.yaml:9:8: wrong indentation: `target` is indented 7 spaces, which lines up with no key above it"),
        "{err}"
    );
    assert!(err.contains("8 spaces like `title` on line 8"), "{err}");
    let err = broken("    period: 2026-Q3", "   period: 2026-Q3");
    assert!(
        err.starts_with("error: okrs.yaml:5:4: wrong indentation"),
        "{err}"
    );
}

#[test]
fn an_impossible_date_says_why() {
    let err = broken("2026-08-01", "2026-11-31");
    assert!(
        err.starts_with("error: okrs.yaml:11:19: 2026-11-31 is not a date: November has 30 days\n"),
        "{err}"
    );
    let err = broken("2026-08-01", "2026-02-29");
    assert!(err.contains("February 2026 has 28 days"), "{err}");
    let err = broken("2026-08-01", "last monday");
    assert!(
        err.contains("11:19: `last monday` is not a date: write it as YYYY-MM-DD"),
        "{err}"
    );
}

#[test]
fn a_word_where_a_number_belongs() {
    let err = broken("target: 100", "target: one million");
    assert!(
        err.starts_with("error: okrs.yaml:9:17: expected a number, found `one million`\n"),
        "{err}"
    );
    assert!(err.contains("hint: write digits only"), "{err}");
    let err = broken("value: 10", "value: lots");
    assert!(
        err.starts_with("error: okrs.yaml:12:20: expected a number (or `done`/`todo` for a milestone), found `lots`\n"),
        "{err}"
    );
    let err = broken("target: 500", "target: [1, 2]");
    assert!(
        err.starts_with("error: okrs.yaml:15:17: expected a single value, found a list"),
        "{err}"
    );
}

#[test]
fn an_unknown_value_lists_the_valid_ones() {
    let err = broken(
        "    period: 2026-Q3\n",
        "    period: 2026-Q3\n    kind: metrc\n",
    );
    assert!(
        err.starts_with(
            "error: okrs.yaml:6:11: `metrc` is not a valid `kind`: use committed or aspirational\n"
        ),
        "{err}"
    );
    assert!(err.contains("hint: `kind:` says whether an objective is committed or aspirational; a key result's measure comes from its fields"), "{err}");
    let err = broken(
        "    period: 2026-Q3\n",
        "    period: 2026-Q3\n    level: tem\n",
    );
    assert!(
        err.starts_with(
            "error: okrs.yaml:6:12: `tem` is not a valid `level`: use company, team or personal\n"
        ),
        "{err}"
    );
    assert!(err.contains("hint: did you mean `team`?"), "{err}");
    let err = broken("objectives:", "objectivs:");
    assert!(
        err.starts_with("error: okrs.yaml:2:1: unknown key `objectivs`: here okr reads version, settings, objectives and kpis\n"),
        "{err}"
    );
    assert!(err.contains("hint: did you mean `objectives`?"), "{err}");
}

#[test]
fn a_missing_key_is_reported_at_its_item() {
    let err = broken("    period: 2026-Q3\n", "");
    assert!(
        err.starts_with(
            "error: okrs.yaml:3:5: this objective has no `period:`, which is required\n"
        ),
        "{err}"
    );
    let err = broken("        title: Social followers\n", "");
    assert!(
        err.starts_with(
            "error: okrs.yaml:13:9: this key result has no `title:`, which is required\n"
        ),
        "{err}"
    );
}

#[test]
fn a_long_line_is_shown_around_the_column() {
    let long = format!("    title: {}\n    period: 2026-Q9\n", "word ".repeat(60));
    let err = broken("    title: Grow the audience\n    period: 2026-Q3\n", &long);
    let shown = err.lines().nth(2).unwrap();
    assert!(shown.starts_with("5 |     period: 2026-Q9"), "{err}");
    let env = Env::new();
    let line = format!(
        "    title: Grow\n    period: 2026-Q3\n    kind: {}metrc\n",
        "x".repeat(200)
    );
    env.write(
        "okrs.yaml",
        &GOOD.replacen(
            "    title: Grow the audience\n    period: 2026-Q3\n",
            &line,
            1,
        ),
    );
    let err = env.fails(&["list"], 1);
    let shown = err.lines().nth(2).unwrap();
    assert!(shown.chars().count() < 90, "{err}");
    assert!(shown.contains('…'), "{err}");
}

#[test]
fn check_reports_a_broken_file_at_the_same_place() {
    let env = Env::new();
    env.write("okrs.yaml", &GOOD.replacen("2026-08-01", "2026-11-31", 1));
    let out = env.okr().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "okrs.yaml:11:19: error[parse]: 2026-11-31 is not a date: November has 30 days\n"
    );
}

#[test]
fn an_edit_that_does_not_verify_is_an_internal_error() {
    // The lossless editor cannot change a value other keys alias.
    let env = Env::new();
    let text =
        GOOD.replacen("target: 100", "target: &t 100", 1)
            .replacen("target: 500", "target: *t", 1);
    env.write("okrs.yaml", &text);
    let err = env.fails(&["edit", "visitors", "--target", "50"], 70);
    assert!(err.starts_with("internal error: "), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(err.contains("hint: this is a bug in okr"), "{err}");
    assert!(err.contains("okr --version"), "{err}");
    assert_eq!(env.read("okrs.yaml"), text);
}

#[test]
fn usage_and_user_errors_keep_their_codes_and_hints() {
    let env = Env::new();
    env.write("okrs.yaml", GOOD);
    let err = env.fails(&["show", "visiters"], 1);
    assert!(err.contains("hint: did you mean `visitors`?"), "{err}");
    env.fails(&["list", "--no-such-option"], 2);
    let empty = Env::new();
    let err = empty.fails(&["list"], 1);
    assert!(err.contains("hint: run `okr init`"), "{err}");
}

#[test]
fn a_check_in_field_indented_wrongly_is_reported_at_the_field() {
    let err = broken("            value: 10", "           value: 10");
    assert!(
        err.starts_with("error: okrs.yaml:12:12: wrong indentation: `value` is indented 11 spaces, which lines up with no key above it"),
        "{err}"
    );
    assert!(err.contains("12 spaces like `date` on line 11"), "{err}");
}

#[test]
fn an_unclosed_bracket_is_reported_where_it_opens() {
    let err = broken(
        "        target: 100\n",
        "        target: 100\n        x-tags: [web, growth\n",
    );
    assert!(
        err.starts_with("error: okrs.yaml:10:17: this `[` is never closed: expected `,` or `]` before the line ends"),
        "{err}"
    );
    assert!(err.contains("hint: close it with `]`"), "{err}");
}

#[test]
fn a_list_item_indented_wrongly_is_reported_at_its_dash() {
    let err = broken("      - id: followers", "     - id: followers");
    assert!(
        err.starts_with("error: okrs.yaml:13:6: wrong indentation: `- id` is indented 5 spaces, which lines up with no key above it"),
        "{err}"
    );
    assert!(
        err.contains("indent it 6 spaces like the `-` on line 7"),
        "{err}"
    );
}
