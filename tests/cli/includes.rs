//! Includes, scripted as a company would (issue 12): a company repository
//! and three team repositories, each a local bare remote with a clone; the
//! teams align to the company's objective; the company reads them all.

use std::process::Output;

use crate::git::Team;

const COMPANY: &str = "\
version: 1
settings:
  workspace_name: company
  rollup: children
  includes:
    platform:
      remote: ../platform.git
    mobile:
      remote: ../mobile.git
      ref: main
    data:
      remote: ../data.git
objectives:
  - id: delight-customers
    title: Delight customers
    level: company
    period: 2026-Q3
";

/// A team's file: one objective aligned to the company, one key result
/// from 0 to 100 checked in at `value`.
fn team_file(obj: &str, kr: &str, value: u32) -> String {
    format!(
        "version: 1
objectives:
  - id: {obj}
    title: Team objective {obj}
    period: 2026-Q3
    parent: company:delight-customers
    key_results:
      - id: {kr}
        title: Key result {kr}
        start: 0
        target: 100
        check_ins:
          - {{date: 2026-08-01, value: {value}}}
      - id: shared
        title: A key result every team names the same
        start: 0
        target: 100
        check_ins:
          - {{date: 2026-08-01, value: {value}}}
"
    )
}

fn git_ok(t: &Team, dir: &std::path::Path, args: &[&str]) {
    let out = t.git_out_in(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository `NAME.git` with a clone `NAME` holding `okrs.yaml`.
fn repo(t: &Team, name: &str, text: &str) {
    let bare = format!("{name}.git");
    git_ok(
        t,
        t.dir.path(),
        &["init", "-q", "--bare", "-b", "main", &bare],
    );
    git_ok(t, t.dir.path(), &["clone", "-q", &bare, name]);
    t.write(name, "okrs.yaml", text);
    t.commit(name, "OKRs");
    t.git(name, &["push", "-q", "origin", "main"]);
}

/// The company and its teams: platform 50%, mobile 20%, data 80%.
fn company() -> Team {
    let t = Team {
        dir: tempfile::tempdir().expect("temp dir"),
    };
    repo(&t, "platform", &team_file("reliable", "uptime", 50));
    repo(&t, "mobile", &team_file("crash-free", "sessions", 20));
    repo(&t, "data", &team_file("fresh", "pipelines", 80));
    repo(&t, "company", COMPANY);
    t
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn fails(t: &Team, who: &str, args: &[&str], code: i32) -> Output {
    let out = t.okr(who, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "okr {args:?}\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

#[test]
fn the_company_tree_shows_every_team_aligned_with_rolled_up_progress() {
    let t = company();
    let tree = t.okr_ok("company", &["tree"]);
    let lines: Vec<&str> = tree.lines().collect();
    // Mean of the teams' 50%, 20% and 80%, by the company's rollup.
    assert!(
        lines[0].starts_with("delight-customers") && lines[0].contains("50%"),
        "{tree}"
    );
    for (id, pct) in [
        ("platform:reliable", "50%"),
        ("mobile:crash-free", "20%"),
        ("data:fresh", "80%"),
    ] {
        let line = lines
            .iter()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} missing:\n{tree}"));
        assert!(line.contains("── ") && line.contains(pct), "{tree}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&t.okr_ok("company", &["tree", "--format", "json"])).unwrap();
    let root = &json["roots"][0];
    assert_eq!(root["workspace"], serde_json::Value::Null);
    assert!((root["rolled_up"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    let mut kids: Vec<String> = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{}={}", c["workspace"].as_str().unwrap(), c["id"]))
        .collect();
    kids.sort();
    assert_eq!(
        kids,
        [
            "data=\"data:fresh\"",
            "mobile=\"mobile:crash-free\"",
            "platform=\"platform:reliable\""
        ]
    );
}

#[test]
fn the_json_report_holds_every_teams_key_results_with_their_workspace() {
    let t = company();
    let json: serde_json::Value =
        serde_json::from_str(&t.okr_ok("company", &["report", "--format", "json"])).unwrap();
    let mut krs: Vec<(String, String)> = json["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["key_results"].as_array().unwrap().iter())
        .map(|k| {
            (
                k["workspace"].as_str().unwrap_or("-").to_string(),
                k["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    krs.sort();
    let want: Vec<(String, String)> = [
        ("data", "data:pipelines"),
        ("data", "data:shared"),
        ("mobile", "mobile:sessions"),
        ("mobile", "mobile:shared"),
        ("platform", "platform:shared"),
        ("platform", "platform:uptime"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(krs, want);
    // Every other format carries them too.
    for format in ["markdown", "csv", "html", "table"] {
        let out = t.okr_ok("company", &["report", "--format", format]);
        assert!(out.contains("mobile:sessions"), "{format}:\n{out}");
    }
    let list = t.okr_ok("company", &["list", "--format", "json"]);
    assert!(list.contains("\"workspace\": \"data\""), "{list}");
}

#[test]
fn a_teams_new_check_in_appears_after_sync_includes() {
    let t = company();
    // The first read fetches every include, and says so.
    let first = t.okr("company", &["tree"]);
    assert!(
        text(&first.stderr)
            .contains("note: fetched 3 includes for the first time: `data`, `mobile`, `platform`"),
        "{}",
        text(&first.stderr)
    );
    assert!(!text(&t.okr("company", &["tree"]).stderr).contains("for the first time"));
    t.okr_ok(
        "platform",
        &["check-in", "uptime", "90", "--date", "2026-08-10"],
    );
    t.commit("platform", "check-in");
    t.git("platform", &["push", "-q", "origin", "main"]);
    // Not online yet: the last fetch is what the company reads.
    let before = t.okr_ok("company", &["history", "platform:uptime"]);
    assert!(!before.contains("2026-08-10"), "{before}");
    let out = t.okr("company", &["sync", "--includes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(summary.contains("platform: 1 change"), "{summary}");
    assert!(
        summary.contains("platform:uptime: check-in added: 2026-08-10 90"),
        "{summary}"
    );
    assert!(summary.contains("mobile: up to date"), "{summary}");
    let after = t.okr_ok("company", &["history", "platform:uptime"]);
    assert!(after.contains("2026-08-10"), "{after}");
    // `okr diff` names what the last fetch brought in.
    let diff = t.okr_ok("company", &["diff", "--format", "json"]);
    assert!(diff.contains("\"workspace\": \"platform\""), "{diff}");
    // Offline later on, reads note the age of the last fetch.
    let out = t.okr("company", &["--today", "2026-08-20", "tree"]);
    assert!(
        text(&out.stderr).contains(
            "note: 3 includes are as last fetched, the oldest (`data`) on 2026-08-15 (5 days ago)"
        ),
        "{}",
        text(&out.stderr)
    );
    // The cache lives in .git, never in the working tree.
    assert!(
        t.path("company")
            .join(".git/okr/includes/platform")
            .is_dir()
    );
    let status = t.git("company", &["status", "--porcelain"]);
    assert_eq!(status, "");
}

#[test]
fn a_removed_team_repository_is_a_named_warning_and_an_error_with_strict() {
    let t = company();
    t.okr_ok("company", &["tree"]);
    std::fs::rename(t.dir.path().join("mobile.git"), t.dir.path().join("gone")).unwrap();
    let out = t.okr("company", &["sync", "--includes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("warning: include `mobile` (remote ../mobile.git (main)) cannot be fetched"),
        "{err}"
    );
    assert!(text(&out.stdout).contains("platform: up to date"));
    let out = fails(&t, "company", &["fetch", "--strict"], 1);
    assert!(
        text(&out.stderr).contains("error: include `mobile`"),
        "{}",
        text(&out.stderr)
    );
    // Its last fetch still reads.
    assert!(t.okr_ok("company", &["tree"]).contains("mobile:crash-free"));
    // A never-fetched include that is gone leaves the report standing.
    let fresh = t.path("company").join(".git/okr/includes/mobile");
    std::fs::remove_dir_all(fresh).unwrap();
    let out = t.okr("company", &["report"]);
    assert!(out.status.success());
    assert!(text(&out.stderr).contains("warning: include `mobile`"));
    assert!(text(&out.stdout).contains("platform:uptime"));
    assert!(!text(&out.stdout).contains("mobile:sessions"));
    let out = fails(&t, "company", &["report", "--strict"], 1);
    assert!(text(&out.stderr).contains("include `mobile`"));
    let out = fails(&t, "company", &["check", "--strict"], 3);
    assert!(
        text(&out.stdout).contains("warning[include-missing]: include `mobile`"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_write_to_an_included_id_is_refused_with_a_hint() {
    let t = company();
    let before = t.read("company", "okrs.yaml");
    for id in ["platform:uptime", "uptime"] {
        let out = fails(&t, "company", &["check-in", id, "99"], 1);
        let err = text(&out.stderr);
        assert!(
            err.contains("`platform:uptime` is in the include `platform` (remote ../platform.git), which is read-only here"),
            "{err}"
        );
        assert!(err.contains("hint: okr writes only to the workspace you stand in: run the command with ID `uptime` in a clone of ../platform.git"), "{err}");
    }
    for args in [
        &["add", "kr", "mobile:crash-free", "More", "--milestone"][..],
        &["rm", "data:fresh"],
        &["edit", "pipelines", "--title", "Other"],
        &["grade", "mobile:sessions", "0.5"],
    ] {
        let out = fails(&t, "company", args, 1);
        assert!(
            text(&out.stderr).contains("which is read-only here"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(t.read("company", "okrs.yaml"), before);
}

#[test]
fn ids_resolve_across_workspaces_and_ambiguity_names_them() {
    let t = company();
    let out = fails(&t, "company", &["show", "shared"], 1);
    let err = text(&out.stderr);
    assert!(
        err.contains("ID `shared` is used in more than one workspace: data:shared, mobile:shared, platform:shared"),
        "{err}"
    );
    assert!(
        t.okr_ok("company", &["show", "sessions"])
            .contains("mobile:sessions")
    );
    assert!(
        t.okr_ok("company", &["show", "data:shared"])
            .contains("data:shared")
    );
    let out = fails(&t, "company", &["show", "sesions"], 1);
    assert!(
        text(&out.stderr).contains("mobile:sessions"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn include_and_no_includes_narrow_what_is_read() {
    let t = company();
    let only = t.okr_ok("company", &["list", "--include", "data"]);
    assert!(
        only.contains("data:fresh") && !only.contains("platform:reliable"),
        "{only}"
    );
    let none = t.okr_ok("company", &["list", "--no-includes"]);
    assert!(!none.contains("data:fresh") && none.contains("delight-customers"));
    let out = fails(&t, "company", &["list", "--include", "nope"], 2);
    assert!(text(&out.stderr).contains("they are data, mobile, platform"));
}

#[test]
fn a_team_aligns_to_the_company_and_check_knows_its_includes() {
    let t = company();
    // The platform team reads the company workspace from a sibling checkout.
    let with = format!(
        "version: 1\nsettings:\n  includes:\n    company:\n      path: ../company\n{}",
        team_file("reliable", "uptime", 50).trim_start_matches("version: 1\n")
    );
    t.write("platform", "okrs.yaml", &with);
    let out = t.okr("platform", &["check"]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(!text(&out.stdout).contains("unknown-parent"));
    // The team's own tree hangs it under the company's objective.
    let tree = t.okr_ok("platform", &["tree"]);
    let lines: Vec<&str> = tree.lines().collect();
    assert!(lines[0].starts_with("company:delight-customers"), "{tree}");
    assert!(lines[1].contains("── reliable"), "{tree}");
    let id = t.okr_ok(
        "platform",
        &[
            "add",
            "objective",
            "Faster deploys",
            "--parent",
            "company:delight-customers",
        ],
    );
    assert!(
        t.read("platform", "okrs.yaml")
            .contains("parent: company:delight-customers")
    );
    assert_eq!(id.trim(), "faster-deploys");
    let out = fails(
        &t,
        "platform",
        &[
            "add",
            "objective",
            "X",
            "--parent",
            "company:delight-customer",
        ],
        1,
    );
    assert!(text(&out.stderr).contains("company:delight-customers"));
    // A parent no include provides, and an include that is not there.
    t.write(
        "platform",
        "okrs.yaml",
        &with
            .replace("company:delight-customers", "sales:win")
            .replace("path: ../company", "path: ../nowhere"),
    );
    let out = t.okr("platform", &["tree"]);
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains(
            "warning: include `company` (path ../nowhere) cannot be read and is left out"
        ),
        "{}",
        text(&out.stderr)
    );
    fails(&t, "platform", &["tree", "--strict"], 1);
    let out = fails(&t, "platform", &["check"], 1);
    let found = text(&out.stdout);
    assert!(
        found.contains("names parent `sales:win`, which no include provides"),
        "{found}"
    );
    assert!(
        found.contains("warning[include-missing]: include `company` (path ../nowhere)"),
        "{found}"
    );
}

#[test]
fn in_include_writes_to_a_local_include_and_never_to_a_remote_one() {
    let t = company();
    let company_file = COMPANY.replace("remote: ../platform.git", "path: ../platform");
    t.write("company", "okrs.yaml", &company_file);
    let out = fails(&t, "company", &["check-in", "platform:uptime", "99"], 1);
    assert!(
        text(&out.stderr).contains("or here with `okr --in-include platform …`"),
        "{}",
        text(&out.stderr)
    );
    let out = t.okr(
        "company",
        &[
            "--in-include",
            "platform",
            "check-in",
            "uptime",
            "99",
            "--date",
            "2026-08-14",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(t.read("platform", "okrs.yaml").contains("value: 99"));
    assert_eq!(t.read("company", "okrs.yaml"), company_file);
    let tree = t.okr_ok("company", &["tree"]);
    let line = tree
        .lines()
        .find(|l| l.contains("platform:reliable"))
        .unwrap();
    assert!(line.contains("74%"), "{tree}");
    // The address of the include is understood as a hint there.
    let out = fails(
        &t,
        "company",
        &[
            "--in-include",
            "platform",
            "check-in",
            "platform:uptime",
            "98",
        ],
        1,
    );
    assert!(
        text(&out.stderr).contains("did you mean `uptime`"),
        "{}",
        text(&out.stderr)
    );
    let out = fails(
        &t,
        "company",
        &["--in-include", "mobile", "check-in", "sessions", "30"],
        1,
    );
    assert!(
        text(&out.stderr).contains(
            "`mobile` is a remote include (../mobile.git), and okr never writes its fetch cache"
        ),
        "{}",
        text(&out.stderr)
    );
    fails(&t, "company", &["--in-include", "nope", "list"], 2);
    // One stale remote include is named in its note.
    let out = t.okr(
        "company",
        &["--today", "2026-08-20", "list", "--include", "data"],
    );
    assert!(
        text(&out.stderr)
            .contains("note: include `data` is as last fetched on 2026-08-15 (5 days ago)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_remote_directory_workspace_is_read_like_one_on_disk() {
    let t = Team {
        dir: tempfile::tempdir().expect("temp dir"),
    };
    let obj = |id: &str| {
        format!("version: 1\nobjectives:\n  - id: {id}\n    title: {id}\n    period: 2026-Q3\n")
    };
    git_ok(
        &t,
        t.dir.path(),
        &["init", "-q", "--bare", "-b", "main", "ops.git"],
    );
    git_ok(&t, t.dir.path(), &["clone", "-q", "ops.git", "ops"]);
    t.write("ops", "plan/okrs/a.yaml", &obj("alpha"));
    t.write("ops", "plan/okrs/sub/b.yml", &obj("beta"));
    t.write("ops", "plan/okrs/.hidden/c.yaml", &obj("gamma"));
    t.write("ops", "plan/okrs/notes.md", "not okr\n");
    t.commit("ops", "OKRs");
    t.git("ops", &["push", "-q", "origin", "main"]);
    let company = "version: 1\nsettings:\n  includes:\n    ops: {remote: ../ops.git, workspace: plan/okrs}\n    none: {remote: ../ops.git}\nobjectives: []\n";
    repo(&t, "company", company);
    let out = t.okr("company", &["list", "--format", "json"]);
    let ids: Vec<String> =
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect();
    assert_eq!(ids, ["ops:alpha", "ops:beta"]);
    assert!(
        text(&out.stderr).contains("include `none` (remote ../ops.git) cannot be read and is left out: the fetched repository has no workspace at `okrs.yaml` or `okrs`"),
        "{}",
        text(&out.stderr)
    );
}
