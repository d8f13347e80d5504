//! `okr history`: every check-in of one key result, with pace and forecast.

use std::io::Write;

use chrono::NaiveDate;

use crate::commands::list::Format;
use crate::commands::{Ctx, as_of, as_of_date, note_later_krs, parse_date, resolve_key_result};
use crate::error::{Error, Result};
use crate::render::history::{self, History};

/// Show every check-in of a key result with its trend, pace and forecast
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each check-in is shown with its value, the change since the one before, its
progress, the value the pace line expected that day, its confidence and note.
Above the table: a sparkline of the values and the forecast for the end of
the period (least squares over the period's check-ins; docs/reports.md).

Examples:
  okr history website-visitors
  okr history platform:uptime     # a key result of the include `platform`
  okr history visitors --as-of 2026-08-01
  okr history visitors --format json | jq '.entries[].delta'")]
pub struct Args {
    /// The key result (ID or unique prefix)
    pub key_result: String,
    /// Only check-ins up to DATE, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Include options (docs/includes.md)
    #[command(flatten)]
    pub includes: super::across::IncludeArgs,
    /// Fail (exit 1) when an include is missing or cannot be read
    /// [default: warn on stderr and leave it out]
    #[arg(long)]
    pub strict: bool,
}

/// Runs `okr history`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open_across(&args.includes, args.strict)?;
    let addr = resolve_key_result(&ws, &args.key_result)?;
    let o = ws.objective(addr);
    let k = ws
        .key_result(addr)
        .ok_or_else(|| Error::invalid("not a key result"))?;
    let date = as_of_date(ctx, args.as_of)?;
    let asof = as_of(&ws, date)?;
    let h = History::build(o, k, &asof);
    let text = match args.format {
        Format::Table => history::to_table(ctx.style, &h),
        Format::Json => history::to_json(&h),
    };
    ctx.out.write_all(text.as_bytes())?;
    note_later_krs(ctx, &asof, [k])
}
