//! `source:` commands: refresh only after trust; changed commands refused.

use crate::harness::Env;

fn with_sources(env: &Env) {
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: grow\n    title: Grow\n    period: 2026-Q3\n    key_results:\n      - id: visitors\n        title: Visitors\n        target: 1000\n        source: echo 640\n      - id: signups\n        title: Signups\n        target: 50\n        source: cat signups.txt\n      - id: broken\n        title: Broken\n        target: 5\n        source: exit 3\n",
    );
    env.write("signups.txt", "  17\n");
}

#[test]
fn sources_run_only_after_trust_and_changes_need_trust_again() {
    let env = Env::new();
    with_sources(&env);
    let before = env.read("okrs.yaml");
    let err = env.fails(&["refresh", "visitors"], 1);
    assert!(
        err.contains("not trusted") && err.contains("okr trust"),
        "{err}"
    );
    assert_eq!(
        env.read("okrs.yaml"),
        before,
        "nothing ran, nothing written"
    );
    assert!(env.ok(&["check"]).contains("warning[untrusted-source]"));

    let listed = env.ok(&["trust"]);
    assert_eq!(listed.lines().count(), 3, "{listed}");
    let err = env.fails(&["refresh"], 1);
    assert!(err.contains("broken") && err.contains("failed"), "{err}");
    let text = env.read("okrs.yaml");
    assert!(
        text.contains("value: 640") && text.contains("value: 17"),
        "{text}"
    );
    assert!(text.contains("author: okr"));
    assert_eq!(
        text.matches("2026-08-15").count(),
        2,
        "nothing for the failed one"
    );

    // A pulled change to a command is refused until trusted again.
    env.write(
        "okrs.yaml",
        &env.read("okrs.yaml").replace("echo 640", "echo 999"),
    );
    let err = env.fails(&["refresh", "visitors"], 1);
    assert!(err.contains("changed") && err.contains("echo 999"), "{err}");
    assert!(!env.read("okrs.yaml").contains("value: 999"));
    env.ok(&["trust"]);
    env.ok(&["refresh", "visitors"]);
    assert!(env.read("okrs.yaml").contains("value: 999"));
}

#[test]
fn a_slow_source_times_out() {
    let env = Env::new();
    env.write(
        "okrs.yaml",
        "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - id: slow\n        title: Slow\n        target: 5\n        source: (sleep 2; touch leaked) & wait; echo 1\n",
    );
    env.ok(&["trust"]);
    let err = env.fails(&["refresh", "--timeout", "1"], 1);
    assert!(err.contains("timed out"), "{err}");
    // The whole process group is ended, not only `sh`: nothing lives on.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert!(
        !env.path("leaked").exists(),
        "a child of the source outlived the timeout"
    );
}

/// The `untrusted-source` findings of `okr check --format json`.
fn untrusted(env: &Env) -> Vec<serde_json::Value> {
    let out = env
        .okr()
        .args(["check", "--format", "json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "untrusted-source")
        .cloned()
        .collect()
}

#[test]
fn check_reports_untrusted_sources_as_findings() {
    let env = Env::new();
    with_sources(&env);
    // Table: one located warning per untrusted source, on stdout.
    let table = env.ok(&["check"]);
    let lines: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("warning[untrusted-source]"))
        .collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].starts_with("okrs.yaml:10:") && lines[0].contains("echo 640"),
        "located at the command: {table}"
    );
    // JSON: counted with the warnings.
    let warnings = |env: &Env| env.json(&["check"])["warnings"].as_u64().unwrap();
    let before = warnings(&env);
    let found = untrusted(&env);
    assert_eq!(found.len(), 3);
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["line"], 10);
    assert!(
        found[1]["message"]
            .as_str()
            .unwrap()
            .contains("not trusted yet")
    );
    env.fails(&["check", "--strict"], 3);

    // Trusted: no finding. A changed command: one, saying so.
    env.ok(&["trust"]);
    assert!(untrusted(&env).is_empty());
    assert_eq!(warnings(&env), before - 3);
    assert!(!env.ok(&["check"]).contains("untrusted"));
    env.write(
        "okrs.yaml",
        &env.read("okrs.yaml").replace("echo 640", "echo 999"),
    );
    let found = untrusted(&env);
    assert_eq!(found.len(), 1, "{found:?}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("changed") && message.contains("echo 999"),
        "{message}"
    );

    // Switchable like every rule: an error, or off (and no unknown-check).
    let with_checks = |level: &str| {
        let text = env.read("okrs.yaml");
        let body = text.split_once("objectives:").unwrap().1;
        env.write(
            "okrs.yaml",
            &format!(
                "version: 1\nsettings:\n  checks:\n    untrusted-source: {level}\nobjectives:{body}"
            ),
        );
    };
    with_checks("error");
    let err = env.fails(&["check"], 1);
    assert!(err.contains("1 error"), "{err}");
    with_checks("off");
    assert!(untrusted(&env).is_empty());
    let json = env.json(&["check"]);
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        !rules.contains(&"untrusted-source") && !rules.contains(&"unknown-check"),
        "{json}"
    );
}

#[test]
fn refresh_shows_progress_on_a_terminal_and_none_off_it() {
    use expectrl::{Eof, Expect, Session};
    let env = Env::new();
    with_sources(&env);
    env.ok(&["trust"]);
    // On a terminal: the count, then a line per finished source.
    let mut cmd = env.std();
    cmd.args(["refresh", "visitors", "signups"])
        .env("TERM", "xterm");
    let mut s = Session::spawn(cmd).expect("spawn okr in a pty");
    s.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
    s.expect("Refreshing 2 sources").expect("announces the run");
    s.expect("✓ ").expect("a line per finished source");
    s.expect("Refreshed").expect("then the results");
    let rest = s.expect(Eof).expect("exits");
    let shown = String::from_utf8_lossy(rest.before()).to_string();
    assert!(!shown.contains("Refreshing"), "announced once: {shown}");

    // Progress is for people watching stderr: none when it is not a
    // terminal, even with stdout on one; the results are still reported.
    let okr = env.std();
    let mut sh = std::process::Command::new("sh");
    sh.args(["-c", "exec \"$0\" refresh visitors 2>progress.txt"])
        .arg(okr.get_program())
        .current_dir(env.dir.path());
    for (k, v) in okr.get_envs() {
        match v {
            Some(v) => sh.env(k, v),
            None => sh.env_remove(k),
        };
    }
    let mut s = Session::spawn(sh).expect("spawn sh in a pty");
    s.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
    s.expect(Eof).expect("exits");
    let err = env.read("progress.txt");
    assert!(err.contains("Refreshed visitors"), "{err}");
    assert!(!err.contains("Refreshing") && !err.contains('✓'), "{err}");

    // Not on a terminal at all (the harness pipes): no progress either.
    let out = env.okr().args(["refresh", "visitors"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Refreshed visitors"), "{err}");
    assert!(!err.contains("Refreshing") && !err.contains('✓'), "{err}");
}
