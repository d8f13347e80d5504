//! `okr sync`: pull (rebasing, with okr's merge driver), then push.
//!
//! The one-command loop that dstask made pleasant: fetch what the team did,
//! replay ours on top (check-ins merge by model, not by line), publish.
//! Every failure stops with the working tree exactly as git left it and says
//! what to do next, because a half-done sync is git's state to resolve.

use std::io::Write;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::render::diff as render;
use crate::store::git::Git;
use crate::store::source::Source;
use crate::store::{self};

/// Pull the team's OKR changes, then push yours
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Runs `git pull --rebase` (okr's merge driver merges OKR files when `okr git
setup` was run), then `git push`. Prints what came in (as `okr diff` names
it) and which commits went out. Without a remote or upstream, with a remote
that cannot be reached, or on a real conflict it stops with an error, leaves
the repository as git left it and says what to do next.

With --includes it then fetches the remote includes (as `okr fetch`) and
prints what changed in each; a repository without an upstream branch is then
only noted, so a company repository that is never pushed can still sync its
includes.

Examples:
  okr sync
  okr --commit check-in visitors 550000 && okr sync
  okr sync --includes")]
pub struct Args {
    /// Also fetch the remote includes and show what changed in each (docs/includes.md)
    #[arg(long)]
    pub includes: bool,
    /// With --includes: fail (exit 1) when an include cannot be fetched
    /// [default: warn and go on]
    #[arg(long, requires = "includes")]
    pub strict: bool,
}

/// Runs `okr sync`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    if !args.includes {
        return sync_home(ctx);
    }
    let root = store::discover(ctx.file.as_deref(), &ctx.cwd)?;
    let git = Git::open(&root)?;
    if !git.remotes()?.is_empty() && git.upstream()?.is_some() {
        sync_home(ctx)?;
    } else {
        ctx.note(
            "note: this repository has no upstream branch to sync with; fetching the includes only",
        )?;
    }
    super::fetch::fetch_all(ctx, &super::across::IncludeArgs::default(), args.strict)
}

/// Pulls and pushes the workspace's own repository.
fn sync_home<W: Write, E: Write>(ctx: &mut Ctx<W, E>) -> Result<()> {
    let root = store::discover(ctx.file.as_deref(), &ctx.cwd)?;
    let git = Git::open(&root)?;
    if git.remotes()?.is_empty() {
        return Err(Error::invalid_with_hint(
            "this repository has no remote to sync with",
            "add one with `git remote add origin URL`, push once with `git push -u origin HEAD`, then run `okr sync`",
        ));
    }
    let Some(upstream) = git.upstream()? else {
        return Err(Error::invalid_with_hint(
            "the current branch has no upstream branch to sync with",
            "set it once with `git push -u origin HEAD`, then run `okr sync`",
        ));
    };
    if git.config_get("merge.okr.driver")?.is_none() {
        ctx.note("note: okr's merge driver is not set up here, so OKR files merge line by line; run `okr git setup`")?;
    }
    let head_before = git.rev_parse("HEAD")?;
    let pulled = git.pull_rebase()?;
    if !pulled.ok {
        return Err(pull_failed(&git, &pulled.stderr)?);
    }
    let up = git.rev_parse(&upstream)?;
    let base = git.merge_base(&head_before, &up)?;
    if let Some(base) = base.filter(|b| *b != up) {
        let changes =
            super::diff::changes(&git, &root, &Source::Rev(base), &Source::Rev(up.clone()))?;
        writeln!(ctx.out, "came in from {upstream}:")?;
        if changes.is_empty() {
            writeln!(ctx.out, "  (commits without OKR changes)")?;
        }
        for c in &changes {
            writeln!(ctx.out, "  {}", render::summary_line(c))?;
        }
    } else {
        writeln!(ctx.out, "nothing came in from {upstream}")?;
    }
    let outgoing = git.subjects(&format!("{up}..HEAD"))?;
    if outgoing.is_empty() {
        writeln!(ctx.out, "nothing to push")?;
        return Ok(());
    }
    let pushed = git.push()?;
    if !pushed.ok {
        return Err(Error::invalid_with_hint(
            format!("`git push` failed: {}", pushed.stderr.trim()),
            "your commits are safe locally; check the remote and your network, then run `okr sync` again",
        ));
    }
    writeln!(ctx.out, "went out to {upstream}:")?;
    for s in outgoing {
        writeln!(ctx.out, "  {}", crate::render::text::sanitize(&s))?;
    }
    Ok(())
}

/// The error for a failed pull: a conflict (rebase stopped) or anything else.
fn pull_failed(git: &Git, stderr: &str) -> Result<Error> {
    let said = stderr.trim();
    if git.rebase_in_progress()? {
        return Ok(Error::invalid_with_hint(
            format!("the pull stopped on a conflict git could not resolve:\n{said}"),
            "edit the marked lines (okr names each conflict above), `git add` the files, `git rebase --continue`, then `okr sync` again; or `git rebase --abort` to go back",
        ));
    }
    let offline = [
        "Could not read from remote",
        "unable to access",
        "does not appear to be a git repository",
        "Could not resolve host",
    ]
    .iter()
    .any(|s| said.contains(s));
    Ok(if offline {
        Error::invalid_with_hint(
            format!("cannot reach the remote: {said}"),
            "your commits are safe locally; check the remote URL (`git remote -v`) and your network, then run `okr sync` again",
        )
    } else {
        Error::invalid_with_hint(
            format!("`git pull --rebase` failed: {said}"),
            "fix what git says above (for example commit or stash your changes), then run `okr sync` again",
        )
    })
}
