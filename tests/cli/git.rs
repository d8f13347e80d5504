//! okr and git together, in real scripted repositories: a bare remote and
//! two clones (alice, bob), with git's environment pinned (no system or
//! global config, fixed identities).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

use crate::harness::TODAY;

pub const FILE: &str = "\
# Team OKRs, kept by hand and with okr.
version: 1
objectives:
  # Our main objective this quarter.
  - id: brand
    title: Increase brand awareness
    period: 2026-Q3
    key_results:
      - id: visitors # the north star
        title: Website visitors
        start: 100000
        target: 1000000
        unit: visitors
        check_ins:
          - date: 2026-07-01
            value: 150000
      - id: mentions
        title: Press mentions
        target: 20
";

/// A bare remote and clones of it.
pub struct Team {
    pub dir: TempDir,
}

impl Team {
    /// A remote holding FILE (and, with `setup`, the merge driver's
    /// .gitattributes), cloned as `alice` and `bob`.
    pub fn new(setup: bool) -> Team {
        Team::with_file("okrs.yaml", FILE, setup)
    }

    pub fn with_file(rel: &str, text: &str, setup: bool) -> Team {
        let t = Team {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        t.git_in(
            t.dir.path(),
            &["init", "-q", "--bare", "-b", "main", "remote.git"],
        );
        t.git_in(t.dir.path(), &["clone", "-q", "remote.git", "alice"]);
        t.write("alice", rel, text);
        if setup {
            t.okr_ok("alice", &["git", "setup"]);
        }
        t.git("alice", &["add", "-A"]);
        t.git("alice", &["commit", "-q", "-m", "OKRs for Q3"]);
        t.git("alice", &["push", "-q", "origin", "main"]);
        t.git_in(t.dir.path(), &["clone", "-q", "remote.git", "bob"]);
        if setup {
            t.okr_ok("bob", &["git", "setup"]);
        }
        t
    }

    pub fn path(&self, who: &str) -> PathBuf {
        self.dir.path().join(who)
    }

    pub fn write(&self, who: &str, rel: &str, text: &str) {
        let p = self.path(who).join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }

    pub fn read(&self, who: &str, rel: &str) -> String {
        std::fs::read_to_string(self.path(who).join(rel)).expect("read")
    }

    pub fn env(&self, c: &mut Command, who: &str) {
        let name = if who.is_empty() { "tester" } else { who };
        c.env("HOME", self.dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.dir.path().join("no-global"))
            .env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", format!("{name}@example.com"))
            .env("GIT_COMMITTER_NAME", name)
            .env("GIT_COMMITTER_EMAIL", format!("{name}@example.com"))
            .env("GIT_EDITOR", "true")
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env("OKR_TODAY", TODAY)
            .env_remove("OKR_FILE")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
    }

    /// Runs git in `dir` and returns its output (success not required).
    pub fn git_out_in(&self, dir: &Path, args: &[&str]) -> Output {
        let mut c = Command::new("git");
        c.current_dir(dir).args(args);
        let who = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        self.env(&mut c, who);
        c.output().expect("run git")
    }

    fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.git_out_in(dir, args);
        assert!(
            out.status.success(),
            "git {args:?} failed\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs git in a clone, asserting success; returns stdout.
    pub fn git(&self, who: &str, args: &[&str]) -> String {
        self.git_in(&self.path(who), args)
    }

    /// Runs git in a clone; returns the whole output.
    pub fn git_out(&self, who: &str, args: &[&str]) -> Output {
        self.git_out_in(&self.path(who), args)
    }

    /// Runs okr in a clone.
    pub fn okr(&self, who: &str, args: &[&str]) -> Output {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("okr"));
        c.current_dir(self.path(who)).args(args);
        self.env(&mut c, who);
        c.output().expect("run okr")
    }

    /// Runs okr in a clone, asserting success; returns stdout.
    pub fn okr_ok(&self, who: &str, args: &[&str]) -> String {
        let out = self.okr(who, args);
        assert!(
            out.status.success(),
            "okr {args:?} failed with {:?}\n{}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Commits everything in a clone.
    pub fn commit(&self, who: &str, msg: &str) {
        self.git(who, &["add", "-A"]);
        self.git(who, &["commit", "-q", "-m", msg]);
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Alice and Bob both check in on `visitors`, on different KRs, and both
/// add an objective; Alice pushes first.
fn diverge(t: &Team) {
    let ci = |who: &str, kr: &str, v: &str, date: &str| {
        t.okr_ok(who, &["check-in", kr, v, "--date", date, "--author", who]);
    };
    ci("alice", "visitors", "300000", "2026-07-15");
    ci("alice", "mentions", "4", "2026-07-20");
    t.okr_ok(
        "alice",
        &["add", "objective", "Hire two engineers", "--id", "hiring"],
    );
    t.commit("alice", "alice checks in");
    t.git("alice", &["push", "-q"]);
    ci("bob", "visitors", "250000", "2026-07-08");
    ci("bob", "visitors", "420000", "2026-07-22");
    t.okr_ok(
        "bob",
        &["add", "objective", "Reduce churn", "--id", "churn"],
    );
    t.commit("bob", "bob checks in");
    t.git("bob", &["fetch", "-q"]);
}

/// Every check-in once, in date order, comments intact, both objectives.
fn assert_merged(text: &str) {
    for date in [
        "2026-07-01",
        "2026-07-08",
        "2026-07-15",
        "2026-07-22",
        "2026-07-20",
    ] {
        assert_eq!(text.matches(date).count(), 1, "{date} once in\n{text}");
    }
    let pos = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in\n{text}"));
    assert!(pos("2026-07-01") < pos("2026-07-08"));
    assert!(pos("2026-07-08") < pos("2026-07-15"));
    assert!(pos("2026-07-15") < pos("2026-07-22"));
    for comment in [
        "# Team OKRs, kept by hand and with okr.",
        "# Our main objective this quarter.",
        "# the north star",
    ] {
        assert!(
            text.contains(comment),
            "comment `{comment}` kept in\n{text}"
        );
    }
    assert!(text.contains("id: hiring") && text.contains("id: churn"));
    assert!(!text.contains("<<<<<<<"), "{text}");
}

#[test]
fn setup_is_idempotent_and_checkable() {
    let t = Team::new(false);
    let out = t.okr("alice", &["git", "setup", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not set up"));
    t.okr_ok("alice", &["git", "setup"]);
    let attrs = t.read("alice", ".gitattributes");
    let config = t.read("alice", ".git/config");
    assert_eq!(attrs, "/okrs.yaml merge=okr\n");
    assert!(config.contains("merge-driver %O %A %B %P"), "{config}");
    t.okr_ok("alice", &["git", "setup"]);
    assert_eq!(t.read("alice", ".gitattributes"), attrs);
    assert_eq!(t.read("alice", ".git/config"), config);
    assert!(
        t.okr_ok("alice", &["git", "setup", "--check"])
            .contains("set up")
    );
    let attr = t.git("alice", &["check-attr", "merge", "okrs.yaml"]);
    assert_eq!(attr.trim(), "okrs.yaml: merge: okr");
}

#[test]
fn setup_for_a_directory_workspace_marks_its_yaml_files() {
    let t = Team::with_file("okrs/team.yaml", FILE, true);
    assert_eq!(
        t.read("bob", ".gitattributes"),
        "/okrs/**/*.yaml merge=okr\n/okrs/**/*.yml merge=okr\n"
    );
    let attr = t.git("bob", &["check-attr", "merge", "okrs/sub/team.yaml"]);
    assert!(attr.trim().ends_with("merge: okr"), "{attr}");
    let other = t.git("bob", &["check-attr", "merge", "other.yaml"]);
    assert!(other.trim().ends_with("unspecified"), "{other}");
}

#[test]
fn outside_a_repository_setup_says_so() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("okrs.yaml"), FILE).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("okr"))
        .current_dir(d.path())
        .env("GIT_CEILING_DIRECTORIES", d.path().parent().unwrap())
        .args(["git", "setup"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("is not inside a git repository"), "{err}");
    assert!(err.contains("hint: run `git init`"), "{err}");
}

#[test]
fn merge_keeps_every_check_in_once_in_date_order() {
    let t = Team::new(true);
    diverge(&t);
    let out = t.git_out("bob", &["merge", "--no-edit", "origin/main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = t.read("bob", "okrs.yaml");
    assert_merged(&text);
    // okr reads the merged file, and the history is in date order.
    t.okr_ok("bob", &["check"]);
    let show = t.okr_ok("bob", &["show", "visitors"]);
    assert!(
        show.contains("420,000") || show.contains("420000"),
        "{show}"
    );
}

#[test]
fn rebase_keeps_every_check_in_once_in_date_order() {
    let t = Team::new(true);
    diverge(&t);
    let out = t.git_out("bob", &["rebase", "origin/main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_merged(&t.read("bob", "okrs.yaml"));
}

#[test]
fn cherry_pick_uses_the_driver_too() {
    let t = Team::new(true);
    diverge(&t);
    let out = t.git_out("bob", &["reset", "-q", "--hard", "origin/main"]);
    assert!(out.status.success());
    // Replay bob's commit (now unreferenced) by its hash.
    let bobs = t.git("bob", &["rev-parse", "ORIG_HEAD"]);
    let out = t.git_out("bob", &["cherry-pick", bobs.trim()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_merged(&t.read("bob", "okrs.yaml"));
}

#[test]
fn without_setup_git_conflicts_as_usual_and_okr_refuses_the_markers() {
    let t = Team::new(false);
    diverge(&t);
    let out = t.git_out("bob", &["merge", "--no-edit", "origin/main"]);
    assert!(!out.status.success(), "plain git should conflict");
    let text = t.read("bob", "okrs.yaml");
    assert!(text.contains("<<<<<<<"), "{text}");
    let out = t.okr("bob", &["list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("okrs.yaml:"), "{err}");
    assert!(
        err.contains("unresolved merge conflict: conflict markers on lines"),
        "{err}"
    );
}

#[test]
fn different_targets_conflict_on_the_target_line_only() {
    let t = Team::new(true);
    t.okr_ok("alice", &["edit", "visitors", "--target", "1200000"]);
    t.commit("alice", "raise");
    t.git("alice", &["push", "-q"]);
    t.okr_ok("bob", &["edit", "visitors", "--target", "800000"]);
    t.okr_ok(
        "bob",
        &["check-in", "mentions", "3", "--date", "2026-07-05"],
    );
    t.commit("bob", "lower");
    t.git("bob", &["fetch", "-q"]);
    let out = t.git_out("bob", &["merge", "--no-edit", "origin/main"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
    assert!(
        err.contains("key result `visitors`, field `target`: ours `800000`, theirs `1200000`"),
        "{err}"
    );
    let text = t.read("bob", "okrs.yaml");
    assert!(
        text.contains(
            "<<<<<<< ours\n        target: 800000\n=======\n        target: 1200000\n>>>>>>> theirs\n"
        ),
        "{text}"
    );
    assert_eq!(text.matches("<<<<<<<").count(), 1, "{text}");
    // The clean part merged: bob's check-in is there.
    assert!(text.contains("2026-07-05"));
    // Every command refuses the file until the conflict is resolved.
    for cmd in [
        &["list"][..],
        &["check-in", "mentions", "4"],
        &["show", "visitors"],
    ] {
        let out = t.okr("bob", cmd);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("unresolved merge conflict"),
            "{}",
            stderr(&out)
        );
    }
    // Resolving it (keep ours) lets okr read the file again.
    let resolved: String = text
        .lines()
        .filter(|l| !l.starts_with("<<<<<<<") && !l.starts_with(">>>>>>>"))
        .collect::<Vec<_>>()
        .join("\n");
    let resolved = resolved.replace("=======\n        target: 1200000\n", "") + "\n";
    t.write("bob", "okrs.yaml", &resolved);
    t.okr_ok("bob", &["show", "visitors"]);
}

#[test]
fn delete_against_check_in_is_a_named_conflict() {
    let t = Team::new(true);
    t.okr_ok("alice", &["rm", "mentions"]);
    t.commit("alice", "drop mentions");
    t.git("alice", &["push", "-q"]);
    t.okr_ok(
        "bob",
        &["check-in", "mentions", "3", "--date", "2026-07-05"],
    );
    t.commit("bob", "mentions");
    t.git("bob", &["fetch", "-q"]);
    let out = t.git_out("bob", &["merge", "--no-edit", "origin/main"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
    assert!(err.contains("key result `mentions`: ours "), "{err}");
    assert!(err.contains("theirs deleted it"), "{err}");
    let text = t.read("bob", "okrs.yaml");
    assert_eq!(text.matches("<<<<<<<").count(), 1, "{text}");
    assert!(text.contains("id: visitors"));
}

#[test]
fn the_same_new_id_on_both_sides_is_a_conflict() {
    let t = Team::new(true);
    t.okr_ok(
        "alice",
        &["add", "objective", "Hire two engineers", "--id", "hiring"],
    );
    t.commit("alice", "hiring");
    t.git("alice", &["push", "-q"]);
    t.okr_ok(
        "bob",
        &["add", "objective", "Hire a designer", "--id", "hiring"],
    );
    t.commit("bob", "hiring too");
    t.git("bob", &["fetch", "-q"]);
    let out = t.git_out("bob", &["merge", "--no-edit", "origin/main"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
    assert!(err.contains("objective `hiring`"), "{err}");
    let text = t.read("bob", "okrs.yaml");
    assert!(
        text.contains("<<<<<<< ours\n    title: Hire a designer\n=======\n    title: Hire two engineers\n>>>>>>> theirs\n"),
        "{text}"
    );
}

#[test]
fn an_invalid_side_falls_back_to_line_merge() {
    let d = tempfile::tempdir().unwrap();
    let p = |n: &str| d.path().join(n);
    std::fs::write(p("base"), FILE).unwrap();
    std::fs::write(
        p("ours"),
        FILE.replace("version: 1", "version: 1\nbogus: ["),
    )
    .unwrap();
    std::fs::write(p("theirs"), FILE.replace("target: 20", "target: 25")).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("okr"))
        .current_dir(d.path())
        .args(["merge-driver", "base", "ours", "theirs", "okrs.yaml"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(err.contains("falling back to git's line merge"), "{err}");
    assert!(err.contains("ours is not a valid OKR file"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    let merged = std::fs::read_to_string(p("ours")).unwrap();
    assert!(merged.contains("bogus: [") && merged.contains("target: 25"));
}

#[test]
fn diff_flags_an_eased_target_in_table_and_json() {
    let t = Team::new(false);
    let out = t.okr("alice", &["diff", "--exit-code"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    t.okr_ok("alice", &["edit", "visitors", "--target", "800000"]);
    t.okr_ok(
        "alice",
        &[
            "check-in",
            "visitors",
            "300000",
            "--date",
            "2026-07-15",
            "--author",
            "alice",
        ],
    );
    // Working tree against HEAD.
    let table = t.okr_ok("alice", &["diff"]);
    assert!(table.contains("target 1,000,000 → 800,000"), "{table}");
    assert!(
        table.contains("eased: target moved towards the start"),
        "{table}"
    );
    assert!(
        table.contains("check-in added: 2026-07-15 300,000 (alice)"),
        "{table}"
    );
    let out = t.okr("alice", &["diff", "--exit-code"]);
    assert_eq!(out.status.code(), Some(1));
    t.commit("alice", "lower the target");
    // Two revisions, as JSON.
    let json: serde_json::Value =
        serde_json::from_str(&t.okr_ok("alice", &["diff", "HEAD~1", "HEAD", "--format", "json"]))
            .unwrap();
    assert_eq!(json["from"], "HEAD~1");
    assert_eq!(json["eased"], 1);
    let c = &json["changes"][0];
    assert_eq!(c["item"], "key_result");
    assert_eq!(c["id"], "visitors");
    assert_eq!(c["change"], "changed");
    assert_eq!(c["field"], "target");
    assert_eq!(c["from"], "1000000");
    assert_eq!(c["to"], "800000");
    assert_eq!(c["eased"], true);
    let ci = &json["changes"][1];
    assert_eq!(ci["change"], "check_in_added");
    assert_eq!(ci["check_in"]["value"], 300000.0);
    assert_eq!(ci["check_in"]["author"], "alice");
    // One revision: against the working tree (now clean).
    let out = t.okr("alice", &["diff", "HEAD", "--exit-code"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn diff_names_added_renamed_and_moved_objectives() {
    let t = Team::with_file("okrs/team.yaml", FILE, false);
    std::fs::rename(
        t.path("alice").join("okrs/team.yaml"),
        t.path("alice").join("okrs/marketing.yaml"),
    )
    .unwrap();
    t.okr_ok("alice", &["edit", "brand", "--title", "Be known"]);
    t.okr_ok(
        "alice",
        &["add", "objective", "Hire two engineers", "--id", "hiring"],
    );
    let table = t.okr_ok("alice", &["diff"]);
    assert!(
        table.contains("moved okrs/team.yaml → okrs/marketing.yaml"),
        "{table}"
    );
    assert!(
        table.contains("renamed \"Increase brand awareness\" → \"Be known\""),
        "{table}"
    );
    assert!(table.contains("added \"Hire two engineers\""), "{table}");
    let out = t.okr("alice", &["diff", "no-such-rev"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`no-such-rev` is not a commit"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn log_lists_check_ins_with_commit_authors() {
    let t = Team::new(true);
    diverge(&t);
    let out = t.git_out("bob", &["merge", "--no-edit", "origin/main"]);
    assert!(out.status.success());
    t.okr_ok(
        "bob",
        &["edit", "visitors", "--target", "900000", "--owner", "dana"],
    );
    t.commit("bob", "lower the target");
    let table = t.okr_ok("bob", &["log", "visitors"]);
    // The check-in of 2026-07-15 was recorded by alice's commit.
    let row = table
        .lines()
        .find(|l| l.contains("2026-07-15 300,000"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("alice"), "{row}");
    assert!(
        table.contains("target 1,000,000 → 900,000 (eased"),
        "{table}"
    );
    assert!(table.contains("owner (none) → dana"), "{table}");
    assert!(!table.contains("mentions"), "only visitors: {table}");
    let json: serde_json::Value =
        serde_json::from_str(&t.okr_ok("bob", &["log", "visitors", "--format", "json"])).unwrap();
    assert_eq!(json["id"], "visitors");
    let entries = json["entries"].as_array().unwrap();
    let by_bob = entries
        .iter()
        .filter(|e| e["change"] == "check_in_added" && e["author"] == "bob")
        .count();
    assert_eq!(by_bob, 2, "{json}");
    assert!(
        entries
            .iter()
            .all(|e| e["commit"].as_str().unwrap().len() == 40)
    );
    // An objective's log includes its key results; the workspace log all.
    let brand = t.okr_ok("bob", &["log", "brand"]);
    assert!(
        brand.contains("mentions") && brand.contains("visitors"),
        "{brand}"
    );
    assert!(t.okr_ok("bob", &["log"]).contains("churn"));
    let out = t.okr("bob", &["log", "nonexistent"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn autocommit_commits_exactly_the_changed_files_with_a_message() {
    let t = Team::new(false);
    let with_setting = FILE.replace(
        "version: 1\n",
        "version: 1\nsettings:\n  git:\n    autocommit: true\n",
    );
    t.write("alice", "okrs.yaml", &with_setting);
    t.commit("alice", "autocommit on");
    // Something else staged, something else changed: both must stay out.
    t.write("alice", "notes.txt", "staged\n");
    t.git("alice", &["add", "notes.txt"]);
    t.write("alice", "README", "changed, not staged\n");
    t.okr_ok(
        "alice",
        &["check-in", "visitors", "550000", "--date", "2026-08-01"],
    );
    let log = t.git("alice", &["log", "--format=%an|%s", "-2"]);
    assert_eq!(
        log.lines().next(),
        Some("alice|check-in visitors: 550,000 visitors (50%)"),
        "{log}"
    );
    let files = t.git("alice", &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.trim(), "okrs.yaml");
    let status = t.git("alice", &["status", "--porcelain"]);
    assert!(status.contains("A  notes.txt"), "{status}");
    assert!(status.contains("?? README"), "{status}");
    // One commit per write command; read-only commands commit nothing.
    t.okr_ok("alice", &["edit", "visitors", "--target", "900000"]);
    t.okr_ok("alice", &["list"]);
    let subjects = t.git("alice", &["log", "--format=%s"]);
    assert_eq!(subjects.lines().count(), 4, "{subjects}");
    assert!(
        subjects.starts_with("okr: key result visitors: target 1,000,000 → 900,000"),
        "{subjects}"
    );
}

#[test]
fn without_autocommit_nothing_is_committed_and_commit_flag_opts_in() {
    let t = Team::new(false);
    t.okr_ok("alice", &["check-in", "visitors", "300000"]);
    assert_eq!(t.git("alice", &["log", "--format=%s"]).lines().count(), 1);
    t.okr_ok("alice", &["--commit", "check-in", "mentions", "3"]);
    let log = t.git("alice", &["log", "--format=%s"]);
    assert_eq!(log.lines().count(), 2);
    // The commit holds the whole file as it is now: both check-ins.
    let committed = t.git("alice", &["show", "HEAD:okrs.yaml"]);
    assert!(committed.contains("300000") && committed.contains("value: 3"));
}

#[test]
fn sync_pulls_with_the_driver_pushes_and_reports() {
    let t = Team::new(true);
    t.okr_ok(
        "alice",
        &[
            "--commit",
            "check-in",
            "visitors",
            "300000",
            "--date",
            "2026-07-15",
        ],
    );
    let out = t.okr_ok("alice", &["sync"]);
    assert!(out.contains("nothing came in"), "{out}");
    assert!(out.contains("went out"), "{out}");
    t.okr_ok(
        "bob",
        &[
            "--commit",
            "check-in",
            "visitors",
            "250000",
            "--date",
            "2026-07-08",
        ],
    );
    let out = t.okr_ok("bob", &["sync"]);
    assert!(
        out.contains("key result visitors: check-in added: 2026-07-15 300,000"),
        "{out}"
    );
    assert!(out.contains("check-in visitors: 250,000 visitors"), "{out}");
    t.okr_ok("alice", &["sync"]);
    let (a, b) = (t.read("alice", "okrs.yaml"), t.read("bob", "okrs.yaml"));
    assert_eq!(a, b);
    let pos = |s: &str| a.find(s).unwrap_or_else(|| panic!("{s} in {a}"));
    assert!(pos("2026-07-01") < pos("2026-07-08") && pos("2026-07-08") < pos("2026-07-15"));
    assert!(a.contains("# the north star"));
}

#[test]
fn sync_without_remote_offline_or_in_conflict_says_what_to_do() {
    // No remote.
    let d = tempfile::tempdir().unwrap();
    let t = Team::new(true);
    let lone = d.path().join("lone");
    std::fs::create_dir(&lone).unwrap();
    t.git_out_in(&lone, &["init", "-q"]);
    std::fs::write(lone.join("okrs.yaml"), FILE).unwrap();
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("okr"));
    c.current_dir(&lone).args(["sync"]);
    t.env(&mut c, "lone");
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no remote"), "{}", stderr(&out));
    assert!(stderr(&out).contains("git remote add"), "{}", stderr(&out));
    // A real conflict: both change the target.
    t.okr_ok(
        "alice",
        &["--commit", "edit", "visitors", "--target", "1200000"],
    );
    t.okr_ok("alice", &["sync"]);
    t.okr_ok(
        "bob",
        &["--commit", "edit", "visitors", "--target", "800000"],
    );
    let out = t.okr("bob", &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("stopped on a conflict"), "{err}");
    assert!(err.contains("git rebase --continue"), "{err}");
    assert!(t.read("bob", "okrs.yaml").contains("<<<<<<< ours"));
    assert!(t.path("bob").join(".git/rebase-merge").exists());
    t.git("bob", &["rebase", "--abort"]);
    // An offline remote.
    t.git(
        "bob",
        &["remote", "set-url", "origin", "/nonexistent/remote.git"],
    );
    let out = t.okr("bob", &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("cannot reach the remote"), "{err}");
    assert!(err.contains("your commits are safe locally"), "{err}");
}

#[test]
fn a_directory_workspace_merges_and_rebases_too() {
    let t = Team::with_file("okrs/marketing.yaml", FILE, true);
    diverge(&t);
    let out = t.git_out("bob", &["rebase", "origin/main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_merged(&t.read("bob", "okrs/marketing.yaml"));
}
