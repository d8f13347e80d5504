//! `okr refresh [ID…]`: run key results' `source:` commands and record each
//! value as a check-in by `okr`; `okr trust`: allow the workspace's commands.
//!
//! A command runs only when its exact text was trusted for that key result
//! (store/trust.rs). Commands run in parallel, each with a timeout, through
//! `sh -c` in the workspace's directory. Every success is recorded in one
//! save at the end; a failure is reported for its key result and writes
//! nothing for it.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::commands::check_in::parse_value;
use crate::commands::{Ctx, resolve_key_result};
use crate::error::{Error, Result};
use crate::model::CheckIn;
use crate::store::Workspace;
use crate::store::trust::{self, Verdict};

/// The author of check-ins made by `okr refresh`.
pub const AUTHOR: &str = "okr";

/// Run key results' source commands and record their values as check-ins
#[derive(Debug, clap::Args)]
#[command(after_help = "\
A key result's `source:` is a shell command whose standard output is its
current value (a number, or done/todo for a milestone), e.g.
  source: psql -tAc 'select count(*) from signups'
  source: curl -s https://api.example.com/stats | jq .visitors
Commands run with `sh -c` in the workspace's directory, in parallel, each
with a timeout. Only commands recorded by `okr trust` run; a new or changed
one is refused until trusted again. Each value becomes a check-in dated
today with author `okr`. Exit status 1 when any source failed (the others
are still recorded).

Examples:
  okr trust                 # after reading the commands it lists
  okr refresh
  okr refresh visitors signups --timeout 60")]
pub struct Args {
    /// Key results to refresh (ID or unique prefix) [default: every one with a source]
    pub key_results: Vec<String>,
    /// Seconds each command may run
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub timeout: u64,
}

/// Allow the workspace's source commands to run
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Lists every key result's `source:` command and records its hash (blake3) in
trusted.json in your config directory (docs/settings.md), like direnv's
allow. Read the commands first: they run as you. A command changed later
(say by a git pull) is refused by `okr refresh` until trusted again.

Examples:
  okr trust --list          # show the commands and whether each is trusted
  okr trust")]
pub struct TrustArgs {
    /// Only list the commands and their state; record nothing
    #[arg(long)]
    pub list: bool,
}

/// Every (key result ID, command) of the workspace.
pub fn sources(ws: &Workspace) -> Vec<(String, String)> {
    ws.objectives()
        .flat_map(|o| o.key_results.iter())
        .filter_map(|k| k.source.as_ref().map(|s| (k.id.clone(), s.clone())))
        .collect()
}

/// The sources that may not run, with a message for each.
pub fn untrusted(ws: &Workspace) -> Result<Vec<(String, String)>> {
    let t = trust::load()?;
    let key = trust::workspace_key(&ws.root);
    Ok(sources(ws)
        .into_iter()
        .filter_map(|(kr, cmd)| match trust::verdict(&t, &key, &kr, &cmd) {
            Verdict::Trusted => None,
            Verdict::New => Some((kr, format!("new source, not trusted yet: {cmd}"))),
            Verdict::Changed => Some((
                kr,
                format!("source changed since it was trusted; now: {cmd}"),
            )),
        })
        .collect())
}

/// Runs `okr trust`.
pub fn run_trust<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &TrustArgs) -> Result<()> {
    let ws = ctx.open()?;
    let all = sources(&ws);
    let t = trust::load()?;
    let key = trust::workspace_key(&ws.root);
    for (kr, cmd) in &all {
        let state = match trust::verdict(&t, &key, kr, cmd) {
            Verdict::Trusted => "trusted",
            Verdict::New => "new",
            Verdict::Changed => "changed",
        };
        let clean = crate::render::text::sanitize;
        writeln!(ctx.out, "{}\t{state}\t{}", clean(kr), clean(cmd))?;
    }
    if args.list {
        return Ok(());
    }
    let path = trust::record(&key, &all)?;
    ctx.note(&format!(
        "Trusted {} source commands (recorded in {})",
        all.len(),
        path.display()
    ))
}

/// Runs `okr refresh`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open()?;
    let mut wanted = Vec::new();
    for q in &args.key_results {
        let addr = resolve_key_result(&ws, q)?;
        if let Some(k) = ws.key_result(addr) {
            wanted.push(k.id.clone());
        }
    }
    let all = sources(&ws);
    let jobs: Vec<(String, String)> = all
        .into_iter()
        .filter(|(kr, _)| wanted.is_empty() || wanted.contains(kr))
        .collect();
    for q in &wanted {
        if !jobs.iter().any(|(k, _)| k == q) {
            return Err(Error::invalid_with_hint(
                format!("key result `{q}` has no `source:`"),
                "add `source: COMMAND` to it in the file",
            ));
        }
    }
    if jobs.is_empty() {
        return ctx.note("No key result has a `source:`; nothing to refresh.");
    }
    let refused = untrusted(&ws)?;
    let mut failures: Vec<String> = Vec::new();
    let mut runnable = Vec::new();
    for (kr, cmd) in jobs {
        match refused.iter().find(|(k, _)| *k == kr) {
            Some((_, why)) => failures.push(format!(
                "{kr}: {why}\n  run `okr trust` after reading it to allow it"
            )),
            None => runnable.push((kr, cmd)),
        }
    }
    let dir = workspace_dir(&ws.root);
    let timeout = Duration::from_secs(args.timeout.max(1));
    let progress = std::io::stderr().is_terminal();
    if progress {
        ctx.note(&format!("Refreshing {} sources…", runnable.len()))?;
    }
    let results = run_all(&runnable, &dir, timeout, |kr, ok| {
        if progress {
            eprintln!("  {} {kr}", if ok { "✓" } else { "✗" });
        }
    });
    drop(ws);
    let mut values = Vec::new();
    for ((kr, _), result) in runnable.iter().zip(results) {
        match result {
            Ok(out) => values.push((kr.clone(), out)),
            Err(e) => failures.push(format!("{kr}: {e}")),
        }
    }
    let recorded = record(ctx, &values, &mut failures)?;
    for (kr, v) in &recorded {
        ctx.note(&format!("Refreshed {kr}: {v}"))?;
    }
    for f in &failures {
        ctx.note(&format!("error: {f}"))?;
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "{} of {} sources failed; the others were recorded",
            failures.len(),
            failures.len() + recorded.len()
        )))
    }
}

/// Appends one check-in per good value and saves once; bad values join `failures`.
fn record<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    values: &[(String, String)],
    failures: &mut Vec<String>,
) -> Result<Vec<(String, String)>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let mut ws = ctx.open_locked()?;
    let mut done = Vec::new();
    for (kr, raw) in values {
        let addr = resolve_key_result(&ws, kr)?;
        let Some(k) = ws.key_result_mut(addr) else {
            continue;
        };
        match parse_value(&k.measure, raw) {
            Ok(value) => {
                k.check_ins.push(CheckIn {
                    date: ctx.today,
                    value,
                    confidence: None,
                    note: None,
                    author: Some(AUTHOR.to_string()),
                });
                done.push((kr.clone(), value.to_string()));
            }
            Err(e) => failures.push(format!("{kr}: the command printed `{raw}`: {e}")),
        }
    }
    ws.save()?;
    Ok(done)
}

fn workspace_dir(root: &Path) -> PathBuf {
    if root.is_dir() {
        root.to_path_buf()
    } else {
        root.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

/// Runs every command in its own thread; results in input order.
fn run_all(
    jobs: &[(String, String)],
    dir: &Path,
    timeout: Duration,
    on_done: impl Fn(&str, bool) + Sync,
) -> Vec<std::result::Result<String, String>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|(kr, cmd)| {
                let on_done = &on_done;
                s.spawn(move || {
                    let r = run_one(cmd, dir, timeout);
                    on_done(kr, r.is_ok());
                    r
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("the command's thread failed".into()))
            })
            .collect()
    })
}

/// Runs one command with a timeout; its trimmed stdout, or why it failed.
fn run_one(cmd: &str, dir: &Path, timeout: Duration) -> std::result::Result<String, String> {
    let mut command = Command::new("sh");
    // Its own process group, so a timeout ends the whole pipeline, not only `sh`.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run sh: {e}"))?;
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(o) = stdout.as_mut() {
            let _ = o.read_to_string(&mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) if start.elapsed() >= timeout => {
                #[cfg(unix)]
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .stderr(Stdio::null())
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let err = err.lines().last().unwrap_or("").trim().to_string();
        return Err(format!(
            "the command failed ({status}){}",
            if err.is_empty() {
                String::new()
            } else {
                format!(": {err}")
            }
        ));
    }
    let v = out.trim();
    if v.is_empty() {
        return Err("the command printed nothing".into());
    }
    Ok(v.lines().last().unwrap_or(v).trim().to_string())
}
