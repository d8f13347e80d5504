//! `okr rollover`: carry unfinished work into the next period.

use std::io::Write;

use crate::commands::{Ctx, ensure_open, resolve_period};
use crate::error::{Error, Result};
use crate::model::{CheckValue, KeyResult, Measure, Objective, PeriodSpec, id};
use crate::render::text::sanitize;

/// Copy unfinished objectives and key results into another period
#[derive(Debug, clap::Args)]
#[command(after_help = "\
An objective is unfinished when one of its key results has not reached its
target (or has no key results at all). Only the unfinished key results are
copied: same title, target, unit, weight, stretch, owner and KPI; a metric
starts from its last value; no check-ins, grades or initiatives. Each copy
records `rolled_from:` with the original's ID; its ID is the original's with
the new period appended. Copies align to the copied parent when the parent
was copied too, otherwise to the same parent when it is in the new period.
Running it twice copies nothing new. Prints one line per copy: old ID, new ID.

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
    let end = ws.settings()?.calendar().end(from);
    // Already rolled over: originals that have a copy in `to`.
    let done: Vec<String> = ws
        .objectives()
        .filter(|o| o.period == to)
        .filter_map(|o| o.rolled_from.clone())
        .collect();
    let mut taken: Vec<String> = ws.ids().map(str::to_string).collect();
    let suffix = to.to_string().to_ascii_lowercase();
    let fresh = |base: &str, taken: &mut Vec<String>| {
        let id = id::unique(&format!("{base}-{suffix}"), |c| {
            taken.iter().any(|t| t == c)
        });
        taken.push(id.clone());
        id
    };
    // (file, original ID, copy)
    let mut copies: Vec<(usize, String, Objective)> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for (fi, f) in ws.files.iter().enumerate() {
        for o in f.doc.objectives.iter().filter(|o| o.period == from) {
            if done.contains(&o.id) {
                continue;
            }
            let open: Vec<&KeyResult> = o
                .key_results
                .iter()
                .filter(|k| !k.is_done_as_of(Some(end)))
                .collect();
            if !o.key_results.is_empty() && open.is_empty() {
                continue;
            }
            let new_id = fresh(&o.id, &mut taken);
            lines.push(format!("{}\t{new_id}\t{}", o.id, sanitize(&o.title)));
            let mut krs = Vec::new();
            for k in open {
                let kid = fresh(&k.id, &mut taken);
                lines.push(format!("{}\t{kid}\t{}", k.id, sanitize(&k.title)));
                let measure = match &k.measure {
                    m if k.threshold.is_some() => m.clone(),
                    Measure::Metric { target, unit, .. } => {
                        let last = match k.progress_as_of(Some(end)).current {
                            CheckValue::Number(n) => n,
                            _ => *target,
                        };
                        Measure::Metric {
                            start: last,
                            target: *target,
                            unit: unit.clone(),
                        }
                    }
                    m => m.clone(),
                };
                let mut nk = KeyResult::new(kid, k.title.clone(), measure);
                nk.owner = k.owner.clone();
                nk.weight = k.weight;
                nk.stretch = k.stretch;
                nk.kpi = k.kpi.clone();
                nk.rolled_from = Some(k.id.clone());
                nk.threshold = k.threshold;
                nk.source = k.source.clone();
                krs.push(nk);
            }
            copies.push((
                fi,
                o.id.clone(),
                Objective {
                    id: new_id,
                    title: o.title.clone(),
                    description: o.description.clone(),
                    owner: o.owner.clone(),
                    level: o.level,
                    period: to,
                    kind: o.kind,
                    parent: o.parent.clone(),
                    key_results: krs,
                    rolled_from: Some(o.id.clone()),
                },
            ));
        }
    }
    // Re-point parents: to the parent's copy, else keep a parent in `to`.
    let copied: Vec<(String, String)> = copies
        .iter()
        .map(|(_, old, c)| (old.clone(), c.id.clone()))
        .collect();
    let earlier: Vec<(String, String)> = ws
        .objectives()
        .filter(|o| o.period == to)
        .filter_map(|o| o.rolled_from.clone().map(|r| (r, o.id.clone())))
        .collect();
    let periods: Vec<(String, crate::model::Period)> =
        ws.objectives().map(|o| (o.id.clone(), o.period)).collect();
    for (_, _, c) in &mut copies {
        if let Some(p) = c.parent.clone() {
            let mapped = copied
                .iter()
                .chain(&earlier)
                .find(|(old, _)| *old == p)
                .map(|(_, new)| new.clone());
            c.parent = match mapped {
                Some(n) => Some(n),
                None if periods.iter().any(|(id, per)| *id == p && *per == to) => Some(p),
                None => None,
            };
        }
    }
    if copies.is_empty() {
        return ctx.note(&format!("Nothing to roll over from {from} to {to}"));
    }
    let n = copies.len();
    for (fi, _, c) in copies {
        ws.files[fi].doc.objectives.push(c);
    }
    ws.save()?;
    for l in lines {
        writeln!(ctx.out, "{l}")?;
    }
    ctx.note(&format!("Rolled {n} objective(s) over from {from} to {to}"))
}
