//! Guards against the bugs a test suite most easily misses: each test is
//! named after the promise it protects, and each one fails when the matching
//! planted bug (docs/testing.md, "Mutation testing") is put back.

use std::fs;
use std::os::unix::fs::MetadataExt;

use crate::harness::Env;

/// Objective `b`'s owner is an alias of `a`'s: changing `a`'s owner in the
/// text would silently change `b`'s too, so the edit must be refused.
const ALIASED_OWNER: &str = "version: 1\nobjectives:\n  - id: a\n    title: A\n    period: 2026-Q3\n    owner: &o marketing\n  - id: b\n    title: B\n    period: 2026-Q3\n    owner: *o\n";

#[test]
fn an_edit_that_would_change_an_aliased_value_elsewhere_is_refused() {
    let env = Env::new();
    env.write("okrs.yaml", ALIASED_OWNER);
    // An edit that does not verify is okr's bug, not the user's: exit 70.
    let err = env.fails(&["edit", "a", "--owner", "sales"], 70);
    assert!(err.contains("okrs.yaml"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(env.read("okrs.yaml"), ALIASED_OWNER);
}

#[test]
fn a_write_replaces_the_file_instead_of_overwriting_it_in_place() {
    let env = Env::new();
    let (_, kr) = env.with_brand();
    let before = env.read("okrs.yaml");
    // A reader that opened the file before the write keeps seeing the old
    // text: the new text arrives in a new inode, renamed over the old name.
    let reader = fs::File::open(env.path("okrs.yaml")).unwrap();
    let inode = reader.metadata().unwrap().ino();
    env.ok(&["check-in", &kr, "550000"]);
    let old = std::io::read_to_string(&reader).unwrap();
    assert_eq!(old, before);
    assert_ne!(fs::metadata(env.path("okrs.yaml")).unwrap().ino(), inode);
    assert_ne!(env.read("okrs.yaml"), before);
}

/// The system calls of one check-in, traced with strace: the temporary
/// file is synced before it is renamed over the target, and the directory
/// is synced after the rename. Skipped (with a message) where strace is
/// missing or not permitted; CI installs it.
#[test]
fn a_write_syncs_the_temp_file_before_the_rename_and_the_directory_after() {
    let env = Env::new();
    let (_, kr) = env.with_brand();
    let log = env.path("trace.log");
    let cmd = env.std();
    let okr = cmd.get_program().to_owned();
    let status = std::process::Command::new("strace")
        .current_dir(env.dir.path())
        .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .args([
            "-f",
            "-y",
            "-qq",
            "-e",
            "trace=fsync,fdatasync,rename,renameat,renameat2",
            "-o",
        ])
        .arg(&log)
        .arg(okr)
        .args(["check-in", &kr, "550000"])
        .status();
    match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // .ci/run installs strace, so CI never skips for want of it.
            assert!(std::env::var_os("CI").is_none(), "CI needs strace");
            eprintln!("skipped: strace is not installed");
            return;
        }
        Ok(s) if !s.success() && fs::metadata(&log).map_or(true, |m| m.len() == 0) => {
            eprintln!("skipped: strace cannot trace here (ptrace not permitted?)");
            return;
        }
        other => assert!(matches!(other, Ok(s) if s.success()), "{other:?}"),
    }
    let trace = fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = trace.lines().collect();
    let pos = |pred: &dyn Fn(&str) -> bool| lines.iter().position(|l| pred(l));
    let is_tmp_sync = |l: &str| l.contains("sync(") && l.contains(".okr-") && l.contains(".tmp>");
    let is_rename =
        |l: &str| l.contains("rename") && l.contains(".okr-") && l.contains("okrs.yaml");
    let dir = env.dir.path().canonicalize().unwrap();
    let dir_fd = format!("<{}>)", dir.display());
    let sync_tmp =
        pos(&is_tmp_sync).unwrap_or_else(|| panic!("no fsync of the temp file:\n{trace}"));
    let rename = pos(&is_rename).unwrap_or_else(|| panic!("no rename:\n{trace}"));
    let sync_dir = lines
        .iter()
        .enumerate()
        .skip(rename)
        .find(|(_, l)| l.contains("fsync(") && l.contains(&dir_fd))
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("no fsync of the directory after the rename:\n{trace}"));
    assert!(sync_tmp < rename && rename < sync_dir, "{trace}");
}

#[test]
fn html_report_escapes_descriptions_and_kpi_titles() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: x\n    title: X\n    description: \"<script>alert('desc')</script>\"\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        start: 0\n        target: 10\nkpis:\n  - id: up\n    title: \"<img src=x onerror=alert('kpi')>\"\n    at_least: 99\n    check_ins:\n      - date: 2026-08-01\n        value: 90\n",
    );
    let html = env.ok(&["report", "--format", "html"]);
    assert!(!html.contains("<script>alert('desc')"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;desc&#39;)")
            || html.contains("&lt;script&gt;alert('desc')"),
        "{html}"
    );
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("&lt;img src=x"), "{html}");
}

#[test]
fn a_check_in_dated_today_counts_today() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        &format!(
            "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        start: 0\n        target: 100\n        check_ins:\n          - date: {}\n            value: 100\n",
            crate::harness::TODAY
        ),
    );
    let list = env.json(&["list"]);
    let k = &list["objectives"][0]["key_results"][0];
    assert_eq!(k["progress"], 1.0, "{k}");
    assert_eq!(k["status"], "done", "{k}");
    let report = env.json(&["report"]);
    let k = &report["objectives"][0]["key_results"][0];
    assert_eq!(k["status"], "done", "{k}");
}

#[test]
fn a_file_with_a_yaml_directive_edits_losslessly() {
    let env = Env::new();
    let text = "%YAML 1.2\n---\n# Our OKRs\nversion: 1\nobjectives:\n  - id: a\n    title: A  # first\n    period: 2026-Q3\n...\n";
    env.write("okrs.yaml", text);
    env.ok(&["edit", "a", "--title", "Alpha"]);
    assert_eq!(
        env.read("okrs.yaml"),
        text.replace("title: A ", "title: Alpha ")
    );
}

#[test]
fn a_kpi_with_an_objectives_id_is_refused_at_load_with_both_places() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: uptime\n    title: Be up\n    period: 2026-Q3\nkpis:\n  - id: uptime\n    title: API uptime\n    at_least: 99\n",
    );
    let err = env.fails(&["list"], 1);
    assert!(
        err.contains("okrs.yaml:7:"),
        "the second place, as file:line:col: {err}"
    );
    assert!(err.contains("okrs.yaml:3:"), "the first place: {err}");
    assert!(err.contains("uptime"), "{err}");
}

#[test]
fn an_initiative_with_a_key_results_id_is_refused_at_load() {
    let env = Env::new();
    env.write(
        "okrs/a.yaml",
        "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        start: 0\n        target: 1\n",
    );
    env.write(
        "okrs/b.yaml",
        "version: 1\nobjectives:\n  - id: p\n    title: P\n    period: 2026-Q3\n    key_results:\n      - id: q\n        title: Q\n        start: 0\n        target: 1\n        initiatives:\n          - id: k\n            title: Do it\n",
    );
    let err = env.fails(&["list"], 1);
    assert!(err.contains("b.yaml:12:"), "{err}");
    assert!(err.contains("a.yaml:7:"), "{err}");
}
