//! Tests of the fast paths (issue 11): they check results, never timings;
//! speed is measured by bench/run.

use crate::harness::Env;

/// A file whose every check-in is dated outside its objective's period,
/// mixing block and flow check-ins; returns the text and, for each
/// check-in, the 1-based line and column of its `date` value.
fn many_findings(objectives: usize, per_kr: usize) -> (String, Vec<(usize, usize)>) {
    let mut text = String::from("# many findings\nversion: 1\nobjectives:\n");
    let mut at = Vec::new();
    for o in 0..objectives {
        text.push_str(&format!(
            "  - id: o{o}\n    title: \"Objective {o}: ship # things\"\n    owner: team\n    period: 2026-Q1\n    key_results:\n"
        ));
        for k in 0..2 {
            text.push_str(&format!(
                "      - id: o{o}-k{k}\n        title: KR\n        target: 10\n        stretch: true\n        check_ins:\n"
            ));
            for c in 0..per_kr {
                let line = text.lines().count() + 1;
                let day = 1 + c % 28;
                if (o + k) % 2 == 0 {
                    text.push_str(&format!(
                        "          - date: 2026-05-{day:02}\n            value: {c}\n"
                    ));
                    at.push((line, 19));
                } else {
                    text.push_str(&format!(
                        "          - {{value: {c}, date: 2026-05-{day:02}}}\n"
                    ));
                    // `          - {value: C, date: ` is 13 + 7 + len(C) + 8 characters.
                    at.push((line, 29 + c.to_string().len()));
                }
            }
        }
    }
    (text, at)
}

#[test]
fn check_locates_thousands_of_findings_exactly() {
    let env = Env::new();
    let (text, mut expected) = many_findings(60, 30);
    assert_eq!(expected.len(), 3600);
    env.write("okrs.yaml", &text);
    let out = env
        .okr()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(usize, usize)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "check-in-outside-period")
        .map(|f| {
            (
                f["line"].as_u64().unwrap() as usize,
                f["column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    got.sort();
    expected.sort();
    assert_eq!(got.len(), expected.len());
    let first_wrong = got.iter().zip(&expected).find(|(g, e)| g != e);
    assert_eq!(first_wrong, None, "(got, expected)");
    // And every reported line really holds the date the message names.
    let lines: Vec<&str> = text.lines().collect();
    for f in v["findings"].as_array().unwrap() {
        if f["rule"] != "check-in-outside-period" {
            continue;
        }
        let line = lines[f["line"].as_u64().unwrap() as usize - 1];
        let msg = f["message"].as_str().unwrap();
        let date = &msg[msg.find("dated ").unwrap() + 6..][..10];
        assert!(line.contains(date), "{line} vs {msg}");
    }
}

const ONE: &str = "version: 1\nobjectives:\n  - id: alpha\n    title: Alpha one\n    period: 2026-Q3\n    key_results:\n      - id: kr\n        title: KR\n        target: 10\n        check_ins:\n          - {date: 2026-08-01, value: 3}\n";

/// `okr` with a private cache directory inside the test's directory.
fn cached(env: &Env, args: &[&str]) -> String {
    let out = env
        .okr()
        .env("XDG_CACHE_HOME", env.path("cache"))
        .env_remove("OKR_NO_CACHE")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every file in the cache directory: parse-cache entries (`*.bin`), the
/// stat index (`m-*`) and the pruning stamp.
fn cache_files(env: &Env) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for d in std::fs::read_dir(env.path("cache/okr")).unwrap() {
        for e in std::fs::read_dir(d.unwrap().path()).unwrap() {
            v.push(e.unwrap().path());
        }
    }
    v
}

/// The parse-cache entries alone.
fn cache_entries(env: &Env) -> Vec<std::path::PathBuf> {
    let mut v = cache_files(env);
    v.retain(|p| p.extension().is_some_and(|e| e == "bin"));
    v
}

/// Writes `text` to `path`, then puts its modification time back.
pub(crate) fn rewrite_keeping_mtime(path: &std::path::Path, text: &str) {
    let mtime = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
}

#[test]
fn cache_is_never_stale_even_with_same_size_and_mtime() {
    let env = Env::new();
    env.write("okrs.yaml", ONE);
    let first = cached(&env, &["list", "--format", "json"]);
    assert!(first.contains("Alpha one"));
    assert_eq!(cache_entries(&env).len(), 1, "the parse was cached");
    // Same length, same modification time, different content.
    let edited = ONE
        .replace("Alpha one", "Omega two")
        .replace("value: 3", "value: 7");
    assert_eq!(edited.len(), ONE.len());
    rewrite_keeping_mtime(&env.path("okrs.yaml"), &edited);
    let second = cached(&env, &["list", "--format", "json"]);
    assert!(second.contains("Omega two"), "{second}");
    assert!(!second.contains("Alpha one"));
    // Exactly what a run without any cache says.
    let fresh = env
        .okr()
        .env("OKR_NO_CACHE", "1")
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(second.as_bytes(), &fresh.stdout[..]);
}

#[test]
fn corrupt_cache_entries_are_ignored_and_rebuilt() {
    let env = Env::new();
    env.write("okrs.yaml", ONE);
    let first = cached(&env, &["list", "--format", "json"]);
    let entries = cache_entries(&env);
    for e in &entries {
        std::fs::write(e, "not a cache entry").unwrap();
    }
    assert_eq!(cached(&env, &["list", "--format", "json"]), first);
    for e in &entries {
        assert_ne!(std::fs::read(e).unwrap(), b"not a cache entry", "rebuilt");
    }
}

#[test]
fn okr_no_cache_turns_it_off() {
    let env = Env::new();
    env.write("okrs.yaml", ONE);
    let out = env
        .okr()
        .env("XDG_CACHE_HOME", env.path("cache"))
        .env("OKR_NO_CACHE", "1")
        .args(["list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!env.path("cache/okr").exists());
}

#[test]
fn period_filter_reads_only_files_of_that_period() {
    let q = |id: &str, period: &str| {
        format!(
            "version: 1\nobjectives:\n  - id: {id}\n    title: T {id}\n    period: {period}\n    key_results:\n      - id: {id}-k\n        title: K\n        target: 10\n        check_ins: [{{date: 2026-08-01, value: 4}}]\n"
        )
    };
    let full = Env::new();
    full.write(
        "okrs/settings.yaml",
        "version: 1\nsettings:\n  default_period: 2026-Q3\n",
    );
    full.write("okrs/a.yaml", &q("a", "2026-Q3"));
    full.write("okrs/b.yaml", &q("b", "2026-q3"));
    full.write("okrs/old.yaml", &q("old", "2026-Q2"));
    // A file of another period that is not even valid is never read.
    full.write(
        "okrs/broken.yaml",
        "version: 1\nobjectives: [\nperiod: 2025-Q1\n",
    );
    let only = Env::new();
    only.write(
        "okrs/settings.yaml",
        "version: 1\nsettings:\n  default_period: 2026-Q3\n",
    );
    only.write("okrs/a.yaml", &q("a", "2026-Q3"));
    only.write("okrs/b.yaml", &q("b", "2026-q3"));
    for cmd in [
        ["list", "--period", "2026-Q3"],
        ["report", "--period", "2026-Q3"],
    ] {
        let a = full.json(&cmd);
        assert_eq!(a, only.json(&cmd), "{cmd:?}");
        assert!(a.to_string().contains("\"b\""), "{a}");
    }
    // Without a fixed period every file is read, and the broken one is reported.
    full.fails(&["list"], 1);
}

/// The stat index (store/manifest.rs) only trusts files older than its
/// racy window, so this test lets the files settle first.
#[test]
fn stat_index_sees_an_edit_with_same_size_and_mtime() {
    let env = Env::new();
    env.write("okrs/a.yaml", ONE);
    env.write(
        "okrs/b.yaml",
        &ONE.replace("alpha", "beta")
            .replace("Alpha one", "Beta one")
            .replace("id: kr", "id: kb"),
    );
    std::thread::sleep(std::time::Duration::from_millis(2600));
    let first = cached(&env, &["list", "--format", "json"]);
    let index: Vec<_> = cache_files(&env)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("m-"))
        .collect();
    assert_eq!(index.len(), 1, "the stat index was written");
    let indexed = std::fs::read_to_string(&index[0]).unwrap();
    assert!(
        indexed.contains("a.yaml") && indexed.contains("b.yaml"),
        "{indexed}"
    );
    // A one-ID command chooses its file through the index.
    assert!(cached(&env, &["show", "kb"]).contains("Beta one"));
    assert_eq!(cached(&env, &["list", "--format", "json"]), first);
    // Same length, same modification time, different content: the ctime
    // still differs, so the file is read again.
    rewrite_keeping_mtime(
        &env.path("okrs/a.yaml"),
        &ONE.replace("Alpha one", "Omega two"),
    );
    let second = cached(&env, &["list", "--format", "json"]);
    assert!(second.contains("Omega two"), "{second}");
    let fresh = env
        .okr()
        .env("OKR_NO_CACHE", "1")
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(second.as_bytes(), &fresh.stdout[..]);
    // A check-in through the index writes the right file.
    cached(&env, &["check-in", "kb", "5", "--date", "2026-08-02"]);
    assert!(env.read("okrs/b.yaml").contains("value: 5"));
    assert!(!env.read("okrs/a.yaml").contains("value: 5"));
}
