//! `okr show`: one objective, key result, KPI or initiative in full.

use std::io::Write;

use crate::commands::list::Format;
use crate::commands::{
    Ctx, as_of, as_of_date, note_later, note_later_krs, parse_date, resolve_item,
};
use crate::error::Result;
use crate::render::{item, json, table};
use crate::store::{Item, Workspace};

/// Show one objective, key result, KPI or initiative in full
#[derive(Debug, clap::Args)]
#[command(after_help = "\
JSON output is the same object as in `okr list --format json`: an objective
(with its key results) or a single key result, with `status` and `expected`.
Initiatives linked to the key results are listed after them. A KPI shows as
in `okr kpi list --format json` plus its `check_ins`; an initiative with its
`key_result`, `objective` and `period`. Every number is as of one day
(--as-of, else today): later check-ins count nowhere.

Examples:
  okr show brand
  okr show platform:uptime        # from the include `platform`
  okr show website-visitors --format json
  okr show brand --as-of 2026-08-01
  okr show uptime                 # a KPI
  okr show launch-the-referral    # an initiative")]
pub struct Args {
    /// The objective, key result, KPI or initiative (ID or unique prefix)
    pub id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Show every number as it stood on DATE, YYYY-MM-DD: later check-ins
    /// are ignored [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Include options (docs/includes.md)
    #[command(flatten)]
    pub includes: super::across::IncludeArgs,
    /// Fail (exit 1) when an include is missing or cannot be read
    /// [default: warn on stderr and leave it out]
    #[arg(long)]
    pub strict: bool,
}

/// Runs `okr show`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let home = ctx.open_for_id(crate::store::subset::Wanted {
        queries: &[&args.id],
        more: &[],
    })?;
    let ws = ctx.with_includes(home, &args.includes, args.strict, None)?;
    let date = as_of_date(ctx, args.as_of)?;
    let asof = as_of(&ws, date)?;
    let text = match resolve_item(&ws, &args.id)? {
        Item::Okr(addr) => {
            let o = ws.objective(addr);
            let text = match (ws.key_result(addr), args.format) {
                (None, Format::Json) => {
                    json::to_string(&json::ObjectiveJson::new(o, &o.key_results, &asof))
                }
                (None, Format::Table) => table::show_objective(ctx.style, o, &asof),
                (Some(k), Format::Json) => json::to_string(&json::KeyResultJson::new(o, k, &asof)),
                (Some(k), Format::Table) => table::show_key_result(ctx.style, o, k, &asof),
            };
            match ws.key_result(addr) {
                Some(k) => note_later_krs(ctx, &asof, [k])?,
                None => note_later(ctx, &asof, [o])?,
            }
            text
        }
        Item::Kpi(f, k) => {
            let kpi = &ws.files[f].doc.kpis[k];
            let krs = key_results_of(&ws, &kpi.id);
            match args.format {
                Format::Json => json::to_string(&json::KpiShowJson::new(kpi, krs, &asof)),
                Format::Table => item::show_kpi(ctx.style, kpi, &krs, &asof),
            }
        }
        Item::Initiative(addr, i) => {
            let o = ws.objective(addr);
            let Some(k) = ws.key_result(addr) else {
                return Ok(());
            };
            let init = &k.initiatives[i];
            match args.format {
                Format::Json => json::to_string(&json::InitiativeShowJson::new(init, o, k)),
                Format::Table => item::show_initiative(ctx.style, init, o, k),
            }
        }
    };
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}

/// The IDs of the key results that name KPI `id`.
pub(crate) fn key_results_of<'a>(ws: &'a Workspace, id: &str) -> Vec<&'a str> {
    ws.objectives()
        .flat_map(|o| o.key_results.iter())
        .filter(|k| k.kpi.as_deref() == Some(id))
        .map(|k| k.id.as_str())
        .collect()
}
