//! `okr show`: one objective or key result in full.

use std::io::Write;

use crate::commands::list::Format;
use chrono::NaiveDate;

use crate::commands::{Ctx, as_of, as_of_date, note_later, note_later_krs, parse_date, resolve};
use crate::error::Result;
use crate::render::{json, table};

/// Show one objective or key result in full, with its check-in history
#[derive(Debug, clap::Args)]
#[command(after_help = "\
JSON output is the same object as in `okr list --format json`: an objective
(with its key results) or a single key result, with `status` and `expected`.
Initiatives linked to the key results are listed after them. Every number
is as of one day (--as-of, else today): later check-ins count nowhere.

Examples:
  okr show brand
  okr show website-visitors --format json
  okr show brand --as-of 2026-08-01")]
pub struct Args {
    /// The objective or key result (ID or unique prefix)
    pub id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Show every number as it stood on DATE, YYYY-MM-DD: later check-ins
    /// are ignored [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

/// Runs `okr show`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open()?;
    let addr = resolve(&ws, &args.id)?;
    let o = ws.objective(addr);
    let date = as_of_date(ctx, args.as_of)?;
    let asof = as_of(&ws, date)?;
    let text = match (ws.key_result(addr), args.format) {
        (None, Format::Json) => {
            json::to_string(&json::ObjectiveJson::new(o, &o.key_results, &asof))
        }
        (None, Format::Table) => table::show_objective(ctx.style, o, &asof),
        (Some(k), Format::Json) => json::to_string(&json::KeyResultJson::new(o, k, &asof)),
        (Some(k), Format::Table) => table::show_key_result(ctx.style, o, k, &asof),
    };
    ctx.out.write_all(text.as_bytes())?;
    match ws.key_result(addr) {
        Some(k) => note_later_krs(ctx, &asof, [k]),
        None => note_later(ctx, &asof, [o]),
    }
}
