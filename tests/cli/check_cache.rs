//! The check-facts cache (issue 11): a warm `okr check` takes what each
//! unchanged file says on its own from the cache, and says byte for byte
//! what a cold one says, whatever changed around it.

use std::path::PathBuf;

use crate::harness::Env;
use crate::perf::rewrite_keeping_mtime;

/// An unknown key, a YAML 1.1 word, and a parent no file defines.
const A: &str = "\
version: 1
objectives:
  - id: grow
    title: Grow the audience
    owner: no
    colour: red
    parent: base
    period: 2026-Q3
    key_results:
      - id: visitors
        title: Website visitors
        target: 100
        check_ins:
          - {date: 2026-08-01, value: 10, confidence: 0.8}
      - id: followers
        title: Social followers
        target: 500
";

/// A file that does not read.
const B: &str = "version: 1\nobjectives: [\n  - id: broken\n";

/// Settings, and an objective with another ID.
const C: &str = "\
version: 1
settings:
  fiscal_year_start: january
objectives:
  - id: other
    title: Something else
    period: 2026-Q3
    key_results:
      - id: k1
        title: K one
        target: 1
      - id: k2
        title: K two
        target: 2
";

fn workspace() -> Env {
    let env = Env::new();
    env.write("okrs/a.yaml", A);
    env.write("okrs/b.yaml", B);
    env.write("okrs/c.yaml", C);
    env
}

/// Exit code, stdout and stderr of `okr check ARGS`, with the cache or
/// without.
fn check(env: &Env, cache: bool, args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = env.okr();
    cmd.env("XDG_CACHE_HOME", env.path("cache"));
    if cache {
        cmd.env_remove("OKR_NO_CACHE");
    } else {
        cmd.env("OKR_NO_CACHE", "1");
    }
    let out = cmd.arg("check").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs with the cache, twice (the first fills it), in both formats, and
/// asserts each run says exactly what a run without the cache says;
/// returns the table.
fn warm_equals_cold(env: &Env) -> String {
    let mut table = String::new();
    for args in [&[][..], &["--format", "json"][..]] {
        let cold = check(env, false, args);
        assert_eq!(check(env, true, args), cold, "{args:?}, filling");
        assert_eq!(check(env, true, args), cold, "{args:?}, warm");
        if args.is_empty() {
            table = cold.1;
        }
    }
    table
}

/// The check-facts entries in the cache.
fn facts_entries(env: &Env) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for d in std::fs::read_dir(env.path("cache/okr")).unwrap() {
        for e in std::fs::read_dir(d.unwrap().path()).unwrap() {
            let p = e.unwrap().path();
            if p.to_string_lossy().ends_with(".check.bin") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

#[test]
fn a_warm_check_says_byte_for_byte_what_a_cold_one_says() {
    let env = workspace();
    let table = warm_equals_cold(&env);
    for rule in [
        "a.yaml:6:13: warning[unknown-key]",
        "a.yaml:5:12: warning[yaml11-boolean]",
        "a.yaml:7:13: error[unknown-parent]",
        "b.yaml:2:13: error[parse]",
    ] {
        assert!(table.contains(rule), "{rule} in\n{table}");
    }
    assert_eq!(facts_entries(&env).len(), 3, "one entry per file");
}

#[test]
fn an_edit_with_the_same_size_and_mtime_is_seen() {
    let env = workspace();
    let before = warm_equals_cold(&env);
    assert!(before.contains("colour"));
    // Same length, same modification time, other findings.
    rewrite_keeping_mtime(&env.path("okrs/a.yaml"), &A.replace("colour", "weight"));
    let after = warm_equals_cold(&env);
    assert!(!after.contains("colour"), "{after}");
    assert_ne!(before, after);
}

/// With the stat index (written by the other commands' loads, and only for
/// files older than its racy window) a warm check takes the facts of an
/// unchanged file by key without reading it; an edit with the same size
/// and mtime is still seen.
#[test]
fn a_file_the_stat_index_vouches_for_is_still_seen_to_change() {
    let env = workspace();
    std::thread::sleep(std::time::Duration::from_millis(2600));
    env.okr()
        .env("XDG_CACHE_HOME", env.path("cache"))
        .env_remove("OKR_NO_CACHE")
        .arg("list")
        .output()
        .unwrap();
    let index: Vec<String> = std::fs::read_dir(env.path("cache/okr"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("m-"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(index.len() == 1 && index[0].contains("a.yaml"), "{index:?}");
    let before = warm_equals_cold(&env);
    assert!(before.contains("colour"));
    rewrite_keeping_mtime(&env.path("okrs/a.yaml"), &A.replace("colour", "weight"));
    let after = warm_equals_cold(&env);
    assert!(!after.contains("colour"), "{after}");
}

#[test]
fn a_corrupt_facts_entry_is_ignored_and_rebuilt() {
    let env = workspace();
    let cold = warm_equals_cold(&env);
    let entries = facts_entries(&env);
    assert_eq!(entries.len(), 3);
    let good: Vec<Vec<u8>> = entries.iter().map(|p| std::fs::read(p).unwrap()).collect();
    for (p, g) in entries.iter().zip(&good) {
        let mut flipped = g.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x10;
        for bad in [b"garbage".to_vec(), g[..g.len() - 1].to_vec(), flipped] {
            std::fs::write(p, &bad).unwrap();
            assert_eq!(check(&env, true, &[]).1, cold);
            assert_eq!(&std::fs::read(p).unwrap(), g, "rebuilt");
        }
    }
}

#[test]
fn workspace_findings_follow_the_other_files_while_a_file_stays_cached() {
    let env = workspace();
    let first = warm_equals_cold(&env);
    assert!(first.contains("error[unknown-parent]"));
    assert!(first.contains("warning[unknown-key]"));
    let a_entry = facts_entries(&env);
    let a_facts: Vec<Vec<u8>> = a_entry.iter().map(|p| std::fs::read(p).unwrap()).collect();
    // Another file now defines the parent, and its settings switch a rule
    // that a.yaml's cached facts found off.
    env.write(
        "okrs/c.yaml",
        &C.replace("  - id: other", "  - id: base").replace(
            "  fiscal_year_start: january\n",
            "  fiscal_year_start: january\n  checks:\n    unknown-key: off\n",
        ),
    );
    let second = warm_equals_cold(&env);
    assert!(!second.contains("unknown-parent"), "{second}");
    assert!(!second.contains("unknown-key"), "{second}");
    assert!(second.contains("yaml11-boolean"), "{second}");
    // a.yaml's and b.yaml's entries were used as they were.
    for (p, f) in a_entry.iter().zip(&a_facts) {
        assert_eq!(&std::fs::read(p).unwrap(), f);
    }
    assert_eq!(facts_entries(&env).len(), 4, "c.yaml's new text added one");
}
