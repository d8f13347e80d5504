//! The only code that runs the `git` executable.
//!
//! okr shells out to git rather than linking a git library: git is already
//! installed wherever OKR files live in a repository, it knows the user's
//! configuration (identity, remotes, credentials, hooks), and nothing heavy
//! has to be built. Every call goes through [`Git::run`], so a missing git
//! or a directory outside any repository gives one clear error.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::error::{Error, Result};

/// A repository, addressed through the directory git is run in.
#[derive(Debug, Clone)]
pub struct Git {
    /// Where git runs (`git -C DIR`).
    dir: PathBuf,
    /// The top of the working tree.
    top: PathBuf,
}

/// One commit, as `git log` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Full hash.
    pub hash: String,
    /// Author name.
    pub author: String,
    /// Author e-mail.
    pub email: String,
    /// Author date, ISO 8601 with offset.
    pub date: String,
    /// First line of the message.
    pub subject: String,
    /// Full hashes of the parents (none for a root commit, two or more for
    /// a merge).
    pub parents: Vec<String>,
}

/// What a git command printed, and whether it succeeded.
#[derive(Debug)]
pub struct Ran {
    /// Exit status was 0.
    pub ok: bool,
    /// Exit code, if any.
    pub code: Option<i32>,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Git {
    /// The repository holding `dir` (a directory or a file in one).
    ///
    /// Fails with a hint when git is not installed or `dir` is not inside
    /// a git working tree.
    pub fn open(dir: &Path) -> Result<Git> {
        let dir = if dir.is_dir() {
            dir.to_path_buf()
        } else {
            match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        let probe = Git {
            dir: dir.clone(),
            top: dir.clone(),
        };
        let ran = probe.run(["rev-parse", "--show-toplevel"])?;
        if !ran.ok {
            return Err(Error::invalid_with_hint(
                format!("{} is not inside a git repository", dir.display()),
                "run `git init` there (or clone the repository), then try again",
            ));
        }
        let top = PathBuf::from(ran.stdout.trim_end_matches(['\n', '\r']));
        // Run at the top from now on: git prints and takes paths relative
        // to where it runs, and okr names them from the top.
        let dir = if dir.is_absolute() { top.clone() } else { dir };
        Ok(Git { dir, top })
    }

    /// A bare repository at `dir` (an include's fetch cache): git runs
    /// there and paths are relative to the top of its trees.
    pub fn bare(dir: &Path) -> Git {
        Git {
            dir: dir.to_path_buf(),
            top: dir.to_path_buf(),
        }
    }

    /// The repository's shared git directory (`.git`, the same for every
    /// worktree), absolute.
    pub fn common_dir(&self) -> Result<PathBuf> {
        let out = self.run_ok(["rev-parse", "--git-common-dir"])?;
        let dir = PathBuf::from(out.trim_end_matches(['\n', '\r']));
        Ok(if dir.is_absolute() {
            dir
        } else {
            self.dir.join(dir)
        })
    }

    /// Fetches `refspec` from `url` without tags; the error carries git's
    /// own message (an unreachable or missing remote).
    pub fn fetch(&self, url: &str, refspec: &str) -> Result<()> {
        let ran = self.run(["fetch", "--quiet", "--no-tags", "--", url, refspec])?;
        if ran.ok {
            return Ok(());
        }
        let said = ran
            .stderr
            .lines()
            .map(|l| l.trim_start_matches("fatal: ").trim())
            .find(|l| !l.is_empty())
            .unwrap_or("git fetch failed");
        Err(Error::invalid(format!("cannot fetch {url}: {said}")))
    }

    /// Points `name` at `target` (a full ref or hash).
    pub fn update_ref(&self, name: &str, target: &str) -> Result<()> {
        self.run_ok(["update-ref", name, target]).map(|_| ())
    }

    /// The top directory of the working tree.
    pub fn top(&self) -> &Path {
        &self.top
    }

    /// `path` relative to the top of the working tree, with `/` separators
    /// (as git names paths in revisions).
    pub fn relative(&self, path: &Path) -> Result<String> {
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.dir.join(path)
        };
        let canon = canonical_existing(&abs);
        let top = canonical_existing(&self.top);
        let rel = canon.strip_prefix(&top).map_err(|_| {
            Error::invalid(format!(
                "{} is outside the git repository at {}",
                path.display(),
                self.top.display()
            ))
        })?;
        Ok(rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"))
    }

    /// Runs `git ARGS` in the repository and returns what happened; only a
    /// git that cannot be started is an error here.
    pub fn run<I, S>(&self, args: I) -> Result<Ran>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let out = self.command(args).output().map_err(spawn_error)?;
        Ok(ran(out))
    }

    /// Runs `git ARGS` and returns stdout, or an error naming the command
    /// and git's own message.
    pub fn run_ok<I, S>(&self, args: I) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<S> = args.into_iter().collect();
        let shown = args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let ran = self.run(&args)?;
        if ran.ok {
            Ok(ran.stdout)
        } else {
            Err(Error::invalid(format!(
                "`git {shown}` failed: {}",
                ran.stderr.trim()
            )))
        }
    }

    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = Command::new("git");
        c.arg("-C").arg(&self.dir).args(args);
        c.stdin(Stdio::null());
        c
    }

    /// The full hash of `rev`, or an error naming the revision.
    pub fn rev_parse(&self, rev: &str) -> Result<String> {
        let ran = self.run([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])?;
        if ran.ok {
            Ok(ran.stdout.trim().to_string())
        } else {
            Err(Error::invalid_with_hint(
                format!("`{rev}` is not a commit in this repository"),
                "name a branch, tag or commit (see `git log --oneline`)",
            ))
        }
    }

    /// The text of `path` (relative to the top) at `rev`; `None` when the
    /// file does not exist there.
    pub fn show(&self, rev: &str, path: &str) -> Result<Option<String>> {
        let mut v = self.cat_files(rev, &[path.to_string()])?;
        Ok(v.pop().flatten())
    }

    /// The texts of many files at `rev` through one `git cat-file --batch`;
    /// `None` for a file that does not exist there.
    pub fn cat_files(&self, rev: &str, paths: &[String]) -> Result<Vec<Option<String>>> {
        let mut child = self
            .command(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(spawn_error)?;
        let input: String = paths.iter().map(|p| format!("{rev}:{p}\n")).collect();
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| Error::invalid("cannot write to `git cat-file`"))?;
        // Write from another thread so a large answer cannot block the question.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| Error::invalid("cannot read from `git cat-file`"))?;
        let mut reader = BufReader::new(stdout);
        let mut texts = Vec::with_capacity(paths.len());
        for path in paths {
            texts.push(read_blob(&mut reader, rev, path)?);
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(texts)
    }

    /// The files under `prefix` (relative to the top; empty for all) at `rev`.
    pub fn ls_tree(&self, rev: &str, prefix: &str) -> Result<Vec<String>> {
        let mut args = vec!["ls-tree", "-r", "--name-only", "-z", rev];
        if !prefix.is_empty() {
            args.extend(["--", prefix]);
        }
        let out = self.run_ok(args)?;
        Ok(out
            .split('\0')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// A git config value, if set.
    pub fn config_get(&self, key: &str) -> Result<Option<String>> {
        let ran = self.run(["config", "--get", key])?;
        Ok(ran.ok.then(|| ran.stdout.trim_end().to_string()))
    }

    /// Sets a git config value in the repository's own config.
    pub fn config_set(&self, key: &str, value: &str) -> Result<()> {
        self.run_ok(["config", "--local", key, value]).map(|_| ())
    }

    /// Commits touching `paths` (relative to the top), oldest first.
    pub fn log(&self, rev: &str, paths: &[String]) -> Result<Vec<Commit>> {
        let mut args: Vec<String> = [
            "log",
            "--reverse",
            "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%P%x1f%s%x1e",
            rev,
            "--",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(paths.iter().cloned());
        let out = self.run_ok(&args)?;
        Ok(out
            .split('\x1e')
            .filter_map(|rec| {
                let mut f = rec.trim_start_matches('\n').split('\x1f');
                Some(Commit {
                    hash: f.next().filter(|h| !h.is_empty())?.to_string(),
                    author: f.next()?.to_string(),
                    email: f.next()?.to_string(),
                    date: f.next()?.to_string(),
                    parents: f.next()?.split_whitespace().map(str::to_string).collect(),
                    subject: f.next()?.to_string(),
                })
            })
            .collect())
    }

    /// Whether the repository has a commit yet.
    pub fn has_head(&self) -> Result<bool> {
        Ok(self.run(["rev-parse", "--verify", "--quiet", "HEAD"])?.ok)
    }

    /// Commits exactly `paths` (relative to the top) with `message`, as
    /// `git commit --only` does: whatever else is staged stays staged and
    /// out of the commit. New files are added first.
    pub fn commit_only(&self, paths: &[String], message: &str) -> Result<()> {
        let mut add = vec!["add", "--"];
        add.extend(paths.iter().map(String::as_str));
        self.run_ok(&add)?;
        let mut commit = vec!["commit", "--quiet", "--only", "-m", message, "--"];
        commit.extend(paths.iter().map(String::as_str));
        self.run_ok(&commit).map(|_| ())
    }

    /// The names of the configured remotes.
    pub fn remotes(&self) -> Result<Vec<String>> {
        Ok(self
            .run_ok(["remote"])?
            .lines()
            .map(str::to_string)
            .collect())
    }

    /// The upstream of the current branch (`origin/main`), if any.
    pub fn upstream(&self) -> Result<Option<String>> {
        let ran = self.run(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"])?;
        Ok(ran.ok.then(|| ran.stdout.trim().to_string()))
    }

    /// The best common ancestor of two commits, if any.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>> {
        let ran = self.run(["merge-base", a, b])?;
        Ok(ran.ok.then(|| ran.stdout.trim().to_string()))
    }

    /// Commits in `range` (`A..B`), oldest first, as one-line subjects.
    pub fn subjects(&self, range: &str) -> Result<Vec<String>> {
        Ok(self
            .run_ok(["log", "--reverse", "--format=%h %s", range])?
            .lines()
            .map(str::to_string)
            .collect())
    }

    /// Whether a rebase stopped half-way (on a conflict).
    pub fn rebase_in_progress(&self) -> Result<bool> {
        let dir = self.run_ok(["rev-parse", "--git-dir"])?;
        let dir = self.dir.join(dir.trim());
        Ok(dir.join("rebase-merge").exists() || dir.join("rebase-apply").exists())
    }

    /// `git pull --rebase`, as it went.
    pub fn pull_rebase(&self) -> Result<Ran> {
        self.run(["pull", "--rebase", "--no-autostash"])
    }

    /// `git push`, as it went.
    pub fn push(&self) -> Result<Ran> {
        self.run(["push"])
    }

    /// `git merge-file`: git's own line merge of three files into `ours`.
    pub fn merge_file(&self, ours: &Path, base: &Path, theirs: &Path) -> Result<Ran> {
        let mut c = Command::new("git");
        c.current_dir(&self.dir).stdin(Stdio::null()).args([
            "merge-file",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
        ]);
        c.arg(ours).arg(base).arg(theirs);
        Ok(ran(c.output().map_err(spawn_error)?))
    }
}

/// `git config --get KEY` run in `dir` (inside a repository or not, so the
/// global configuration counts too); `None` when git is missing, fails, or
/// the key is unset or empty. Never an error: callers fall back.
pub fn config_get(dir: &Path, key: &str) -> Option<String> {
    let out = Command::new("git")
        .args(["config", "--get", key])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let value = String::from_utf8(out.stdout).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// `git merge-file` outside any repository (the merge driver may run with
/// only the three temporary files).
pub fn merge_file(ours: &Path, base: &Path, theirs: &Path) -> Result<Ran> {
    let g = Git {
        dir: PathBuf::from("."),
        top: PathBuf::from("."),
    };
    g.merge_file(ours, base, theirs)
}

fn ran(out: Output) -> Ran {
    Ran {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn spawn_error(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::invalid_with_hint(
            "git is not installed (no `git` on PATH)",
            "install git (https://git-scm.com) and make sure `git --version` works",
        )
    } else {
        Error::invalid(format!("cannot run git: {e}"))
    }
}

/// Reads one answer of `git cat-file --batch`.
fn read_blob(r: &mut impl BufRead, rev: &str, path: &str) -> Result<Option<String>> {
    let mut header = String::new();
    r.read_line(&mut header)
        .map_err(|e| Error::invalid(format!("cannot read from `git cat-file`: {e}")))?;
    let parts: Vec<&str> = header.split_whitespace().collect();
    match parts.as_slice() {
        [_, "missing"] | [] => Ok(None),
        [_, kind, size] => {
            let size: usize = size.parse().map_err(|_| {
                Error::invalid(format!("unexpected `git cat-file` answer: {header}"))
            })?;
            let mut buf = vec![0; size + 1];
            r.read_exact(&mut buf)
                .map_err(|e| Error::invalid(format!("cannot read from `git cat-file`: {e}")))?;
            buf.pop();
            if *kind != "blob" {
                return Ok(None);
            }
            String::from_utf8(buf)
                .map(Some)
                .map_err(|_| Error::invalid(format!("{path} at {rev} is not UTF-8 text")))
        }
        _ => Ok(None),
    }
}

/// An interactive `git cat-file --batch`: one process answering requests
/// one at a time, so a caller can walk trees and read their blobs without
/// starting git for each step (an include's workspace in one git run).
#[derive(Debug)]
pub struct Batch {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    out: BufReader<std::process::ChildStdout>,
}

/// One object from a [`Batch`]: its ID (hex), kind (`blob`, `tree` …) and bytes.
pub type Object = (String, String, Vec<u8>);

impl Git {
    /// Starts an interactive `git cat-file --batch` in the repository.
    pub fn batch(&self) -> Result<Batch> {
        let mut child = self
            .command(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(spawn_error)?;
        let stdin = child.stdin.take();
        let out = child
            .stdout
            .take()
            .map(BufReader::new)
            .ok_or_else(|| Error::invalid("cannot read from `git cat-file`"))?;
        Ok(Batch { child, stdin, out })
    }
}

impl Batch {
    /// The object `spec` names (`REV:PATH` or an object ID); `None` when
    /// there is none.
    pub fn object(&mut self, spec: &str) -> Result<Option<Object>> {
        let failed = |e: std::io::Error| Error::invalid(format!("`git cat-file` failed: {e}"));
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| Error::invalid("`git cat-file` is closed"))?;
        writeln!(stdin, "{spec}")
            .and_then(|()| stdin.flush())
            .map_err(failed)?;
        let mut header = String::new();
        self.out.read_line(&mut header).map_err(failed)?;
        let parts: Vec<&str> = header.split_whitespace().collect();
        let [oid, kind, size] = parts.as_slice() else {
            return Ok(None);
        };
        let size: usize = size
            .parse()
            .map_err(|_| Error::invalid(format!("unexpected `git cat-file` answer: {header}")))?;
        let mut buf = vec![0; size + 1];
        std::io::Read::read_exact(&mut self.out, &mut buf).map_err(failed)?;
        buf.pop();
        Ok(Some((oid.to_string(), kind.to_string(), buf)))
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Closing its input ends `git cat-file`.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// The entries of a raw tree object (`MODE NAME\0OID`): (is a tree, name,
/// object ID in hex); `oid_len` is the ID's length in bytes (20 for SHA-1).
pub fn tree_entries(data: &[u8], oid_len: usize) -> Vec<(bool, String, String)> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(sp) = rest.iter().position(|&b| b == b' ') {
        let Some(nul) = rest[sp..].iter().position(|&b| b == 0).map(|n| sp + n) else {
            break;
        };
        let Some(oid) = rest.get(nul + 1..nul + 1 + oid_len) else {
            break;
        };
        let is_tree = &rest[..sp] == b"40000";
        let name = String::from_utf8_lossy(&rest[sp + 1..nul]).into_owned();
        let hex = oid.iter().map(|b| format!("{b:02x}")).collect();
        out.push((is_tree, name, hex));
        rest = &rest[nul + 1 + oid_len..];
    }
    out
}

/// `p` with symlinks resolved as far as it exists.
fn canonical_existing(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) => canonical_existing(parent).join(name),
        _ => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn tree_entries_reads_modes_names_and_ids() {
        let mut raw = b"100644 a.yaml\0".to_vec();
        raw.extend([0xab; 20]);
        raw.extend(b"40000 sub dir\0");
        raw.extend([0x01; 20]);
        let e = tree_entries(&raw, 20);
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].0, e[0].1.as_str()), (false, "a.yaml"));
        assert_eq!(e[0].2, "ab".repeat(20));
        assert_eq!((e[1].0, e[1].1.as_str()), (true, "sub dir"));
        assert!(tree_entries(b"100644 cut\0abc", 20).is_empty());
    }

    fn repo() -> (tempfile::TempDir, Git) {
        let d = tempfile::tempdir().unwrap();
        let s = |args: &[&str]| {
            let st = Command::new("git")
                .arg("-C")
                .arg(d.path())
                .args(args)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", d.path())
                .env("GIT_AUTHOR_NAME", "Ann")
                .env("GIT_AUTHOR_EMAIL", "ann@example.com")
                .env("GIT_COMMITTER_NAME", "Ann")
                .env("GIT_COMMITTER_EMAIL", "ann@example.com")
                .output()
                .unwrap();
            assert!(st.status.success(), "{st:?}");
        };
        s(&["init", "-q", "-b", "main"]);
        std::fs::write(d.path().join("a.yaml"), "one\n").unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("sub/b.yaml"), "two\nlines\n").unwrap();
        s(&["add", "."]);
        s(&["commit", "-q", "-m", "first"]);
        let g = Git::open(d.path()).unwrap();
        (d, g)
    }

    #[test]
    fn reads_many_files_at_a_revision_in_one_batch() {
        let (_d, g) = repo();
        let texts = g
            .cat_files(
                "HEAD",
                &["a.yaml".into(), "nope.yaml".into(), "sub/b.yaml".into()],
            )
            .unwrap();
        assert_eq!(
            texts,
            vec![Some("one\n".into()), None, Some("two\nlines\n".into())]
        );
        assert_eq!(g.ls_tree("HEAD", "sub").unwrap(), vec!["sub/b.yaml"]);
        assert_eq!(g.show("HEAD", "a.yaml").unwrap().as_deref(), Some("one\n"));
    }

    #[test]
    fn log_lists_authors() {
        let (_d, g) = repo();
        let log = g.log("HEAD", &["a.yaml".into()]).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].author, "Ann");
        assert_eq!(log[0].subject, "first");
        assert!(g.rev_parse("HEAD").unwrap().len() >= 40);
        assert!(g.rev_parse("no-such-branch").is_err());
    }

    #[test]
    fn config_get_reads_the_repository_config_and_is_none_when_unset() {
        let (d, _g) = repo();
        let set = Command::new("git")
            .arg("-C")
            .arg(d.path())
            .args(["config", "user.name", "Ada Lovelace"])
            .output()
            .unwrap();
        assert!(set.status.success());
        assert_eq!(
            config_get(d.path(), "user.name").as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(config_get(d.path(), "okr.no-such-key"), None);
    }

    #[test]
    fn no_other_module_runs_git() {
        // The architecture's promise: this file is the only code that runs git.
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src.clone()];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs")
                    && p != src.join("store/git.rs")
                    && std::fs::read_to_string(&p)
                        .unwrap()
                        .contains("Command::new(\"git\")")
                {
                    offenders.push(p);
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "git run outside store/git.rs: {offenders:?}"
        );
    }

    #[test]
    fn outside_a_repository_is_a_clear_error() {
        let d = tempfile::tempdir().unwrap();
        let e = Git::open(d.path()).expect_err("a temp dir is no repository");
        assert!(e.to_string().contains("not inside a git repository"), "{e}");
        assert!(e.hint().is_some());
    }
}
