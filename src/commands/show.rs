//! `okr show`: one objective, key result, KPI or initiative in full.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::commands::kpi::{KpiJson, status};
use crate::commands::list::Format;
use crate::commands::{
    Ctx, as_of, as_of_date, note_later, note_later_krs, parse_date, resolve_item,
};
use crate::error::Result;
use crate::model::asof::AsOf;
use crate::model::{Kpi, KpiCheckIn};
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
    pub as_of: Option<NaiveDate>,
}

/// `okr show KPI --format json`.
#[derive(Debug, Serialize)]
struct KpiShowJson<'a> {
    version: u32,
    #[serde(flatten)]
    kpi: KpiJson<'a>,
    check_ins: Vec<KpiCheckInJson<'a>>,
}

/// One KPI reading in JSON (nulls rather than missing fields).
#[derive(Debug, Serialize)]
struct KpiCheckInJson<'a> {
    date: chrono::NaiveDate,
    value: f64,
    note: Option<&'a str>,
    author: Option<&'a str>,
}

impl<'a> From<&'a KpiCheckIn> for KpiCheckInJson<'a> {
    fn from(c: &'a KpiCheckIn) -> Self {
        KpiCheckInJson {
            date: c.date,
            value: c.value,
            note: c.note.as_deref(),
            author: c.author.as_deref(),
        }
    }
}

/// `okr show INITIATIVE --format json`.
#[derive(Debug, Serialize)]
struct InitiativeJson<'a> {
    version: u32,
    id: &'a str,
    title: &'a str,
    status: &'static str,
    owner: Option<&'a str>,
    link: Option<&'a str>,
    key_result: &'a str,
    objective: &'a str,
    period: String,
}

/// Runs `okr show`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open()?;
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
            ctx.out.write_all(text.as_bytes())?;
            return match ws.key_result(addr) {
                Some(k) => note_later_krs(ctx, &asof, [k]),
                None => note_later(ctx, &asof, [o]),
            };
        }
        Item::Kpi(f, k) => {
            let kpi = &ws.files[f].doc.kpis[k];
            let krs = key_results_of(&ws, &kpi.id);
            match args.format {
                Format::Json => json::to_string(&kpi_json(kpi, krs, &asof)),
                Format::Table => item::show_kpi(ctx.style, kpi, &krs),
            }
        }
        Item::Initiative(addr, i) => {
            let o = ws.objective(addr);
            let Some(k) = ws.key_result(addr) else {
                return Ok(());
            };
            let init = &k.initiatives[i];
            match args.format {
                Format::Json => json::to_string(&InitiativeJson {
                    version: json::JSON_VERSION,
                    id: &init.id,
                    title: &init.title,
                    status: init.status.as_str(),
                    owner: init.owner.as_deref(),
                    link: init.link.as_deref(),
                    key_result: &k.id,
                    objective: &o.id,
                    period: o.period.to_string(),
                }),
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

fn kpi_json<'a>(k: &'a Kpi, key_results: Vec<&'a str>, asof: &AsOf) -> KpiShowJson<'a> {
    let latest = asof.kpi_latest(k);
    KpiShowJson {
        version: json::JSON_VERSION,
        kpi: KpiJson {
            id: &k.id,
            title: &k.title,
            owner: k.owner.as_deref(),
            unit: k.unit.as_deref(),
            at_least: k.at_least,
            at_most: k.at_most,
            current: latest.map(|c| c.value),
            last_check_in: latest.map(|c| c.date),
            status: status(k, asof),
            key_results,
        },
        check_ins: k
            .check_ins
            .iter()
            .filter(|c| crate::model::asof::counts(c.date, Some(asof.date())))
            .map(KpiCheckInJson::from)
            .collect(),
    }
}
