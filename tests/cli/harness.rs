//! A small harness: every `okr` run gets a fresh directory as its cwd and
//! HOME, TZ=UTC, NO_COLOR, no inherited OKR_FILE, and a fixed today.

use std::path::PathBuf;

use assert_cmd::Command;
use tempfile::TempDir;

/// The pinned "today" of every test unless a test says otherwise.
pub const TODAY: &str = "2026-08-15";

/// A temporary directory to run `okr` in.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().expect("create temp dir"),
        }
    }

    /// An `okr` command running in this directory.
    pub fn okr(&self) -> Command {
        Command::from_std(self.std())
    }

    /// The same as [`Env::okr`], as a plain std command (for pipes, spawn).
    pub fn std(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("okr"));
        c.current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env("OKR_TODAY", TODAY)
            .env_remove("OKR_FILE")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("COLUMNS")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("OKR_CONFIG_DIR")
            .env_remove("OKR_FORMAT")
            .env_remove("OKR_PAGER")
            .env_remove("PAGER");
        c
    }

    /// Runs `okr ARGS`, asserts success and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.okr().args(args).output().expect("run okr");
        assert!(
            out.status.success(),
            "okr {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs `okr ARGS`, asserts it fails with `code`, returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.okr().args(args).output().expect("run okr");
        assert_eq!(
            out.status.code(),
            Some(code),
            "okr {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// Runs `okr ARGS --format json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(&a)).expect("valid JSON")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    /// `okr init` plus one objective with one metric KR; returns (objective, kr).
    pub fn with_brand(&self) -> (String, String) {
        self.ok(&["init", "--period", "2026-Q3"]);
        let o = self.ok(&[
            "add",
            "objective",
            "Increase brand awareness",
            "--owner",
            "marketing",
            "--level",
            "team",
        ]);
        let k = self.ok(&[
            "add",
            "kr",
            o.trim(),
            "Website visitors",
            "--start",
            "100000",
            "--target",
            "1000000",
            "--unit",
            "visitors",
        ]);
        (o.trim().to_string(), k.trim().to_string())
    }
}

/// Path to the shipped examples.
pub fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples")
}
