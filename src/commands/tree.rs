//! `okr tree`: the alignment tree with rolled-up progress and status.

use std::io::Write;

use chrono::NaiveDate;

use crate::commands::list::Format;
use crate::commands::{Ctx, as_of, as_of_date, note_later, parse_date, resolve_period};
use crate::error::Result;
use crate::model::tree::build;
use crate::model::{Objective, PeriodSpec};

/// Print the alignment tree (company → team → personal) with roll-ups
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Objectives hang under the objective named by their `parent`. Progress rolls
up by the workspace's `rollup` setting (docs/method.md):
  own       (default) a parent's progress is its own key results only; the
            mean of its children is shown beside it, so nothing counts twice
  children  a parent's progress is the mean of its children's
  blend     own key results and children in one weighted mean
Status is the objective's own status (own) or the worst of it and its
children's (children, blend). Every number is as of one day (--as-of, else
today): later check-ins count nowhere.

Examples:
  okr tree
  okr tree --period this-quarter
  okr tree --format json
  okr tree --include platform --include mobile
  okr tree --as-of 2026-08-01")]
pub struct Args {
    /// Only objectives of this period: 2026-Q3, this-quarter … [default: all]
    #[arg(long)]
    pub period: Option<PeriodSpec>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Show every number as it stood on DATE, YYYY-MM-DD: later check-ins
    /// are ignored [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Include options (docs/includes.md)
    #[command(flatten)]
    pub includes: super::across::IncludeArgs,
    /// Fail (exit 1) when an include is missing or cannot be read
    /// [default: warn on stderr and leave it out]
    #[arg(long)]
    pub strict: bool,
}

/// Runs `okr tree`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open_across(&args.includes, args.strict)?;
    let date = as_of_date(ctx, args.as_of)?;
    let asof = as_of(&ws, date)?;
    let rule = ws.settings()?.rollup.unwrap_or_default();
    let period = match args.period {
        Some(p) => Some(resolve_period(&ws, p, date)?),
        None => None,
    };
    let objectives: Vec<&Objective> = ws
        .objectives()
        .filter(|o| period.is_none_or(|p| o.period == p))
        .collect();
    let roots = build(&objectives, rule, &asof);
    match args.format {
        Format::Json => {
            let view = crate::render::json::TreeJson::new(&roots, rule.as_str(), date);
            crate::render::json::write(&mut ctx.out, &view)?;
        }
        Format::Table => {
            if roots.is_empty() {
                return ctx.note("No objectives match.");
            }
            let own = rule == crate::model::Rollup::Own;
            let s = crate::render::tree::to_text(ctx.style, &roots, own);
            ctx.out.write_all(s.as_bytes())?;
        }
    }
    note_later(ctx, &asof, objectives)
}
