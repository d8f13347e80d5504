//! `okr initiative`: the projects and tasks that move a key result.

use std::io::Write;

use crate::commands::{Ctx, ensure_open, new_id, resolve_key_result};
use crate::error::{Error, Result};
use crate::model::id::{self, Lookup};
use crate::model::{Initiative, InitiativeStatus};
use crate::store::Workspace;

/// Link work items (initiatives) to key results and track them
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

/// What to do with initiatives.
#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Link a new initiative to a key result and print its ID
    #[command(after_help = "\
`okr show KR` (or its objective) lists the initiatives.

Examples:
  okr initiative add website-visitors \"Launch the referral campaign\" --link https://example.com/issues/42
  okr initiative add nps \"Fix the checkout bugs\" --link ACME-1234 --owner dana --status doing")]
    Add(AddArgs),
    /// Mark an initiative done
    #[command(after_help = "\
Examples:
  okr initiative done launch-the-referral")]
    Done(IdArgs),
    /// Mark an initiative in progress (doing)
    #[command(after_help = "\
Examples:
  okr initiative start launch-the-referral")]
    Start(IdArgs),
}

/// Arguments of `okr initiative add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The key result it moves (ID or unique prefix)
    pub key_result: String,
    /// What will be done
    pub title: String,
    /// A URL or an issue reference
    #[arg(long, short = 'l')]
    pub link: Option<String>,
    /// Who does it
    #[arg(long)]
    pub owner: Option<String>,
    /// todo, doing or done [default: todo]
    #[arg(long, default_value = "todo")]
    pub status: InitiativeStatus,
    /// ID to use [default: a slug of the title]
    #[arg(long)]
    pub id: Option<String>,
    /// Add it even though the key result's period is closed
    #[arg(long)]
    pub force: bool,
}

/// Arguments naming one initiative.
#[derive(Debug, clap::Args)]
pub struct IdArgs {
    /// The initiative (ID or unique prefix)
    pub id: String,
    /// Change it even though its period is closed
    #[arg(long)]
    pub force: bool,
}

/// Runs `okr initiative`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    match &args.what {
        What::Add(a) => add(ctx, a),
        What::Done(a) => set(ctx, a, InitiativeStatus::Done),
        What::Start(a) => set(ctx, a, InitiativeStatus::Doing),
    }
}

fn add<W: Write, E: Write>(ctx: &mut Ctx<W, E>, a: &AddArgs) -> Result<()> {
    if a.title.trim().is_empty() {
        return Err(Error::Usage("the title cannot be empty".into()));
    }
    let mut ws = ctx.open_locked()?;
    let addr = resolve_key_result(&ws, &a.key_result)?;
    ensure_open(&ws, ws.objective(addr).period, a.force)?;
    let iid = new_id(&ws, a.id.as_deref(), &a.title)?;
    let Some(k) = ws.key_result_mut(addr) else {
        return Err(Error::invalid("not a key result"));
    };
    k.initiatives.push(Initiative {
        id: iid.clone(),
        title: a.title.trim().to_string(),
        status: a.status,
        link: a.link.clone().filter(|l| !l.trim().is_empty()),
        owner: a.owner.clone(),
    });
    let kid = k.id.clone();
    ws.save()?;
    writeln!(ctx.out, "{iid}")?;
    ctx.note(&format!("Added initiative {iid} to {kid}"))
}

/// (file, objective, key result, initiative) of the initiative named `query`.
fn find(ws: &Workspace, query: &str) -> Result<(usize, usize, usize, usize)> {
    let mut all: Vec<(String, (usize, usize, usize, usize))> = Vec::new();
    for (fi, f) in ws.files.iter().enumerate() {
        for (oi, o) in f.doc.objectives.iter().enumerate() {
            for (ki, k) in o.key_results.iter().enumerate() {
                for (ii, i) in k.initiatives.iter().enumerate() {
                    all.push((i.id.clone(), (fi, oi, ki, ii)));
                }
            }
        }
    }
    match id::resolve(query, all.iter().map(|(i, _)| i.as_str())) {
        Lookup::Found(id) => all
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, a)| *a)
            .ok_or_else(|| Error::invalid(format!("no initiative with ID `{query}`"))),
        Lookup::Ambiguous(candidates) => Err(Error::AmbiguousId {
            query: query.to_string(),
            candidates,
        }),
        Lookup::NotFound(s) => Err(Error::invalid_with_hint(
            format!("no initiative with ID `{query}`"),
            if s.is_empty() {
                "`okr show KR` lists a key result's initiatives".to_string()
            } else {
                format!("did you mean {}?", s.join(" or "))
            },
        )),
    }
}

fn set<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    a: &IdArgs,
    status: InitiativeStatus,
) -> Result<()> {
    let mut ws = ctx.open_locked()?;
    let (fi, oi, ki, ii) = find(&ws, &a.id)?;
    ensure_open(&ws, ws.files[fi].doc.objectives[oi].period, a.force)?;
    let i = &mut ws.files[fi].doc.objectives[oi].key_results[ki].initiatives[ii];
    i.status = status;
    let msg = format!("Initiative {} is {}", i.id, status.as_str());
    ws.save()?;
    ctx.note(&msg)
}
