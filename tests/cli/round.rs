//! The weekly check-in round and `okr due`, in a real pseudo-terminal.

use std::time::Duration;

use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Session};

use crate::harness::Env;

/// A workspace with five key results owned by `marketing`, and user
/// settings that say "I am marketing".
fn five_due() -> (Env, Vec<String>) {
    let env = Env::new();
    let (o, k) = env.with_brand();
    let mut krs = vec![k];
    for t in [
        "Newsletter sign-ups",
        "Podcast listeners",
        "Press mentions",
        "Webinar guests",
    ] {
        krs.push(
            env.ok(&["add", "kr", &o, t, "--target", "100"])
                .trim()
                .to_string(),
        );
    }
    env.write(".config/okr/config.yaml", "name: marketing\n");
    (env, krs)
}

fn session(env: &Env, args: &[&str]) -> OsSession {
    let mut cmd = env.std();
    cmd.args(args)
        .env("TERM", "xterm")
        .env_remove("XDG_CONFIG_HOME");
    let mut s = Session::spawn(cmd).expect("spawn okr in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s
}

#[test]
fn due_lists_my_unchecked_key_results_and_counts_them() {
    let (env, krs) = five_due();
    assert_eq!(env.ok(&["due", "--count"]).trim(), "5");
    env.ok(&["check-in", &krs[0], "200000"]);
    assert_eq!(env.ok(&["due", "--count"]).trim(), "4");
    let out = env.ok(&["due"]);
    assert_eq!(out.lines().count(), 4);
    assert!(!out.contains(&krs[0]) && out.contains(&krs[1]), "{out}");
    assert_eq!(env.ok(&["due", "--owner", "sales", "--count"]).trim(), "0");
    // A week later the first one is due again.
    let later = env
        .okr()
        .args(["due", "--count", "--today", "2026-08-22"])
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&later.stdout).trim(), "5");
}

#[test]
fn check_in_author_defaults_to_me() {
    let (env, krs) = five_due();
    env.ok(&["check-in", &krs[1], "5"]);
    assert!(env.read("okrs.yaml").contains("author: marketing"));
}

#[test]
fn a_round_of_five_takes_five_answers_and_writes_once_at_the_end() {
    let (env, krs) = five_due();
    let before = env.read("okrs.yaml");
    let mut s = session(&env, &["check-in"]);
    for (i, value) in ["300000", "10", "20", "30", "40"].iter().enumerate() {
        s.expect(krs[i].as_str()).expect("the key result is shown");
        s.expect("New value:").expect("asks the value");
        s.send(format!("{value}\r")).expect("send");
        s.expect("Confidence").expect("asks the confidence");
        s.send("\r").expect("send");
        s.expect("Note").expect("asks a note");
        s.send("\r").expect("send");
        if i < 4 {
            assert_eq!(
                env.read("okrs.yaml"),
                before,
                "nothing written before the end"
            );
        }
    }
    s.expect("Recorded 5 check-ins").expect("summary");
    s.expect(Eof).expect("exits");
    let after = env.read("okrs.yaml");
    assert_eq!(after.matches("2026-08-15").count(), 5, "{after}");
    assert!(after.contains("value: 300000") && after.contains("value: 40"));
    assert_eq!(env.ok(&["due", "--count"]).trim(), "0");
}

#[test]
fn enter_skips_a_key_result() {
    let (env, _) = five_due();
    let mut s = session(&env, &["check-in"]);
    s.expect("New value:").expect("asks");
    s.send("\r").expect("skip the first");
    for v in ["1", "2", "3", "4"] {
        s.expect("New value:").expect("asks");
        s.send(format!("{v}\r")).expect("send");
        s.expect("Confidence").expect("asks");
        s.send("0.6\r").expect("send");
        s.expect("Note").expect("asks");
        s.send("on it\r").expect("send");
    }
    s.expect("Recorded 4 check-ins, skipped 1")
        .expect("summary");
    s.expect(Eof).expect("exits");
    assert_eq!(env.ok(&["due", "--count"]).trim(), "1");
    assert_eq!(env.read("okrs.yaml").matches("note: on it").count(), 4);
}

#[test]
fn ctrl_c_halfway_leaves_the_file_untouched() {
    let (env, _) = five_due();
    let before = std::fs::read(env.path("okrs.yaml")).expect("read");
    let mut s = session(&env, &["check-in"]);
    for v in ["1", "2"] {
        s.expect("New value:").expect("asks");
        s.send(format!("{v}\r")).expect("send");
        s.expect("Confidence").expect("asks");
        s.send("\r").expect("send");
        s.expect("Note").expect("asks");
        s.send("\r").expect("send");
    }
    s.expect("New value:").expect("asks the third");
    s.send("7").expect("type");
    s.send("\x03").expect("ctrl-c");
    s.expect("nothing was written").expect("says so");
    s.expect(Eof).expect("exits");
    // 130 = 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C.
    let status = s.get_process().wait().expect("wait");
    assert_eq!(
        status,
        expectrl::process::unix::WaitStatus::Exited(s.get_process().pid(), 130),
        "exit code"
    );
    assert_eq!(std::fs::read(env.path("okrs.yaml")).expect("read"), before);
}

#[test]
fn check_in_without_a_terminal_names_the_missing_arguments() {
    let (env, _) = five_due();
    let err = env.fails(&["check-in"], 2);
    assert!(err.contains("KEY_RESULT") && err.contains("VALUE"), "{err}");
}

#[test]
fn add_asks_for_missing_arguments_on_a_terminal() {
    let env = Env::new();
    env.ok(&["init", "--period", "2026-Q3"]);
    let mut s = session(&env, &["add", "objective", "--owner", "sales"]);
    s.expect("Title:").expect("asks the title");
    s.send("Grow revenue\r").expect("send");
    s.expect("grow-revenue").expect("prints the new ID");
    s.expect(Eof).expect("exits");
    let mut s = session(&env, &["add", "kr", "grow"]);
    s.expect("Title:").expect("asks the title");
    s.send("New customers\r").expect("send");
    s.expect("Target:").expect("asks the target");
    s.send("500\r").expect("send");
    s.expect("Start:").expect("asks the start, default shown");
    s.send("\r").expect("take the default");
    s.expect("new-customers").expect("prints the new ID");
    s.expect(Eof).expect("exits");
    let text = env.read("okrs.yaml");
    assert!(
        text.contains("title: Grow revenue") && text.contains("target: 500"),
        "{text}"
    );
    // Without a terminal: the usage error as before.
    env.fails(&["add", "objective"], 2);
    // Ctrl-C at a question: exit 130, nothing added.
    let before = env.read("okrs.yaml");
    let mut s = session(&env, &["add", "kr", "grow"]);
    s.expect("Title:").expect("asks the title");
    s.send("Half typed").expect("type");
    s.send("\x03").expect("ctrl-c");
    s.expect("nothing was added").expect("says so");
    s.expect(Eof).expect("exits");
    let status = s.get_process().wait().expect("wait");
    assert_eq!(
        status,
        expectrl::process::unix::WaitStatus::Exited(s.get_process().pid(), 130)
    );
    assert_eq!(env.read("okrs.yaml"), before);
}

#[test]
fn an_invalid_edit_on_a_terminal_can_be_reopened_or_abandoned() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let (_, k) = env.with_brand();
    // First run breaks the target; the re-opened editor fixes it.
    let script = env.path("ed.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nif [ -e \"$0.once\" ]; then sed -i 's/target: lots/target: 2000000/' \"$1\"; \
         else touch \"$0.once\"; sed -i 's/target: 1000000/target: lots/' \"$1\"; fi\n",
    )
    .expect("write");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut cmd = env.std();
    cmd.args(["edit", &k])
        .env("EDITOR", &script)
        .env("TERM", "xterm");
    let mut s = Session::spawn(cmd).expect("spawn");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s.expect("okrs.yaml:").expect("the located error");
    s.expect("Re-open").expect("offers to re-open");
    s.send("\r").expect("re-open (the default)");
    s.expect("Saved").expect("saved the fixed copy");
    s.expect(Eof).expect("exits");
    assert!(env.read("okrs.yaml").contains("target: 2000000"));

    // Abandon: the file stays byte for byte.
    std::fs::remove_file(env.path("ed.sh.once")).expect("reset");
    let before = std::fs::read(env.path("okrs.yaml")).expect("read");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i 's/target: 2000000/target: lots/' \"$1\"\n",
    )
    .expect("write");
    let mut cmd = env.std();
    cmd.args(["edit", &k])
        .env("EDITOR", &script)
        .env("TERM", "xterm");
    let mut s = Session::spawn(cmd).expect("spawn");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s.expect("Re-open").expect("offers to re-open");
    s.send("n\r").expect("abandon");
    s.expect("abandoned").expect("says so");
    s.expect(Eof).expect("exits");
    assert_eq!(std::fs::read(env.path("okrs.yaml")).expect("read"), before);
}
