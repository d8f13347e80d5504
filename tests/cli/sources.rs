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
    let check = env.okr().arg("check").output().expect("run");
    assert!(String::from_utf8_lossy(&check.stderr).contains("untrusted-source"));

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
