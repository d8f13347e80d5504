//! `okr fetch` (and `okr sync --includes`): update the remote includes.
//!
//! Each remote include is fetched with git into its cache inside this
//! repository's `.git/okr/includes/` and summarised as `okr diff` names the
//! changes of the fetched range, so a company sees what its teams did since
//! the last fetch. An include that cannot be fetched is a warning (its last
//! fetch is still read offline); `--strict` makes it an error.

use std::io::Write;

use crate::commands::Ctx;
use crate::commands::across::{self, IncludeArgs};
use crate::error::Result;
use crate::model::diff::Change;
use crate::model::qualified;
use crate::render::diff as render;
use crate::store::git::Git;
use crate::store::includes::{self, Fetched, Include, Origin};
use crate::store::{self, Workspace};

/// Fetch the remote includes and show what changed in each
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Fetches every remote include of settings.includes (docs/includes.md) into
.git/okr/includes/NAME, never into the working tree, and prints what changed
in each since its last fetch, as `okr diff` names it. Local `path:` includes
are read from disk and need no fetch. Read commands never go online: they
read the last fetch and note its age. An include that cannot be fetched is a
warning and its last fetch stays in use; with --strict it is an error (exit 1).

Examples:
  okr fetch
  okr fetch --include platform
  okr fetch --strict          # in CI: fail when a team repository is gone")]
pub struct Args {
    /// Include options (docs/includes.md)
    #[command(flatten)]
    pub includes: IncludeArgs,
    /// Fail (exit 1) when an include cannot be fetched [default: warn and go on]
    #[arg(long)]
    pub strict: bool,
}

/// Runs `okr fetch`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    fetch_all(ctx, &args.includes, args.strict)
}

/// Fetches the remote includes `sel` picks and prints a summary of each.
pub fn fetch_all<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    sel: &IncludeArgs,
    strict: bool,
) -> Result<()> {
    let root = store::discover(ctx.file.as_deref(), &ctx.cwd)?;
    let home = Workspace::open(&root)?;
    let remote: Vec<Include> = across::chosen(&home, sel)?
        .into_iter()
        .filter(Include::is_remote)
        .collect();
    if remote.is_empty() {
        return ctx.note("no remote includes to fetch (settings.includes)");
    }
    for inc in &remote {
        match includes::fetch(&root, inc, Some(ctx.today)) {
            Ok(f) => summarise(ctx, &root, inc, &f)?,
            Err(e) if strict => return Err(across::unreadable(inc, &e)),
            Err(e) => ctx.note(&format!(
                "warning: include `{}` ({}) cannot be fetched; its last fetch stays in use: {e}",
                inc.name,
                inc.describe()
            ))?,
        }
    }
    Ok(())
}

/// Prints what one fetch brought in.
fn summarise<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    root: &std::path::Path,
    inc: &Include,
    f: &Fetched,
) -> Result<()> {
    let Some(before) = f.before.as_deref().filter(|b| *b != f.after) else {
        let what = if f.before.is_some() {
            "up to date"
        } else {
            "fetched for the first time"
        };
        writeln!(ctx.out, "{}: {what}", inc.name)?;
        return Ok(());
    };
    let changes = changes_between(root, inc, before, &f.after)?;
    writeln!(
        ctx.out,
        "{}: {}",
        inc.name,
        crate::render::plural::count(changes.len(), "change")
    )?;
    for c in &changes {
        writeln!(ctx.out, "  {}", render::summary_line(c))?;
    }
    Ok(())
}

/// The changes of a remote include from commit `a` to commit `b` of its
/// cache, with IDs as addresses (`NAME:ID`).
pub fn changes_between(
    root: &std::path::Path,
    inc: &Include,
    a: &str,
    b: &str,
) -> Result<Vec<Change>> {
    let Origin::Remote { workspace, .. } = &inc.origin else {
        return Ok(Vec::new());
    };
    let git = Git::bare(&includes::cache_dir(root, &inc.name)?);
    let load = |rev: &str| -> Result<Workspace> {
        let (r, texts) = includes::remote_texts_at(&git, rev, &inc.name, workspace.as_deref())?;
        Ok(Workspace::from_texts(&r, texts)?)
    };
    let (wa, wb) = (load(a)?, load(b)?);
    let mut changes = super::diff::between(&git, &wa, &wb);
    for c in &mut changes {
        c.id = qualified::join(&inc.name, &c.id);
    }
    Ok(changes)
}
