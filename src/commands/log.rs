//! `okr log`: the history of an objective, key result or workspace in git.
//!
//! Walks the commits that touched the workspace's files, oldest first, reads
//! the workspace at each (one `git cat-file --batch` per commit) and keeps
//! the semantic changes from the commit before: so a check-in is listed with
//! the commit that recorded it and its author, which may differ from the
//! check-in's own date and author field.

use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::model::diff::{Change, Item};
use crate::render::json::diff::{ChangeJson, LogEntryJson, LogJson};
use crate::render::table::new_table;
use crate::render::{diff as render, json, text::sanitize};
use crate::store::git::{Commit, Git};
use crate::store::source::{self, Source};
use crate::store::{self, Workspace};

/// Output format of `okr log`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per change.
    #[default]
    Table,
    /// The documented JSON contract (docs/git.md).
    Json,
}

/// Show the git history of an objective, a key result or the workspace
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Lists every change to the OKRs commit by commit, oldest first: when each
check-in was recorded and by whom (the commit's author and date, which can
differ from the check-in's own date), when targets, owners, periods, kinds
and grades changed, what was added, renamed, moved or removed. An
objective's history includes its key results'.

Examples:
  okr log
  okr log website-visitors
  okr log brand --format json")]
pub struct Args {
    /// An objective or key result (ID or unique prefix) [default: the whole workspace]
    pub id: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

struct Entry {
    commit: Commit,
    change: Change,
}

/// Runs `okr log`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let root = store::discover(ctx.file.as_deref(), &ctx.cwd)?;
    let git = Git::open(&root)?;
    let (id, unknown) = match &args.id {
        Some(q) => {
            let (id, unknown) = resolve(ctx, q)?;
            (Some(id), unknown)
        }
        None => (None, None),
    };
    let entries = history(ctx, &git, &root, id.as_deref())?;
    if let (Some(e), true) = (unknown, entries.is_empty()) {
        // Not in the working tree and never in the history either.
        return Err(e);
    }
    match args.format {
        Format::Json => {
            let view = LogJson {
                version: json::JSON_VERSION,
                id: id.as_deref(),
                entries: entries
                    .iter()
                    .map(|e| LogEntryJson {
                        commit: &e.commit.hash,
                        author: &e.commit.author,
                        email: &e.commit.email,
                        date: &e.commit.date,
                        subject: &e.commit.subject,
                        change: ChangeJson::new(&e.change),
                    })
                    .collect(),
            };
            json::write(&mut ctx.out, &view)?;
        }
        Format::Table if entries.is_empty() => ctx.note("no history in git yet")?,
        Format::Table => {
            let mut t = new_table(ctx.style, &["DATE", "COMMIT", "AUTHOR", "ID", "CHANGE"]);
            for e in &entries {
                let mut change = render::describe(&e.change);
                if let Some(why) = e.change.eased {
                    change.push_str(&format!(" (eased: {why})"));
                }
                t.add_row(vec![
                    e.commit
                        .date
                        .get(..10)
                        .unwrap_or(&e.commit.date)
                        .to_string(),
                    e.commit.hash.get(..7).unwrap_or(&e.commit.hash).to_string(),
                    sanitize(&e.commit.author),
                    sanitize(&e.change.id),
                    change,
                ]);
            }
            writeln!(ctx.out, "{t}")?;
        }
    }
    Ok(())
}

/// The ID asked for: resolved in the working tree when it is there (so a
/// prefix works), else taken as typed (it may have been removed since), with
/// the error to give if the history does not know it either.
fn resolve<W: Write, E: Write>(ctx: &Ctx<W, E>, query: &str) -> Result<(String, Option<Error>)> {
    let Ok(ws) = ctx.open() else {
        return Ok((query.to_string(), None));
    };
    match crate::commands::resolve(&ws, query) {
        Ok(addr) => Ok((
            match ws.key_result(addr) {
                Some(k) => k.id.clone(),
                None => ws.objective(addr).id.clone(),
            },
            None,
        )),
        Err(e @ Error::UnknownId { .. }) => Ok((query.to_string(), Some(e))),
        Err(e) => Err(e),
    }
}

fn history<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    git: &Git,
    root: &std::path::Path,
    id: Option<&str>,
) -> Result<Vec<Entry>> {
    if !git.has_head()? {
        return Ok(Vec::new());
    }
    let rel = git.relative(root)?;
    let commits = git.log("HEAD", &[rel])?;
    let mut cache: HashMap<String, Option<Rc<Workspace>>> = HashMap::new();
    let empty = Rc::new(Workspace::from_texts(root, Vec::new())?);
    let mut out = Vec::new();
    for c in commits {
        let Some(ws) = load(ctx, git, root, &c.hash, &mut cache)? else {
            continue;
        };
        // What this commit itself changed: against its first parent, and
        // for a merge only what differs from every parent (what the merge
        // brought in was recorded, and is listed, in the merged commits).
        let mut changes: Option<Vec<Change>> = None;
        let parents = if c.parents.is_empty() {
            vec![None]
        } else {
            c.parents.iter().map(Some).collect()
        };
        for p in parents {
            let before = match p {
                Some(p) => load(ctx, git, root, p, &mut cache)?,
                None => None,
            }
            .unwrap_or_else(|| empty.clone());
            let d: Vec<Change> = super::diff::between(git, &before, &ws)
                .into_iter()
                .filter(|ch| id.is_none_or(|id| concerns(ch, id, &before, &ws)))
                .collect();
            changes = Some(match changes {
                None => d,
                Some(prev) => prev.into_iter().filter(|ch| d.contains(ch)).collect(),
            });
        }
        for change in changes.unwrap_or_default() {
            out.push(Entry {
                commit: c.clone(),
                change,
            });
        }
    }
    Ok(out)
}

/// The workspace at commit `hash`, read once; `None` (with a note) when okr
/// cannot read it there.
fn load<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    git: &Git,
    root: &std::path::Path,
    hash: &str,
    cache: &mut HashMap<String, Option<Rc<Workspace>>>,
) -> Result<Option<Rc<Workspace>>> {
    if let Some(ws) = cache.get(hash) {
        return Ok(ws.clone());
    }
    let ws = match source::load(Some(git), &Source::Rev(hash.to_string()), root) {
        Ok(ws) => Some(Rc::new(ws)),
        Err(e) => {
            let short = hash.get(..7).unwrap_or(hash);
            ctx.note(&format!(
                "note: skipping commit {short}, which okr cannot read: {e}"
            ))?;
            None
        }
    };
    cache.insert(hash.to_string(), ws.clone());
    Ok(ws)
}

/// Whether `change` is about `id`, or about a key result of objective `id`.
fn concerns(change: &Change, id: &str, before: &Workspace, after: &Workspace) -> bool {
    if change.id == id {
        return true;
    }
    change.item == Item::KeyResult
        && [before, after].iter().any(|ws| {
            ws.address(&change.id)
                .is_some_and(|a| ws.objective(a).id == id)
        })
}
