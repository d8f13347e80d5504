//! Core loop: init, add, check-in, list, show, edit, rm, and the store's promises.

use std::os::unix::fs::MetadataExt;
use std::process::Stdio;

use crate::harness::{Env, examples};

/// A hand-written file with comments in every corner, flow style, optional
/// fields left out and a key this version does not know.
const HAND_WRITTEN: &str = "\
# Team OKRs -- reviewed every Monday
version: 1   # format version

objectives:
  # The big one for this quarter
  - id: brand
    title: Increase brand awareness   # keep it short
    owner: marketing
    period: 2026-Q3
    x-tracker: JIRA-12   # unknown key, must survive
    key_results:
      # visitors come from the web analytics
      - id: visitors
        title: Website visitors
        start: 100000
        target: 1000000
        unit: visitors
        check_ins:
          - {date: 2026-07-01, value: 200000}   # first week
          # latest so far
          - date: 2026-07-08
            value: 300000
            confidence: 0.6

      - id: followers    # social
        title: 10x social media followers
        target: 50000
        start: 5000

  - id: community
    title: Build a community
    period: 2026-Q3
    key_results:
      - id: onboard
        title: Recruit and onboard 1,000 community members
        milestone: true
# trailing comment
";

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].trim().to_string()))
        .collect()
}

/// Asserts `new` is `old` with one contiguous block of lines inserted, and
/// returns that block.
fn added_block(old: &str, new: &str) -> Vec<String> {
    let o: Vec<&str> = old.lines().collect();
    let n: Vec<&str> = new.lines().collect();
    let prefix = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let suffix = o[prefix..]
        .iter()
        .rev()
        .zip(n[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        o.len(),
        "old lines were changed or removed:\n--- old\n{old}\n--- new\n{new}"
    );
    n[prefix..n.len() - suffix]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn the_issue_walkthrough_works() {
    let env = Env::new();
    env.ok(&["init", "--period", "2026-Q3"]);
    let o = env.ok(&[
        "add",
        "objective",
        "Increase brand awareness",
        "--owner",
        "marketing",
        "--level",
        "team",
    ]);
    assert_eq!(o, "increase-brand-awareness\n", "only the ID on stdout");
    let k = env.ok(&[
        "add",
        "kr",
        o.trim(),
        "Website visitors",
        "--start",
        "100000",
        "--target",
        "1000000",
        "--unit",
        "visitors",
    ]);
    assert_eq!(k, "website-visitors\n");
    let out = env.ok(&[
        "check-in",
        k.trim(),
        "550000",
        "--confidence",
        "0.7",
        "--note",
        "campaign launched",
        "--date",
        "2026-08-01",
    ]);
    assert_eq!(out, "", "check-in prints nothing on stdout");
    let v = env.json(&["list"]);
    assert_eq!(v["version"], 1);
    let kr = &v["objectives"][0]["key_results"][0];
    assert_eq!(kr["progress"], 0.5);
    assert_eq!(kr["current"], 550000.0);
    assert_eq!(kr["confidence"], 0.7);
    assert_eq!(kr["last_check_in"], "2026-08-01");
    assert_eq!(kr["unit"], "visitors");
    assert_eq!(v["objectives"][0]["period"], "2026-Q3");
    assert_eq!(v["objectives"][0]["kind"], "aspirational");
    assert_eq!(v["objectives"][0]["progress"], 0.5);
}

#[test]
fn hand_written_comments_survive_every_command() {
    let env = Env::new();
    env.write("okrs.yaml", HAND_WRITTEN);
    let before = comments(HAND_WRITTEN);
    let steps: &[&[&str]] = &[
        &["add", "objective", "Delight customers", "--owner", "cx"],
        &[
            "add",
            "kr",
            "brand",
            "Community members",
            "--target",
            "1000",
        ],
        &["check-in", "visitors", "550000", "--note", "campaign # 2"],
        &["check-in", "onboard", "done"],
        &["check-in", "followers", "9000"],
        &[
            "edit",
            "brand",
            "--title",
            "Grow brand awareness",
            "--owner",
            "growth",
        ],
        &["edit", "visitors", "--target", "1200000"],
        &["rm", "community-members"],
        &["rm", "delight-customers"],
    ];
    for args in steps {
        env.ok(args);
        let text = env.read("okrs.yaml");
        for c in &before {
            assert!(
                text.contains(c.as_str()),
                "after {args:?} lost comment {c:?}:\n{text}"
            );
        }
        assert!(
            text.contains("x-tracker: JIRA-12"),
            "unknown key lost after {args:?}"
        );
    }
    let v = env.json(&["show", "brand"]);
    assert_eq!(v["title"], "Grow brand awareness");
    assert_eq!(v["owner"], "growth");
    assert_eq!(v["key_results"][0]["target"], 1200000.0);
    assert_eq!(v["key_results"].as_array().unwrap().len(), 2);
}

#[test]
fn a_check_in_is_only_added_lines_inside_its_key_result() {
    let env = Env::new();
    env.write("okrs.yaml", HAND_WRITTEN);
    env.ok(&[
        "check-in",
        "visitors",
        "550000",
        "--confidence",
        "0.7",
        "--date",
        "2026-08-01",
    ]);
    let new = env.read("okrs.yaml");
    let block = added_block(HAND_WRITTEN, &new);
    assert!(block.iter().any(|l| l.contains("550000")), "{block:?}");
    // The block sits after the visitors KR's last check-in, before `followers`.
    let pos = new.find("550000").unwrap();
    assert!(pos > new.find("value: 300000").unwrap());
    assert!(pos < new.find("- id: followers").unwrap());

    // A KR without check-ins gets its first one as added lines too.
    let before = new;
    env.ok(&["check-in", "followers", "9000"]);
    let block = added_block(&before, &env.read("okrs.yaml"));
    assert!(block.iter().any(|l| l.contains("check_ins:")), "{block:?}");
}

#[test]
fn a_corrupted_file_gives_file_line_col_and_changes_nothing() {
    let env = Env::new();
    let broken = HAND_WRITTEN.replace(
        "            confidence: 0.6",
        "            confidence: [0.6",
    );
    env.write("okrs.yaml", &broken);
    let err = env.fails(&["check-in", "visitors", "1"], 1);
    assert!(err.contains("okrs.yaml:"), "{err}");
    assert!(err.contains('^'), "caret under the column: {err}");
    assert_eq!(env.read("okrs.yaml"), broken, "file untouched");

    // Invalid values are located too.
    let bad = HAND_WRITTEN.replace("confidence: 0.6", "confidence: 1.6");
    env.write("okrs.yaml", &bad);
    let err = env.fails(&["list"], 1);
    assert!(err.contains("okrs.yaml:23:"), "{err}");
    assert!(err.contains("0.0 to 1.0"), "{err}");
    assert!(
        err.contains("confidence: 1.6"),
        "offending line shown: {err}"
    );
    let err = env.fails(&["check-in", "followers", "1"], 1);
    assert!(err.contains("okrs.yaml:23:"), "{err}");
    assert_eq!(env.read("okrs.yaml"), bad);
}

#[test]
fn a_newer_format_or_unknown_top_level_key_is_refused() {
    let env = Env::new();
    env.write("okrs.yaml", "# future\nversion: 2\nobjectives: []\n");
    let err = env.fails(&["list"], 1);
    assert!(err.contains("okrs.yaml:2:"), "{err}");
    assert!(err.contains("version 2"), "{err}");
    env.write("okrs.yaml", "version: 1\nobjectives: []\ngoals: []\n");
    let err = env.fails(&["add", "objective", "X"], 1);
    assert!(err.contains("okrs.yaml:3:"), "{err}");
    assert!(err.contains("goals"), "{err}");
    assert_eq!(
        env.read("okrs.yaml"),
        "version: 1\nobjectives: []\ngoals: []\n"
    );
}

#[test]
fn twenty_concurrent_check_ins_are_all_recorded() {
    let env = Env::new();
    let (_, k) = env.with_brand();
    let children: Vec<_> = (0..20)
        .map(|i| {
            let value = (200_000 + i * 1000).to_string();
            env.std()
                .args(["check-in", &k, &value, "--note", &format!("run {i}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v = env.json(&["show", &k]);
    let notes: std::collections::BTreeSet<String> = v["check_ins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["note"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(notes.len(), 20, "{notes:?}");
}

#[test]
fn saving_an_unchanged_workspace_does_not_touch_the_file() {
    let env = Env::new();
    env.write("okrs.yaml", HAND_WRITTEN);
    let ino = std::fs::metadata(env.path("okrs.yaml")).unwrap().ino();
    let out = env
        .okr()
        .args(["edit", "brand", "--owner", "marketing"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing changed"));
    assert_eq!(env.read("okrs.yaml"), HAND_WRITTEN);
    assert_eq!(
        std::fs::metadata(env.path("okrs.yaml")).unwrap().ino(),
        ino,
        "not replaced"
    );
}

#[test]
fn writes_keep_permissions_and_go_through_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.write("real/okrs.yaml", HAND_WRITTEN);
    std::fs::set_permissions(
        env.path("real/okrs.yaml"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    std::os::unix::fs::symlink("real/okrs.yaml", env.path("okrs.yaml")).unwrap();
    env.ok(&["check-in", "visitors", "400000"]);
    let link = std::fs::symlink_metadata(env.path("okrs.yaml")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    let real = env.read("real/okrs.yaml");
    assert!(real.contains("400000"));
    let mode = std::fs::metadata(env.path("real/okrs.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // No temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(env.path("real"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn ids_resolve_by_unique_prefix_with_did_you_mean() {
    let env = Env::new();
    env.write("okrs.yaml", HAND_WRITTEN);
    let v = env.json(&["show", "vis"]);
    assert_eq!(v["id"], "visitors");
    let err = env.fails(&["show", "visitrs"], 1);
    assert!(err.contains("did you mean `visitors`"), "{err}");
    env.ok(&[
        "add",
        "kr",
        "brand",
        "Community size",
        "--target",
        "10",
        "--id",
        "community-size",
    ]);
    let err = env.fails(&["show", "comm"], 1);
    assert!(err.contains("ambiguous"), "{err}");
    assert!(err.contains("community, community-size"), "{err}");
    let err = env.fails(&["check-in", "brand", "5"], 1);
    assert!(err.contains("is an objective"), "{err}");
    let err = env.fails(
        &[
            "add", "kr", "brand", "Dup", "--target", "3", "--id", "visitors",
        ],
        1,
    );
    assert!(err.contains("already used"), "{err}");
}

#[test]
fn generated_ids_are_unique_slugs() {
    let env = Env::new();
    env.ok(&["init"]);
    assert_eq!(
        env.ok(&["add", "objective", "Delight customers!"]),
        "delight-customers\n"
    );
    assert_eq!(
        env.ok(&["add", "objective", "Delight customers"]),
        "delight-customers-2\n"
    );
    assert_eq!(
        env.ok(&[
            "add",
            "kr",
            "delight-customers-2",
            "NPS of 42 or better",
            "--start",
            "-10",
            "--target",
            "42"
        ]),
        "nps-of-42-or-better\n"
    );
}

#[test]
fn period_defaults_to_workspace_setting_then_todays_quarter() {
    let env = Env::new();
    env.ok(&["init", "--period", "2026-Q3"]);
    env.ok(&["add", "objective", "A"]);
    env.write("other/okrs.yaml", "version: 1\n");
    env.okr()
        .current_dir(env.path("other"))
        .args(["add", "objective", "B"])
        .env("OKR_TODAY", "2026-11-27")
        .assert()
        .success();
    assert_eq!(env.json(&["show", "a"])["period"], "2026-Q3");
    let v: serde_json::Value = serde_json::from_slice(
        &env.okr()
            .current_dir(env.path("other"))
            .args(["show", "b", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["period"], "2026-Q4");
}

#[test]
fn metric_start_equal_to_target_is_refused() {
    let env = Env::new();
    let (o, k) = env.with_brand();
    let err = env.fails(
        &["add", "kr", &o, "Flat", "--start", "5", "--target", "5"],
        2,
    );
    assert!(err.contains("different from its start"), "{err}");
    let before = env.read("okrs.yaml");
    env.fails(&["edit", &k, "--target", "100000"], 2);
    assert_eq!(env.read("okrs.yaml"), before);
}

#[test]
fn bad_values_say_the_valid_range() {
    let env = Env::new();
    let (_, k) = env.with_brand();
    let err = env.fails(&["check-in", &k, "5", "--confidence", "1.5"], 2);
    assert!(err.contains("0.0 to 1.0"), "{err}");
    let err = env.fails(&["check-in", &k, "done"], 2);
    assert!(err.contains("metric"), "{err}");
    let err = env.fails(&["check-in", &k, "5", "--date", "2026-13-01"], 2);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    let err = env.fails(&["add", "objective", "X", "--period", "2026-Q5"], 2);
    assert!(err.contains("2026-Q3"), "{err}");
}

#[test]
fn milestones_take_done_todo_or_a_score() {
    let env = Env::new();
    let (o, _) = env.with_brand();
    let m = env.ok(&["add", "kr", &o, "Assess pain points", "--milestone"]);
    let m = m.trim();
    env.ok(&["check-in", m, "0.4", "--date", "2026-08-01"]);
    assert_eq!(env.json(&["show", m])["progress"], 0.4);
    env.ok(&["check-in", m, "done", "--date", "2026-08-02"]);
    let v = env.json(&["show", m]);
    assert_eq!(v["progress"], 1.0);
    assert_eq!(v["current"], "done");
    assert_eq!(v["kind"], "milestone");
    env.fails(&["check-in", m, "2"], 2);
}

#[test]
fn negative_values_and_downward_metrics() {
    let env = Env::new();
    let (o, _) = env.with_brand();
    let k = env.ok(&[
        "add",
        "kr",
        &o,
        "Customer churn",
        "--start",
        "10",
        "--target",
        "5",
        "--unit",
        "%",
    ]);
    env.ok(&["check-in", k.trim(), "7.5"]);
    assert_eq!(env.json(&["show", k.trim()])["progress"], 0.5);
    let n = env.ok(&[
        "add",
        "kr",
        &o,
        "Net score",
        "--start",
        "-20",
        "--target",
        "20",
    ]);
    env.ok(&["check-in", n.trim(), "-10"]);
    assert_eq!(env.json(&["show", n.trim()])["progress"], 0.25);
}

#[test]
fn list_filters_by_period_owner_and_level() {
    let env = Env::new();
    env.write("okrs.yaml", HAND_WRITTEN);
    env.ok(&[
        "add",
        "objective",
        "Company goal",
        "--level",
        "company",
        "--period",
        "2026-Q4",
        "--owner",
        "ceo",
    ]);
    let ids = |v: serde_json::Value| -> Vec<String> {
        v["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(env.json(&["list", "--period", "2026-Q4"])),
        ["company-goal"]
    );
    assert_eq!(
        ids(env.json(&["list", "--level", "company"])),
        ["company-goal"]
    );
    assert_eq!(ids(env.json(&["list", "--owner", "marketing"])), ["brand"]);
    assert_eq!(ids(env.json(&["list"])).len(), 3);
}

#[test]
fn rm_removes_objectives_and_key_results_and_guards_children() {
    let env = Env::new();
    let (o, k) = env.with_brand();
    env.ok(&["add", "objective", "Child", "--parent", &o]);
    let err = env.fails(&["rm", &o], 1);
    assert!(err.contains("parent of child"), "{err}");
    env.ok(&["rm", &k]);
    assert_eq!(
        env.json(&["show", &o])["key_results"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    env.ok(&["rm", &o, "--force"]);
    env.fails(&["show", &o], 1);
    assert_eq!(
        env.json(&["list"])["objectives"].as_array().unwrap().len(),
        1
    );
}

#[test]
fn edit_refuses_cycles_and_fields_that_do_not_apply() {
    let env = Env::new();
    let (o, k) = env.with_brand();
    env.ok(&["add", "objective", "Child", "--parent", &o]);
    let err = env.fails(&["edit", &o, "--parent", "child"], 1);
    assert!(err.contains("cycle"), "{err}");
    env.fails(&["edit", &o, "--target", "5"], 2);
    env.fails(&["edit", &k, "--period", "2026-Q4"], 2);
    env.fails(&["edit", &k], 2);
    env.ok(&["edit", &k, "--weight", "2", "--stretch", "--owner", "web"]);
    let v = env.json(&["show", &k]);
    assert_eq!(v["weight"], 2.0);
    assert_eq!(v["stretch"], true);
    assert_eq!(v["owner"], "web");
}

#[test]
fn init_refuses_to_overwrite() {
    let env = Env::new();
    env.ok(&["init"]);
    let before = env.read("okrs.yaml");
    assert!(before.starts_with('#'), "commented header");
    let err = env.fails(&["init", "--period", "2026-Q1"], 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(env.read("okrs.yaml"), before);
}

#[test]
fn no_workspace_suggests_init_and_discovery_walks_up() {
    let env = Env::new();
    let err = env.fails(&["list"], 1);
    assert!(err.contains("okr init"), "{err}");
    env.with_brand();
    std::fs::create_dir_all(env.path("src/deep")).unwrap();
    env.okr()
        .current_dir(env.path("src/deep"))
        .args(["show", "web"])
        .assert()
        .success();
    // OKR_FILE and -f point elsewhere.
    env.write("elsewhere/team.yaml", "version: 1\nobjectives: []\n");
    let out = env
        .okr()
        .env("OKR_FILE", env.path("elsewhere/team.yaml"))
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["objectives"].as_array().unwrap().len(), 0);
    env.fails(&["-f", "missing.yaml", "list"], 1);
}

#[test]
fn a_directory_workspace_writes_only_the_file_that_changed() {
    let env = Env::new();
    env.write("okrs/company.yaml", "version: 1\nsettings:\n  default_period: 2026-Q3\nobjectives:\n  - id: grow\n    title: Grow\n    level: company\n    period: 2026-Q3\n");
    env.write("okrs/teams/sales.yaml", "version: 1\nobjectives:\n  - id: revenue\n    title: Increase recurring revenue\n    owner: sales\n    period: 2026-Q3\n    parent: grow\n    key_results:\n      - id: mrr\n        title: MRR\n        target: 2000000\n        unit: $\n");
    let company = env.read("okrs/company.yaml");
    let ino = std::fs::metadata(env.path("okrs/company.yaml"))
        .unwrap()
        .ino();
    env.ok(&["check-in", "mrr", "1500000"]);
    assert!(env.read("okrs/teams/sales.yaml").contains("1500000"));
    assert_eq!(env.read("okrs/company.yaml"), company);
    assert_eq!(
        std::fs::metadata(env.path("okrs/company.yaml"))
            .unwrap()
            .ino(),
        ino
    );
    // A new objective goes to its parent's file; --into names another.
    env.ok(&["add", "objective", "Renewals", "--parent", "revenue"]);
    assert!(env.read("okrs/teams/sales.yaml").contains("Renewals"));
    env.ok(&[
        "add",
        "objective",
        "Hire",
        "--into",
        "teams/hr.yaml",
        "--owner",
        "hr",
    ]);
    assert!(env.read("okrs/teams/hr.yaml").contains("Hire"));
    // IDs are unique across files.
    env.write(
        "okrs/dup.yaml",
        "version: 1\nobjectives:\n  - id: mrr\n    title: Dup\n    period: 2026-Q3\n",
    );
    let err = env.fails(&["list"], 1);
    assert!(err.contains("duplicate ID `mrr`"), "{err}");
    assert!(err.contains("teams/sales.yaml:9:13"), "{err}");
    assert!(err.contains("dup.yaml"), "{err}");
}

#[test]
fn exit_codes_are_documented_ones() {
    let env = Env::new();
    env.okr().arg("--help").assert().code(0);
    env.okr().args(["list", "--bogus"]).assert().code(2);
    env.okr().args(["frobnicate"]).assert().code(2);
    env.okr().args(["list"]).assert().code(1);
    for sub in ["init", "add", "check-in", "list", "show", "edit", "rm"] {
        let out = env.ok(&[sub, "--help"]);
        assert!(out.contains("Example"), "{sub} --help has an example");
    }
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let env = Env::new();
    env.write("okrs.yaml", HAND_WRITTEN);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = env
        .std()
        .args(["list"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let env = Env::new();
    env.write("okrs.yaml", HAND_WRITTEN);
    assert!(!env.ok(&["list"]).contains('\x1b'));
    assert!(env.ok(&["list", "--color", "always"]).contains('\x1b'));
    assert!(!env.ok(&["list", "--color", "never"]).contains('\x1b'));
}

#[test]
fn terminal_escapes_in_user_text_are_made_harmless() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: evil\n    title: \"Evil \\e]0;pwned\\a\\e[2J title\"\n    owner: \"\\e[31mred\"\n    period: 2026-Q3\n",
    );
    for args in [&["list"][..], &["show", "evil"][..]] {
        let out = env.ok(args);
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
        assert!(out.contains("\\e[2J"), "{out}");
    }
    let err = env.fails(&["show", "evil\x1b[2J"], 1);
    assert!(!err.contains('\x1b'), "{err:?}");
}

#[test]
fn every_example_loads() {
    let env = Env::new();
    let dir = examples();
    let v = env.json(&["-f", dir.to_str().unwrap(), "list"]);
    let objectives = v["objectives"].as_array().unwrap();
    assert!(objectives.len() >= 7, "{}", objectives.len());
    for f in std::fs::read_dir(&dir).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "yaml") {
            env.ok(&["-f", p.to_str().unwrap(), "list"]);
        }
    }
    // Every level is represented and team objectives align to company ones.
    let levels: std::collections::BTreeSet<&str> = objectives
        .iter()
        .map(|o| o["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels.len(), 3, "{levels:?}");
    assert!(objectives.iter().any(|o| o["parent"].is_string()));
}

#[test]
fn a_file_with_500000_check_ins_loads() {
    use std::fmt::Write;
    let env = Env::new();
    let mut s = String::from(
        "version: 1\nobjectives:\n  - id: big\n    title: Years of history\n    period: 2026\n    key_results:\n      - id: k\n        title: K\n        target: 1000000\n        check_ins:\n",
    );
    let start = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    for i in 0..500_000u64 {
        let date = start + chrono::Days::new(i / 40);
        writeln!(
            s,
            "          - date: {date}\n            value: {i}\n            confidence: 0.5"
        )
        .unwrap();
    }
    env.write("okrs.yaml", &s);
    let out = env.ok(&["list"]);
    assert!(
        out.contains("499,999 / 1,000,000"),
        "{}",
        &out[..out.len().min(2000)]
    );
}

#[test]
fn tricky_text_round_trips_through_the_file() {
    let env = Env::new();
    env.ok(&["init"]);
    assert!(
        !env.read("okrs.yaml").contains("settings"),
        "no empty settings"
    );
    env.ok(&["add", "objective", "true", "--owner", "null"]);
    env.ok(&[
        "add",
        "kr",
        "true",
        "2026-08-01",
        "--target",
        "5",
        "--unit",
        "'q' # h",
    ]);
    env.ok(&[
        "check-in",
        "2026",
        "3",
        "--note",
        "line one\nline two: \"x\" - y",
    ]);
    env.ok(&[
        "check-in",
        "2026",
        "4",
        "--note",
        "- leading dash",
        "--author",
        "@me",
    ]);
    env.ok(&[
        "edit",
        "true",
        "--description",
        "multi\nline",
        "--title",
        "123",
    ]);
    let text = env.read("okrs.yaml");
    assert!(text.ends_with('\n'), "final newline kept:\n{text}");
    let v = env.json(&["show", "true"]);
    assert_eq!(v["title"], "123");
    assert_eq!(v["owner"], "null");
    assert_eq!(v["description"], "multi\nline");
    let kr = &v["key_results"][0];
    assert_eq!(kr["title"], "2026-08-01");
    assert_eq!(kr["unit"], "'q' # h");
    assert_eq!(kr["check_ins"][0]["note"], "line one\nline two: \"x\" - y");
    assert_eq!(kr["check_ins"][1]["note"], "- leading dash");
    assert_eq!(kr["check_ins"][1]["author"], "@me");
}

#[test]
fn kpis_and_initiatives_share_the_id_namespace() {
    let env = Env::new();
    env.ok(&["init", "--period", "2026-Q3"]);
    env.ok(&[
        "kpi",
        "add",
        "Brand reach",
        "--at-least",
        "1",
        "--id",
        "brand",
    ]);
    let err = env.fails(&["add", "objective", "X", "--id", "brand"], 1);
    assert!(err.contains("already used"), "{err}");
    assert_eq!(env.ok(&["add", "objective", "Brand"]), "brand-2\n");
    env.ok(&["add", "kr", "brand-2", "Visitors", "--target", "10"]);
    env.ok(&[
        "initiative",
        "add",
        "visitors",
        "Launch campaign",
        "--id",
        "campaign",
    ]);
    let err = env.fails(
        &[
            "kpi",
            "add",
            "Campaign",
            "--at-most",
            "3",
            "--id",
            "campaign",
        ],
        1,
    );
    assert!(err.contains("already used"), "{err}");
}
