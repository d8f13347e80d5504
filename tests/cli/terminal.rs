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
