//! User settings `format`, `color` and `pager` applied by commands with the
//! documented precedence (option > environment > user settings > default),
//! and `okr config` naming the value commands actually use.

use crate::harness::Env;
use crate::width::{pty, strip};

fn user_settings(env: &Env, text: &str) {
    env.write(".config/okr/config.yaml", text);
}

/// `okr config --format json`'s entry for `key`: (value, source).
fn config_entry(env: &Env, key: &str, vars: &[(&str, &str)]) -> (String, String) {
    let mut c = env.okr();
    c.args(["config", "--format", "json"]);
    for (k, v) in vars {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == key)
        .unwrap()
        .clone();
    (
        e["value"].as_str().unwrap().to_string(),
        e["source"].as_str().unwrap().to_string(),
    )
}

fn stdout(env: &Env, args: &[&str], vars: &[(&str, &str)], remove: &[&str]) -> String {
    let mut c = env.okr();
    c.args(args);
    for (k, v) in vars {
        c.env(k, v);
    }
    for k in remove {
        c.env_remove(k);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "okr {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn is_json(s: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(s).is_ok()
}

#[test]
fn the_user_format_is_every_commands_default_and_options_and_environment_win() {
    let env = Env::new();
    let (o, _) = env.with_brand();
    assert!(!is_json(&env.ok(&["list"])), "table by default");
    user_settings(&env, "format: json\n");
    for args in [&["list"][..], &["show", &o], &["tree"]] {
        let out = env.ok(args);
        assert!(is_json(&out), "okr {args:?} ignored format: json:\n{out}");
    }
    assert!(
        !is_json(&env.ok(&["list", "--format", "table"])),
        "the option wins"
    );
    let table = stdout(&env, &["list"], &[("OKR_FORMAT", "table")], &[]);
    assert!(
        !is_json(&table),
        "the environment wins over the user setting"
    );
    assert_eq!(
        config_entry(&env, "format", &[]),
        (
            "json".to_string(),
            format!("user ({})", env.path(".config/okr/config.yaml").display())
        )
    );
    assert_eq!(
        config_entry(&env, "format", &[("OKR_FORMAT", "table")]),
        ("table".to_string(), "environment ($OKR_FORMAT)".to_string())
    );
    // `report -o FILE`: the extension still decides.
    env.ok(&["report", "--no-pager", "-o", "r.md"]);
    assert!(!is_json(&env.read("r.md")), "{}", env.read("r.md"));

    // A format only some commands offer: the others keep their own default.
    user_settings(&env, "format: markdown\n");
    assert!(env.ok(&["report", "--no-pager"]).starts_with('#'));
    assert!(!is_json(&env.ok(&["list"])) && !env.ok(&["list"]).starts_with('#'));
    // And one no command offers is refused.
    let err = env.fails(&["config", "set", "format", "xml", "--user"], 2);
    assert!(err.contains("json"), "{err}");
}

#[test]
fn the_same_config_lives_under_xdg_config_home() {
    let env = Env::new();
    env.with_brand();
    env.write("xdg/okr/config.yaml", "format: json\n");
    let xdg = env.path("xdg");
    let xdg = xdg.to_str().unwrap();
    assert!(is_json(&stdout(
        &env,
        &["list"],
        &[("XDG_CONFIG_HOME", xdg)],
        &[]
    )));
    assert!(!is_json(&env.ok(&["list"])));
}

#[test]
fn the_user_color_applies_unless_an_option_or_the_environment_says_otherwise() {
    let env = Env::new();
    env.with_brand();
    let esc = |s: &str| s.contains("\x1b[");
    let no_nc = &["NO_COLOR"][..];
    // Into a pipe, no colour by default.
    assert!(!esc(&stdout(&env, &["list"], &[], no_nc)));
    user_settings(&env, "color: always\n");
    assert!(
        esc(&stdout(&env, &["list"], &[], no_nc)),
        "user color: always"
    );
    assert!(!esc(&env.ok(&["list"])), "NO_COLOR beats the user setting");
    assert!(
        !esc(&stdout(&env, &["list", "--color", "auto"], &[], no_nc)),
        "--color auto given on the command line beats the user setting"
    );
    assert!(
        esc(&env.ok(&["--color", "always", "list"])),
        "the option beats NO_COLOR"
    );
    assert_eq!(
        config_entry(&env, "color", &[]),
        ("never".to_string(), "environment ($NO_COLOR)".to_string())
    );
    user_settings(&env, "color: never\n");
    let forced = [("CLICOLOR_FORCE", "1")];
    assert!(
        esc(&stdout(&env, &["list"], &forced, no_nc)),
        "CLICOLOR_FORCE"
    );
    assert!(!esc(&stdout(
        &env,
        &["list", "--color", "never"],
        &forced,
        no_nc
    )));
    let mut c = env.okr();
    c.args(["config", "--format", "json"])
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR");
    let v: serde_json::Value = serde_json::from_slice(&c.output().unwrap().stdout).unwrap();
    assert!(
        v.as_array().unwrap().iter().any(|e| e["key"] == "color"
            && e["value"] == "always"
            && e["source"] == "environment ($CLICOLOR_FORCE)"),
        "{v}"
    );
}

/// A pager script that leaves `mark` behind, then shows its input.
fn marking_pager(env: &Env, name: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let script = env.path(name);
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho ran > '{}.ran'\ncat\n", script.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script.display().to_string()
}

#[test]
fn the_pager_that_runs_is_the_one_okr_config_names() {
    let env = Env::new();
    env.with_brand();
    let mine = marking_pager(&env, "mine.sh");
    let generic = marking_pager(&env, "generic.sh");
    let okrs = marking_pager(&env, "okrs.sh");
    let ran = |p: &str| {
        let mark = std::path::PathBuf::from(format!("{p}.ran"));
        let was = mark.exists();
        let _ = std::fs::remove_file(mark);
        was
    };
    user_settings(&env, &format!("pager: {mine}\n"));
    let dir = env.dir.path();
    // The user setting beats $PAGER (every program's), as in git.
    let out = pty(dir, 100, 5, &[("PAGER", generic.as_str())], &["report"]);
    assert!(ran(&mine) && !ran(&generic), "{out}");
    assert!(strip(&out).contains("OKR report"), "{out}");
    assert_eq!(
        config_entry(&env, "pager", &[("PAGER", generic.as_str())]).0,
        mine
    );
    // $OKR_PAGER beats the user setting.
    let vars = [("PAGER", generic.as_str()), ("OKR_PAGER", okrs.as_str())];
    pty(dir, 100, 5, &vars, &["report"]);
    assert!(ran(&okrs) && !ran(&mine));
    assert_eq!(
        config_entry(&env, "pager", &vars),
        (okrs.clone(), "environment ($OKR_PAGER)".to_string())
    );
    // --no-pager beats all; `cat` turns paging off.
    pty(dir, 100, 5, &vars, &["--no-pager", "report"]);
    assert!(!ran(&okrs));
    user_settings(&env, "pager: cat\n");
    pty(dir, 100, 5, &[("PAGER", generic.as_str())], &["report"]);
    assert!(!ran(&generic), "pager: cat turns paging off");
    // Without the user setting, $PAGER.
    user_settings(&env, "");
    pty(dir, 100, 5, &[("PAGER", generic.as_str())], &["report"]);
    assert!(ran(&generic));
    assert_eq!(
        config_entry(&env, "pager", &[("PAGER", generic.as_str())]),
        (generic.clone(), "environment ($PAGER)".to_string())
    );
}

#[test]
fn a_broken_user_settings_file_is_ignored_with_a_warning() {
    let env = Env::new();
    env.with_brand();
    user_settings(&env, "format: [json\n");
    let out = env.okr().arg("list").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: ignoring your user settings"),
        "{err}"
    );
    assert!(!is_json(&String::from_utf8_lossy(&out.stdout)));
    // `okr config` reports it as the error it is.
    env.fails(&["config"], 1);
}
