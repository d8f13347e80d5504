//! The hostile corpus (tests/hostile/ plus big files generated here): each
//! file gets its expected error text, or loads and survives a write, and
//! every run is bounded in time and memory (`ulimit -v`, a deadline).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::Env;

/// Address space and time any file may cost.
const MEMORY_KB: u64 = 4 * 1024 * 1024;
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `okr ARGS` under the memory limit; returns (exit code, stderr).
fn bounded(env: &Env, args: &[&str]) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("okr");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "ulimit -v {MEMORY_KB}; exec '{}' {}",
        bin.display(),
        quoted.join(" ")
    );
    let start = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(env.dir.path())
        .env("HOME", env.dir.path())
        .env("NO_COLOR", "1")
        .env("OKR_TODAY", crate::harness::TODAY)
        .env_remove("OKR_FILE")
        .output()
        .unwrap();
    assert!(
        start.elapsed() < DEADLINE,
        "okr {args:?} took {:?}",
        start.elapsed()
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code().unwrap_or(-1), err)
}

fn corpus(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name);
    std::fs::read(p).unwrap()
}

/// Each refused file and the start of the error okr must give.
const REFUSED: [(&str, &str); 17] = [
    (
        "merge-keys.yaml",
        "f.yaml:5:5: merge keys (`<<:`) are not supported",
    ),
    (
        "duplicate-keys.yaml",
        "f.yaml:11:9: duplicate key `target`: each key may appear once in a mapping",
    ),
    ("duplicate-ids.yaml", "f.yaml:6:9: duplicate ID `grow`"),
    (
        "tag.yaml",
        "f.yaml:10:23: expected a number, found `!!str 100`: the tag makes it text",
    ),
    (
        "unknown-tag.yaml",
        "f.yaml:10:25: unsupported tag `!custom`",
    ),
    (
        "multi-document.yaml",
        "f.yaml:11:1: more than one YAML document",
    ),
    (
        "conflict-markers.yaml",
        "f.yaml:3:1: unresolved merge conflict: conflict markers on lines",
    ),
    ("tabs.yaml", "f.yaml:4:1: indentation must use spaces"),
    (
        "invalid-utf8.yaml",
        "f.yaml:11:19: byte 0xe9 is not valid UTF-8",
    ),
    (
        "utf16.yaml",
        "f.yaml:1:1: the file is UTF-16; okr reads UTF-8 only",
    ),
    ("nan.yaml", "f.yaml:10:17: `.nan` is not a usable number"),
    (
        "infinity.yaml",
        "f.yaml:10:17: `-.inf` is not a usable number",
    ),
    (
        "impossible-date.yaml",
        "f.yaml:11:19: 2026-02-30 is not a date: February 2026 has 28 days",
    ),
    (
        "impossible-period.yaml",
        "f.yaml:5:13: invalid period `2026-Q5`",
    ),
    ("empty.yaml", "f.yaml:1:1: the file is empty"),
    (
        "markdown-id.yaml",
        "f.yaml:11:9: invalid ID `# Injected heading`",
    ),
    ("yaml11-words.yaml", ""),
];

#[test]
fn every_refused_file_gets_its_error_and_stays_unchanged() {
    for (name, expected) in REFUSED {
        if expected.is_empty() {
            continue;
        }
        let env = Env::new();
        let bytes = corpus(name);
        std::fs::write(env.path("f.yaml"), &bytes).unwrap();
        for args in [
            &["-f", "f.yaml", "list"][..],
            &["-f", "f.yaml", "check-in", "visitors", "5"],
        ] {
            let (code, err) = bounded(&env, args);
            assert_eq!(code, 1, "{name} {args:?}: {err}");
            assert!(
                err.starts_with("error: /") && err.contains(&format!("/{expected}")),
                "{name}: {err}"
            );
        }
        assert_eq!(std::fs::read(env.path("f.yaml")).unwrap(), bytes, "{name}");
    }
}

#[test]
fn odd_but_valid_files_load_and_survive_a_write() {
    for (name, keeps) in [
        ("bom.yaml", "\u{feff}version: 1\n"),
        ("crlf.yaml", "version: 1\r\n"),
        ("yaml11-words.yaml", "    owner: NO\n"),
    ] {
        let env = Env::new();
        std::fs::write(env.path("f.yaml"), corpus(name)).unwrap();
        let (code, err) = bounded(&env, &["-f", "f.yaml", "list"]);
        assert_eq!(code, 0, "{name}: {err}");
        // A write either succeeds and keeps the file's own spelling, or is
        // refused with nothing written: never a changed meaning.
        let before = std::fs::read_to_string(env.path("f.yaml")).unwrap();
        let (code, err) = bounded(
            &env,
            &["-f", "f.yaml", "edit", "grow", "--title", "Grow more"],
        );
        let after = std::fs::read_to_string(env.path("f.yaml")).unwrap();
        if code == 0 {
            assert!(after.contains(keeps), "{name}: {after:?}");
            assert!(after.contains("Grow more"), "{name}");
        } else {
            assert!(err.contains("nothing was written"), "{name}: {err}");
            assert_eq!(after, before, "{name}");
        }
    }
}

#[test]
fn generated_monsters_are_refused_quickly_and_in_bounded_memory() {
    let head = "version: 1\nobjectives:\n  - id: a\n    title: A\n    period: 2026-Q3\n";
    // An alias bomb under a key typed reading skips.
    let mut bomb = format!("{head}    x-bomb:\n      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = format!("*a{}", i - 1);
        bomb.push_str(&format!("      a{i}: &a{i} [{}]\n", vec![p; 10].join(", ")));
    }
    let deep = |prefix: &str| format!("{prefix}{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let long_line = format!("{head}    x: {}: oops\n", "y".repeat(10 * 1024 * 1024));
    for (what, text, expected) in [
        (
            "alias bomb",
            bomb,
            "f.yaml:12:51: the file expands aliases too often to read safely",
        ),
        (
            "deep nesting",
            deep("version: 1\nobjectives: "),
            "f.yaml:2:",
        ),
        (
            "deep nesting under an unknown key",
            deep(&format!("{head}    x-deep: ")),
            "f.yaml:6:",
        ),
        ("10 MB line", long_line, "f.yaml:6:"),
    ] {
        let env = Env::new();
        env.write("f.yaml", &text);
        let (code, err) = bounded(&env, &["-f", "f.yaml", "list"]);
        assert_eq!(code, 1, "{what}: {}", &err[..err.len().min(500)]);
        assert!(
            err.starts_with("error: /") && err.contains(&format!("/{expected}")),
            "{what}: {}",
            &err[..err.len().min(500)]
        );
        assert!(err.len() < 2000, "{what}: {} bytes of error", err.len());
    }
}

#[test]
fn a_directory_in_place_of_a_file_and_symlink_loops() {
    let env = Env::new();
    env.write(
        "okrs/a.yaml",
        "version: 1\nobjectives:\n  - id: grow\n    title: Grow\n    period: 2026-Q3\n",
    );
    // A directory named like a file is a directory, not a file to read.
    std::fs::create_dir(env.path("okrs/b.yaml")).unwrap();
    let (code, err) = bounded(&env, &["-f", "okrs", "list"]);
    assert_eq!(code, 0, "{err}");
    // A file symlink to itself, then a directory symlink to its parent.
    std::os::unix::fs::symlink("loop.yaml", env.path("okrs/loop.yaml")).unwrap();
    let (code, err) = bounded(&env, &["-f", "okrs", "list"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("okrs/loop.yaml: Too many levels of symbolic links"),
        "{err}"
    );
    std::fs::remove_file(env.path("okrs/loop.yaml")).unwrap();
    std::os::unix::fs::symlink("..", env.path("okrs/up")).unwrap();
    let (code, err) = bounded(&env, &["-f", "okrs", "list"]);
    assert_eq!(code, 1);
    assert!(err.contains("okrs/up: symbolic link loop"), "{err}");
}
