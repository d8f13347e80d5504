//! `okr diff`: what changed in the OKRs between two versions, by ID.

use std::io::Write;
use std::path::Path;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::model::diff::{self, Change};
use crate::render::{diff as render, json, json::diff::DiffJson};
use crate::store::git::Git;
use crate::store::source::{self, Source};
use crate::store::{self, Workspace};

/// Output format of `okr diff`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per change.
    #[default]
    Table,
    /// The documented JSON contract (docs/git.md).
    Json,
}

/// Show what changed in the OKRs between two versions
#[derive(Debug, clap::Args)]
#[command(after_help = "\
With no revision, compares HEAD with the working tree; with one, that
revision with the working tree; with two, the first with the second.
Objectives and key results are matched by ID: added, removed, renamed,
moved to another file, fields changed (target, start, unit, owner, period,
parent, weight, kind), check-ins added or removed, grades given. A change
that makes a result easier to reach is flagged eased: a target moved towards
its start, a start moved towards its target, a metric turned into a
milestone, a committed objective made aspirational.

Exit status with --exit-code: 0 no changes, 1 changes (like git diff).

Examples:
  okr diff
  okr diff main
  okr diff HEAD~1 HEAD --format json
  okr diff origin/main HEAD --exit-code
  okr diff --no-includes

With includes (docs/includes.md) and no revision given, the changes of each
include follow, with IDs as NAME:ID: for a remote include what its last
fetch brought in, for a local one its HEAD against its working tree.
Revisions name commits of this repository only.")]
pub struct Args {
    /// Include options (docs/includes.md)
    #[command(flatten)]
    pub includes: super::across::IncludeArgs,
    /// The older version [default: HEAD]
    pub rev_a: Option<String>,
    /// The newer version [default: the working tree]
    pub rev_b: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit with 1 when there are changes, 0 when there are none
    #[arg(long)]
    pub exit_code: bool,
}

/// Runs `okr diff`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let root = store::discover(ctx.file.as_deref(), &ctx.cwd)?;
    let git = Git::open(&root)?;
    let from = Source::Rev(args.rev_a.clone().unwrap_or_else(|| "HEAD".to_string()));
    let to = args.rev_b.clone().map_or(Source::Disk, Source::Rev);
    let mut changes = changes(&git, &root, &from, &to)?;
    if args.rev_a.is_none() && args.rev_b.is_none() {
        changes.extend(included_changes(ctx, &root, &args.includes)?);
    }
    match args.format {
        Format::Json => {
            let view = DiffJson::new(from.label(), to.label(), &changes);
            json::write(&mut ctx.out, &view)?;
        }
        Format::Table if changes.is_empty() => {
            ctx.note(&format!(
                "no changes between {} and {}",
                from.label(),
                to.label()
            ))?;
        }
        Format::Table => ctx
            .out
            .write_all(render::table(ctx.style, &changes).as_bytes())?,
    }
    if args.exit_code && !changes.is_empty() {
        return Err(Error::Exit {
            message: crate::render::plural::count(changes.len(), "change"),
            code: 1,
        });
    }
    Ok(())
}

/// The semantic changes of the workspace at `root` from `from` to `to`.
pub fn changes(git: &Git, root: &Path, from: &Source, to: &Source) -> Result<Vec<Change>> {
    let a = source::load(Some(git), from, root)?;
    let b = source::load(Some(git), to, root)?;
    Ok(between(git, &a, &b))
}

/// The changes from workspace `a` to `b`, files named relative to the repository.
pub fn between(git: &Git, a: &Workspace, b: &Workspace) -> Vec<Change> {
    let version = |ws: &Workspace| -> Vec<(String, crate::model::Document)> {
        ws.files
            .iter()
            .map(|f| {
                let name = git
                    .relative(&f.path)
                    .unwrap_or_else(|_| f.path.display().to_string());
                (name, f.doc.clone())
            })
            .collect()
    };
    let (va, vb) = (version(a), version(b));
    let ra: Vec<(String, &crate::model::Document)> =
        va.iter().map(|(n, d)| (n.clone(), d)).collect();
    let rb: Vec<(String, &crate::model::Document)> =
        vb.iter().map(|(n, d)| (n.clone(), d)).collect();
    diff::diff(&ra, &rb)
}

/// The recent changes of each include `sel` picks (see the help): a remote
/// include's last fetched range, a local one's HEAD against its working
/// tree. An include that cannot be compared is noted and skipped.
fn included_changes<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    root: &Path,
    sel: &super::across::IncludeArgs,
) -> Result<Vec<Change>> {
    use crate::store::includes::{self, Origin};
    let home = Workspace::open(root)?;
    let mut all = Vec::new();
    for inc in super::across::chosen(&home, sel)? {
        let got = match &inc.origin {
            Origin::Remote { .. } => match includes::last_range(root, &inc.name) {
                Some((a, b)) => super::fetch::changes_between(root, &inc, &a, &b),
                None => Ok(Vec::new()),
            },
            Origin::Path { full, .. } => local_changes(full, &inc.name),
        };
        match got {
            Ok(c) => all.extend(c),
            Err(e) => ctx.note(&format!(
                "warning: include `{}` ({}) cannot be compared and is left out: {e}",
                inc.name,
                inc.describe()
            ))?,
        }
    }
    Ok(all)
}

/// HEAD against the working tree of a local include, IDs as `NAME:ID`.
fn local_changes(dir: &Path, name: &str) -> Result<Vec<Change>> {
    let root = store::discover(None, dir)?;
    let git = Git::open(&root)?;
    let mut c = changes(&git, &root, &Source::Rev("HEAD".into()), &Source::Disk)?;
    for x in &mut c {
        x.id = crate::model::qualified::join(name, &x.id);
    }
    Ok(c)
}
