//! Terminal integration: shell completion, man pages.

use crate::harness::Env;

/// The directory holding the built `okr`, for PATH.
fn bin_dir() -> std::path::PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("okr");
    bin.parent().expect("bin dir").to_path_buf()
}

/// Sources the bash script in a real bash, completes `words` at the last
/// word and returns the candidates.
fn bash_complete(env: &Env, words: &[&str]) -> Vec<String> {
    let script = env.ok(&["completions", "bash"]);
    env.write("okr.bash", &script);
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cur = words.last().copied().unwrap_or("");
    let program = format!(
        "source okr.bash\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_clap_complete_okr okr '{cur}' okr\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        quoted.join(" "),
        words.len() - 1
    );
    let out = std::process::Command::new("bash")
        .current_dir(env.dir.path())
        .env("HOME", env.dir.path())
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir().display()))
        .env_remove("OKR_FILE")
        .arg("--norc")
        .arg("-c")
        .arg(program)
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_workspace_ids() {
    let env = Env::new();
    let (o, k) = env.with_brand();
    let got = bash_complete(&env, &["okr", "check-in", "web"]);
    assert_eq!(got, vec![k.clone()], "key result IDs for check-in");
    let got = bash_complete(&env, &["okr", "show", ""]);
    assert!(got.contains(&o) && got.contains(&k), "{got:?}");
    let got = bash_complete(&env, &["okr", "list", "--period", "2026"]);
    assert_eq!(got, vec!["2026-Q3".to_string()]);
}

#[test]
fn bash_completes_subcommands_and_options() {
    let env = Env::new();
    env.with_brand();
    let got = bash_complete(&env, &["okr", "check"]);
    assert!(got.contains(&"check-in".to_string()) && got.contains(&"check".to_string()));
    let got = bash_complete(&env, &["okr", "check-in", "--conf"]);
    assert_eq!(got, vec!["--confidence".to_string()]);
}

#[test]
fn every_shell_gets_a_script() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let s = env.ok(&["completions", shell]);
        assert!(s.contains("_OKR_COMPLETE"), "{shell}: {s}");
    }
    env.fails(&["completions", "tcsh"], 2);
}

#[test]
fn man_writes_a_page_per_subcommand() {
    let env = Env::new();
    let listed = env.ok(&["man", "man/man1"]);
    for page in ["okr.1", "okr-check-in.1", "okr-kpi-add.1", "okr-man.1"] {
        let text = env.read(&format!("man/man1/{page}"));
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
        assert!(listed.contains(page), "{listed}");
    }
    let check_in = env.read("man/man1/okr-check-in.1");
    assert!(check_in.contains("confidence") && check_in.contains("Examples"));
    let n = std::fs::read_dir(env.path("man/man1"))
        .expect("dir")
        .count();
    assert!(n > 20, "{n} pages");
}

fn repo(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn committed_schema_is_the_generated_one() {
    let env = Env::new();
    let generated = env.ok(&["schema"]);
    let committed = std::fs::read_to_string(repo("docs/okr.schema.json")).expect("read schema");
    assert!(
        generated == committed,
        "docs/okr.schema.json is stale: run `cargo run -- schema > docs/okr.schema.json`"
    );
}

fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

#[test]
fn every_example_validates_against_the_schema() {
    let env = Env::new();
    let schema: serde_json::Value = serde_json::from_str(&env.ok(&["schema"])).expect("json");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let mut files = Vec::new();
    yaml_files(&crate::harness::examples(), &mut files);
    assert!(files.len() >= 5, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        let doc: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
    // And the schema does reject what okr rejects.
    let bad = serde_json::json!({"version": 1, "objectives": [{"id": "a", "title": "A",
        "period": "2026-Q3", "key_results": [{"id": "k", "title": "K", "target": 5,
        "check_ins": [{"date": "2026-07-01", "value": 1, "confidence": 1.5}]}]}]});
    assert!(!validator.is_valid(&bad));
    let bad = serde_json::json!({"version": 1, "settings": {"pace": {"nope": 1}}});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn config_names_the_source_of_each_value() {
    let env = Env::new();
    env.with_brand();
    env.write(
        ".config/okr/config.yaml",
        "# mine\nname: Ada\npager: most\n",
    );
    let out = env.ok(&["config"]);
    let line = |k: &str| {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(k))
            .unwrap_or_else(|| panic!("{k} in {out}"))
            .to_string()
    };
    assert!(
        line("default_period").contains("2026-Q3") && line("default_period").contains("okrs.yaml")
    );
    assert!(line("cadence_days").contains('7') && line("cadence_days").ends_with("default"));
    assert!(line("name").contains("Ada") && line("name").contains("config.yaml"));
    assert!(line("pager").contains("most"));
    // The environment beats the user settings.
    let out = env
        .okr()
        .args(["config", "--format", "json"])
        .env("OKR_PAGER", "bat")
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let pager = v
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["key"] == "pager")
        .expect("pager")
        .clone();
    assert_eq!(pager["value"], "bat");
    assert_eq!(pager["source"], "environment ($OKR_PAGER)");
}

#[test]
fn config_set_changes_one_line_and_keeps_the_rest() {
    let env = Env::new();
    env.with_brand();
    let before = env.read("okrs.yaml");
    env.ok(&["config", "set", "cadence_days", "14"]);
    let after = env.read("okrs.yaml");
    assert!(after.contains("cadence_days: 14"), "{after}");
    let removed: Vec<&str> = before.lines().filter(|l| !after.contains(l)).collect();
    assert!(removed.is_empty(), "lines lost: {removed:?}");
    assert!(env.ok(&["config"]).contains("14"));
    env.fails(&["config", "set", "pace.at_risk_gap", "3"], 2);
    env.fails(&["config", "set", "nope", "3"], 2);
    assert_eq!(
        env.read("okrs.yaml"),
        after,
        "a refused value writes nothing"
    );

    env.write(
        ".config/okr/config.yaml",
        "# my settings\nname: Ada   # me\n",
    );
    env.ok(&["config", "set", "color", "never", "--user"]);
    assert_eq!(
        env.read(".config/okr/config.yaml"),
        "# my settings\nname: Ada   # me\ncolor: never\n"
    );
    env.fails(&["config", "set", "color", "purple", "--user"], 2);
}

/// Writes an executable editor script and returns its path.
fn editor_script(env: &Env, name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = env.path(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path.display().to_string()
}

#[test]
fn edit_without_fields_opens_the_editor_at_the_line_and_saves_a_valid_result() {
    let env = Env::new();
    let (_, k) = env.with_brand();
    // `vi` is in the +LINE list: the script records its arguments.
    let dir = env.path("bin");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let vi = editor_script(
        &env,
        "bin/vi",
        "echo \"$@\" > \"$(dirname \"$0\")/args\"\nsed -i 's/title: Website visitors/title: Site visitors # renamed/' \"$2\"",
    );
    let before = env.read("okrs.yaml");
    let out = env
        .okr()
        .args(["edit", &k])
        .env("EDITOR", &vi)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = env.read("okrs.yaml");
    assert_eq!(
        after,
        before.replace("title: Website visitors", "title: Site visitors # renamed")
    );
    let args = env.read("bin/args");
    let line = before
        .lines()
        .position(|l| l.contains(&format!("id: {k}")))
        .expect("id line")
        + 1;
    assert!(args.starts_with(&format!("+{line} ")), "{args}");
    assert!(
        !args.contains(env.dir.path().to_str().expect("utf-8")),
        "edits a copy: {args}"
    );
}

#[test]
fn an_invalid_edit_is_abandoned_with_a_located_error_and_the_file_kept() {
    let env = Env::new();
    let (_, k) = env.with_brand();
    let ed = editor_script(
        &env,
        "ed.sh",
        "sed -i 's/target: 1000000/target: lots/' \"$1\"",
    );
    let before = std::fs::read(env.path("okrs.yaml")).expect("read");
    let out = env
        .okr()
        .args(["edit", &k])
        .env("VISUAL", &ed)
        .env("EDITOR", "false")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("okrs.yaml:") && err.contains("abandoned"),
        "{err}"
    );
    assert_eq!(std::fs::read(env.path("okrs.yaml")).expect("read"), before);
    // No editor at all: the usage error as before.
    let err = env.fails(&["edit", &k], 2);
    assert!(err.contains("nothing to change"), "{err}");
}
