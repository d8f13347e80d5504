//! `okr rollover`: carry unfinished work into the next period.

use std::io::Write;

use crate::commands::{Ctx, ensure_open, resolve_period};
use crate::error::{Error, Result};
use crate::model::{Period, PeriodSpec, rollover};
use crate::render::plural::count;
use crate::render::text::sanitize;
use crate::store::Workspace;

/// Copy unfinished objectives and key results into another period
#[derive(Debug, clap::Args)]
#[command(after_help = "\
An objective is unfinished when one of its key results has not reached its
target (or has no key results at all). Only the unfinished key results are
copied: same title, target, unit, weight, stretch, owner and KPI; a metric
starts from its last value; no check-ins, grades or initiatives. Each copy
records `rolled_from:` with the original's ID; its ID is the original's with
the period suffix replaced (`visitors` and `visitors-2026-q3` both become
`visitors-2026-q4`). Copies align to the copied parent when the parent was
copied too, otherwise to the same parent when it is in the new period.
When `settings.default_period` is FROM it becomes TO. Running it twice
copies nothing new. Prints one line per copy: old ID, new ID, title.

Examples:
  okr rollover 2026-Q3 2026-Q4
  okr rollover last-quarter this-quarter")]
pub struct Args {
    /// The period to copy from
    pub from: PeriodSpec,
    /// The period to copy into
    pub to: PeriodSpec,
    /// Copy into the new period even if it is closed
    #[arg(long)]
    pub force: bool,
}

/// Runs `okr rollover`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let mut ws = ctx.open_locked()?;
    let from = resolve_period(&ws, args.from, ctx.today)?;
    let to = resolve_period(&ws, args.to, ctx.today)?;
    if from == to {
        return Err(Error::Usage(format!("FROM and TO are both {from}")));
    }
    ensure_open(&ws, to, args.force)?;
    // As of the period's end, or today if earlier: later check-ins count nowhere.
    let end = ws.settings()?.calendar().end(from).min(ctx.today);
    let mut taken: Vec<String> = ws.all_ids().map(str::to_string).collect();
    let objectives: Vec<(usize, &crate::model::Objective)> = ws
        .files
        .iter()
        .enumerate()
        .flat_map(|(fi, f)| f.doc.objectives.iter().map(move |o| (fi, o)))
        .collect();
    let carries = rollover::plan(&objectives, from, to, end, &mut taken);
    let moved_default = move_default_period(&mut ws, from, to);
    if carries.is_empty() && !moved_default {
        return ctx.note(&format!("Nothing to roll over from {from} to {to}"));
    }
    let n = carries.len();
    let mut lines = Vec::new();
    for c in carries {
        for (old, new, title) in &c.renamed {
            lines.push(format!("{old}\t{new}\t{}", sanitize(title)));
        }
        ws.files[c.file].doc.objectives.push(c.objective);
    }
    ws.save()?;
    for l in lines {
        writeln!(ctx.out, "{l}")?;
    }
    if n == 0 {
        ctx.note(&format!("Nothing to roll over from {from} to {to}"))?;
    } else {
        ctx.note(&format!(
            "Rolled {} over from {from} to {to}",
            count(n, "objective")
        ))?;
    }
    if moved_default {
        ctx.note(&format!("The default period is now {to} (was {from})"))?;
    }
    Ok(())
}

/// Points `settings.default_period` at `to` when it pointed at `from`.
fn move_default_period(ws: &mut Workspace, from: Period, to: Period) -> bool {
    for f in &mut ws.files {
        if let Some(s) = f.doc.settings.as_mut()
            && s.default_period == Some(from)
        {
            s.default_period = Some(to);
            return true;
        }
    }
    false
}
