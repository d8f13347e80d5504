//! Issue 10's promises, each tried the way it could break: concurrent
//! writers through every path to a file, a process killed at each step of a
//! write, a full disk, a closed output, and files okr must not replace.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::harness::Env;

/// A directory workspace `okrs/` with one file holding one key result.
fn team_workspace() -> Env {
    let env = Env::new();
    env.write(
        "okrs/team/a.yaml",
        "# team file, hand-written\nversion: 1\nobjectives:\n  - id: grow\n    title: Grow\n    period: 2026-Q3\n    key_results:\n      - id: visitors\n        title: Visitors\n        start: 0\n        target: 100000\n",
    );
    env
}

fn temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".okr-") && n.ends_with(".tmp"))
        .collect()
}

#[test]
fn twenty_writers_through_mixed_paths_lose_no_check_in() {
    let env = team_workspace();
    let root = env.dir.path();
    std::os::unix::fs::symlink("okrs/team/a.yaml", root.join("link.yaml")).unwrap();
    std::os::unix::fs::symlink("okrs/team", root.join("teamdir")).unwrap();
    let abs = root.join("okrs/team/a.yaml").display().to_string();
    // Every way to name the same real file: relative, absolute, a symlink to
    // the file, a path through a symlinked directory, `..` detours, and the
    // directory workspace that contains it.
    let paths = [
        "okrs/team/a.yaml".to_string(),
        abs,
        "link.yaml".to_string(),
        "teamdir/a.yaml".to_string(),
        "okrs/team/../team/a.yaml".to_string(),
        "okrs".to_string(),
        "./okrs/".to_string(),
    ];
    std::thread::scope(|scope| {
        for w in 0..20 {
            let (env, path) = (&env, &paths[w % paths.len()]);
            scope.spawn(move || {
                for i in 0..10 {
                    let note = format!("w{w}-{i}");
                    let out = env
                        .std()
                        .args(["-f", path, "check-in", "visitors", "5", "--note", &note])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            });
        }
    });
    let text = env.read("okrs/team/a.yaml");
    let missing: Vec<String> = (0..20)
        .flat_map(|w| (0..10).map(move |i| format!("w{w}-{i}")))
        .filter(|n| !text.contains(&format!("note: {n}\n")))
        .collect();
    assert!(missing.is_empty(), "lost check-ins: {missing:?}");
    assert!(text.starts_with("# team file, hand-written\n"));
    assert!(temps(&root.join("okrs/team")).is_empty());
}

/// Runs `okr check-in` with `OKR_FAILPOINT=point`, waits until the write
/// stops there, and SIGKILLs it.
fn kill_at(env: &Env, point: &str) {
    let mut child = env
        .std()
        .args([
            "-f", "okrs", "check-in", "visitors", "7", "--note", "killed",
        ])
        .env("OKR_FAILPOINT", point)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, format!("okr: failpoint {point}\n"));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

#[test]
fn a_write_killed_at_any_step_leaves_old_or_new_and_the_next_write_cleans_up() {
    // The new text, from the same command run to completion elsewhere.
    let twin = team_workspace();
    twin.ok(&[
        "-f", "okrs", "check-in", "visitors", "7", "--note", "killed",
    ]);
    let new = twin.read("okrs/team/a.yaml");
    for (point, expect_new, leaves_temp) in [
        ("temp-created", false, true),
        ("mid-write", false, true),
        ("after-fsync", false, true),
        ("before-rename", false, true),
        ("after-rename", true, false),
    ] {
        let env = team_workspace();
        let old = env.read("okrs/team/a.yaml");
        kill_at(&env, point);
        let now = env.read("okrs/team/a.yaml");
        let want = if expect_new { &new } else { &old };
        assert_eq!(&now, want, "killed at {point}");
        let dir = env.path("okrs/team");
        assert_eq!(!temps(&dir).is_empty(), leaves_temp, "{point}");
        // A leftover is never read as data...
        assert_eq!(
            env.json(&["-f", "okrs", "list"])["objectives"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        // ...and the next write in that directory removes it.
        env.ok(&["-f", "okrs", "check-in", "visitors", "9"]);
        assert!(temps(&dir).is_empty(), "{point}: {:?}", temps(&dir));
    }
}

#[test]
fn a_failed_directory_sync_is_reported_not_hidden() {
    let env = team_workspace();
    let out = env
        .okr()
        .args(["-f", "okrs", "check-in", "visitors", "7"])
        .env("OKR_FAILPOINT", "dir-fsync=error")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning:") && err.contains("may not survive"),
        "{err}"
    );
}

#[test]
fn injected_io_errors_and_a_full_disk_change_nothing() {
    for point in [
        // The fsync is really made: its failure fails the write.
        "fsync=error",
        "temp-created=enospc",
        "mid-write=enospc",
        "after-fsync=error",
        "before-rename=error",
    ] {
        let env = team_workspace();
        let old = env.read("okrs/team/a.yaml");
        let out = env
            .okr()
            .args(["-f", "okrs", "check-in", "visitors", "7"])
            .env("OKR_FAILPOINT", point)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{point}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: "), "{point}: {err}");
        let name = point.split('=').next().unwrap_or(point);
        if point.ends_with("=error") {
            assert!(
                err.contains(&format!("injected failure at {name}")),
                "{err}"
            );
        }
        if point.ends_with("enospc") {
            assert!(err.contains("No space left on device"), "{err}");
        }
        assert_eq!(env.read("okrs/team/a.yaml"), old, "{point}");
        assert!(temps(&env.path("okrs/team")).is_empty(), "{point}");
    }
}

#[test]
fn a_real_file_size_limit_fails_the_write_cleanly() {
    let env = team_workspace();
    // A file larger than the limit (ulimit -f counts 512- or 1024-byte blocks).
    let big = format!("{}# {}\n", env.read("okrs/team/a.yaml"), "x".repeat(8000));
    env.write("okrs/team/a.yaml", &big);
    let bin = assert_cmd::cargo::cargo_bin("okr");
    let script = format!(
        "trap '' XFSZ; ulimit -f 4; exec '{}' -f okrs check-in visitors 7",
        bin.display()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(env.dir.path())
        .env("HOME", env.dir.path())
        .env("OKR_TODAY", crate::harness::TODAY)
        .env_remove("OKR_FILE")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("too large"), "{err}");
    assert_eq!(env.read("okrs/team/a.yaml"), big);
    assert!(temps(&env.path("okrs/team")).is_empty());
}

#[test]
fn stdout_to_dev_full_is_an_error_and_a_closed_pipe_is_not() {
    let env = team_workspace();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = env
        .std()
        .args(["-f", "okrs", "list"])
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot write output") && !err.contains("panicked"),
        "{err}"
    );

    let mut child = env
        .std()
        .args(["-f", "okrs", "report", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn read_only_and_hard_linked_files_are_refused_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let env = team_workspace();
    let file = env.path("okrs/team/a.yaml");
    let old = env.read("okrs/team/a.yaml");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let err = env.fails(&["-f", "okrs", "check-in", "visitors", "7"], 1);
    assert!(
        err.contains("read-only") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(env.read("okrs/team/a.yaml"), old);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();

    std::fs::hard_link(&file, env.path("elsewhere.yaml")).unwrap();
    let err = env.fails(&["-f", "elsewhere.yaml", "check-in", "visitors", "7"], 1);
    assert!(err.contains("2 hard links"), "{err}");
    assert_eq!(env.read("elsewhere.yaml"), old);
}

#[test]
fn new_files_get_their_mode_from_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("okr");
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022; exec '{}' init --today 2026-08-15",
            bin.display()
        ))
        .current_dir(env.dir.path())
        .env("HOME", env.dir.path())
        .env_remove("OKR_FILE")
        .status()
        .unwrap();
    assert!(status.success());
    let mode = std::fs::metadata(env.path("okrs.yaml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}

const ONE_KR: &str = "version: 1\nobjectives:\n  - id: grow\n    title: Grow\n    owner: NO\n    period: 2026-Q3\n    key_results:\n      - id: visitors\n        title: Visitors\n        unit: off\n        start: 0\n        target: 100\n";

#[test]
fn nan_and_infinity_are_refused_with_their_place_by_every_command() {
    let env = Env::new();
    env.write("okrs.yaml", &ONE_KR.replace("target: 100", "target: .nan"));
    for args in [&["list"][..], &["check-in", "visitors", "5"]] {
        let err = env.fails(args, 1);
        assert!(err.contains("okrs.yaml:12:17:"), "{args:?}: {err}");
        assert!(err.contains("NaN and infinities are refused"), "{err}");
    }
    let out = env.okr().arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("okrs.yaml:12:17: error[parse]: `.nan` is not a usable number"),
        "{stdout}"
    );
    env.write("okrs.yaml", &ONE_KR.replace("start: 0", "start: -.inf"));
    let err = env.fails(&["list"], 1);
    assert!(err.contains("okrs.yaml:11:16:"), "{err}");
}

#[test]
fn hand_written_ids_are_checked_like_generated_ones() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        &ONE_KR.replace("id: visitors", "id: '# Injected heading'"),
    );
    let err = env.fails(&["report", "--format", "markdown"], 1);
    assert!(
        err.contains("okrs.yaml:8:13: invalid ID `# Injected heading`"),
        "{err}"
    );
    let out = env.okr().arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("okrs.yaml:8:13: error[parse]: invalid ID"),
        "{stdout}"
    );
}

#[test]
fn yaml11_words_are_strings_and_check_warns_with_the_quoted_fix() {
    let env = Env::new();
    env.write("okrs.yaml", ONE_KR);
    let list = env.json(&["list"]);
    assert_eq!(list["objectives"][0]["owner"], "NO");
    let out = env.okr().arg("check").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "okrs.yaml:5:12: warning[yaml11-boolean]: `NO` is read by okr as the text \"NO\""
        ) && stdout.contains("write 'NO' in quotes"),
        "{stdout}"
    );
    assert!(
        stdout.contains("okrs.yaml:10:15: warning[yaml11-boolean]: `off`"),
        "{stdout}"
    );
    // Written with the fix, the file is clean of this rule.
    env.write(
        "okrs.yaml",
        &ONE_KR.replace("NO", "'NO'").replace("off", "'off'"),
    );
    let out = env.okr().arg("check").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("yaml11"));
}

#[test]
fn odd_command_line_dates_are_refused() {
    let env = Env::new();
    env.write("okrs.yaml", ONE_KR);
    let before = env.read("okrs.yaml");
    for date in ["-2026-01-01", "+12026-01-01", "0000-01-01", "2026-8-1"] {
        let err = env.fails(&["check-in", "visitors", "5", &format!("--date={date}")], 2);
        assert!(
            err.contains("use YYYY-MM-DD with a year from 0001 to 9999"),
            "{date}: {err}"
        );
    }
    assert_eq!(env.read("okrs.yaml"), before);
}

/// A title, owner and note carrying every kind of unsafe character: OSC
/// title and clipboard sequences, a CSI clear, C1, bidi override, zero-width
/// space, direction mark, line separator, BOM.
const HOSTILE: &str = r#"version: 1
objectives:
  - id: grow
    title: "Grow\e]0;pwned\a \e]52;c;ZXZpbA==\a rev\u200Benue \u202Eevil \u2028sep \uFEFFbom \x9B31m \e[2J"
    owner: "ops\u200E\u2029"
    period: 2026-Q3
    key_results:
      - id: visitors
        title: "Visi\u200Dtors\e[8m"
        start: 0
        target: 100
        check_ins:
          - date: 2026-08-01
            value: 10
            note: "note\e]52;c;eA==\a\u2066x"
"#;

const UNSAFE: [&str; 11] = [
    "\x1b", "\x07", "\u{9b}", "\u{200b}", "\u{200d}", "\u{200e}", "\u{202e}", "\u{2028}",
    "\u{2029}", "\u{feff}", "\u{2066}",
];

/// Everything `okr ARGS` shows in a real pseudo-terminal.
fn on_terminal(env: &Env, args: &[&str]) -> String {
    use expectrl::Expect;
    let mut cmd = env.std();
    cmd.args(args);
    let mut session = expectrl::Session::spawn(cmd).unwrap();
    session.set_expect_timeout(Some(std::time::Duration::from_secs(30)));
    let cap = session.expect(expectrl::Eof).unwrap();
    String::from_utf8_lossy(cap.get(0).unwrap_or_default()).into_owned()
}

#[test]
fn nothing_unsafe_reaches_a_terminal_in_any_format() {
    let env = Env::new();
    env.write("okrs.yaml", HOSTILE);
    for args in [
        &["list"][..],
        &["show", "grow"],
        &["show", "visitors"],
        &["tree"],
        &["history", "visitors"],
        &["report"],
        &["report", "--format", "csv"],
        &["report", "--format", "json"],
        &["report", "--format", "markdown"],
        &["list", "--format", "json"],
        &["check"],
        &["-f", "no\nsuch\u{202e}file.yaml", "list"],
    ] {
        let shown = on_terminal(&env, args);
        for u in UNSAFE {
            assert!(
                !shown.contains(u),
                "okr {args:?} printed {u:?} raw:\n{shown}"
            );
        }
        assert!(!shown.is_empty(), "{args:?}");
    }
    let shown = on_terminal(&env, &["report", "--format", "csv"]);
    assert!(
        shown.contains(r"rev\u{200b}enue") && shown.contains(r"\e]0;pwned\x07"),
        "{shown}"
    );
    let err = on_terminal(&env, &["-f", "no\nsuch.yaml", "list"]);
    assert!(err.contains(r"no\nsuch.yaml: no such file"), "{err}");
}

#[test]
fn a_pipe_gets_the_data_as_it_is_except_json_escapes_c1_and_bidi() {
    let env = Env::new();
    env.write("okrs.yaml", HOSTILE);
    let csv = env.ok(&["report", "--format", "csv"]);
    assert!(
        csv.contains("Grow\x1b]0;pwned\x07") && csv.contains("rev\u{200b}enue"),
        "{csv}"
    );
    let json = env.ok(&["report", "--format", "json"]);
    for raw in [
        "\u{9b}", "\u{202e}", "\u{2028}", "\u{2029}", "\u{200e}", "\u{2066}",
    ] {
        assert!(!json.contains(raw), "{raw:?} raw in JSON");
    }
    assert!(
        json.contains(r"\u009b31m") && json.contains(r"\u202eevil"),
        "{json}"
    );
    assert!(
        json.contains("rev\u{200b}enue"),
        "other text stays as it is"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v.to_string().contains("\u{202e}evil"),
        "the same JSON value"
    );
}
