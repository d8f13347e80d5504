//! `okr kpi`: standing health metrics with a healthy range.

use std::io::Write;

use chrono::NaiveDate;

use crate::commands::list::Format;
use crate::commands::{Ctx, new_id, parse_date, parse_number, resolve_kpi};
use crate::error::{Error, Result};
use crate::model::{CheckIn, CheckValue, Document, Kpi, KpiCheckIn, Measure, format_number};
use crate::render::json;
use crate::store::WorkspaceFile;

/// Add, check in and list KPIs (standing health metrics)
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

/// What to do with KPIs.
#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Add a KPI with a healthy range and print its ID
    #[command(after_help = "\
A KPI is not bound to a period. Give --at-least, --at-most or both
(between). A key result can name the KPI it moves (`okr add kr … --kpi ID`).

Examples:
  okr kpi add \"API response time p95\" --at-most 200 --unit ms --owner platform
  okr kpi add \"Uptime\" --at-least 99.9 --unit %
  okr kpi add \"Team size\" --at-least 4 --at-most 9")]
    Add(AddArgs),
    /// Record a KPI value (also a check-in of the key results that name it)
    #[command(
        name = "check-in",
        visible_alias = "checkin",
        after_help = "\
Each metric key result that names this KPI, whose period contains the date
and is not closed, gets the same value as a check-in.

Examples:
  okr kpi check-in response-time 180
  okr kpi check-in uptime 99.95 --date 2026-08-01 --note \"after the migration\""
    )]
    CheckIn(CheckInArgs),
    /// List KPIs with their latest value and healthy/unhealthy status
    #[command(after_help = "\
Status: healthy when the latest value is inside the range, unhealthy when
not, no-data without any check-in.

Examples:
  okr kpi list
  okr kpi list --format json")]
    List(ListArgs),
}

/// Arguments of `okr kpi add`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("range").required(true).multiple(true).args(["at_least", "at_most"])))]
pub struct AddArgs {
    /// What is measured
    pub title: String,
    /// Healthy when the value is at least this
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub at_least: Option<f64>,
    /// Healthy when the value is at most this
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub at_most: Option<f64>,
    /// Unit shown beside values
    #[arg(long)]
    pub unit: Option<String>,
    /// Who watches it
    #[arg(long)]
    pub owner: Option<String>,
    /// ID to use [default: a slug of the title]
    #[arg(long)]
    pub id: Option<String>,
}

/// Arguments of `okr kpi check-in`.
#[derive(Debug, clap::Args)]
pub struct CheckInArgs {
    /// The KPI (ID or unique prefix)
    pub kpi: String,
    /// The value
    #[arg(allow_negative_numbers = true, value_parser = parse_number)]
    pub value: f64,
    /// Date of the reading, YYYY-MM-DD [default: today]
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// A short note
    #[arg(long, short = 'n')]
    pub note: Option<String>,
    /// Who is checking in
    #[arg(long)]
    pub author: Option<String>,
}

/// Arguments of `okr kpi list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `okr kpi`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    match &args.what {
        What::Add(a) => add(ctx, a),
        What::CheckIn(a) => check_in(ctx, a),
        What::List(a) => list(ctx, a),
    }
}

fn add<W: Write, E: Write>(ctx: &mut Ctx<W, E>, a: &AddArgs) -> Result<()> {
    if a.title.trim().is_empty() {
        return Err(Error::Usage("the title cannot be empty".into()));
    }
    if let (Some(lo), Some(hi)) = (a.at_least, a.at_most)
        && lo > hi
    {
        return Err(Error::Usage(format!(
            "--at-least {} is above --at-most {}",
            format_number(lo),
            format_number(hi)
        )));
    }
    let mut ws = ctx.open_locked()?;
    let kid = new_id(&ws, a.id.as_deref(), &a.title)?;
    let fi = ws
        .files
        .iter()
        .position(|f| !f.doc.kpis.is_empty())
        .or_else(|| ws.files.iter().position(|f| f.doc.settings.is_some()))
        .unwrap_or(0);
    if ws.files.is_empty() {
        let path = ws.root.join(crate::store::DEFAULT_FILE);
        ws.files.push(WorkspaceFile::new(path, Document::new()));
    }
    let kpi = Kpi {
        id: kid.clone(),
        title: a.title.trim().to_string(),
        owner: a.owner.clone(),
        unit: a.unit.clone().filter(|u| !u.trim().is_empty()),
        at_least: a.at_least,
        at_most: a.at_most,
        check_ins: Vec::new(),
    };
    let range = kpi.range_text();
    ws.files[fi].doc.kpis.push(kpi);
    ws.save()?;
    writeln!(ctx.out, "{kid}")?;
    ctx.note(&format!("Added KPI {kid} (healthy {range})"))
}

fn check_in<W: Write, E: Write>(ctx: &mut Ctx<W, E>, a: &CheckInArgs) -> Result<()> {
    let mut ws = ctx.open_locked()?;
    let (f, k) = resolve_kpi(&ws, &a.kpi)?;
    let kid = ws.files[f].doc.kpis[k].id.clone();
    let date = a.date.unwrap_or(ctx.today);
    let settings = ws.settings()?;
    let cal = settings.calendar();
    let note = a.note.clone().filter(|n| !n.trim().is_empty());
    let mut healthy = true;
    let mut unit = None;
    let mut informed: Vec<String> = Vec::new();
    for f in &mut ws.files {
        for k in f.doc.kpis.iter_mut().filter(|k| k.id == kid) {
            k.check_ins.push(KpiCheckIn {
                date,
                value: a.value,
                note: note.clone(),
                author: a.author.clone(),
            });
            healthy = k.is_healthy(a.value);
            unit = k.unit.clone();
        }
        for o in &mut f.doc.objectives {
            if !cal.contains(o.period, date) || settings.is_closed(o.period) {
                continue;
            }
            for kr in o
                .key_results
                .iter_mut()
                .filter(|k| k.kpi.as_deref() == Some(kid.as_str()))
            {
                if let Measure::Metric { .. } = kr.measure {
                    kr.check_ins.push(CheckIn {
                        date,
                        value: CheckValue::Number(a.value),
                        confidence: None,
                        note: Some(note.clone().unwrap_or_else(|| format!("from KPI {kid}"))),
                        author: a.author.clone(),
                    });
                    informed.push(kr.id.clone());
                }
            }
        }
    }
    ws.save()?;
    ctx.note(&format!(
        "Checked in KPI {kid}: {} on {date} ({})",
        crate::render::with_unit(unit.as_deref(), a.value),
        if healthy { "healthy" } else { "unhealthy" }
    ))?;
    if !informed.is_empty() {
        ctx.note(&format!(
            "Also checked in {} {}",
            crate::render::plural::noun(informed.len(), "key result"),
            informed.join(", ")
        ))?;
    }
    if date > ctx.today {
        ctx.note(&format!("warning: {date} is after today ({})", ctx.today))?;
    }
    Ok(())
}

fn list<W: Write, E: Write>(ctx: &mut Ctx<W, E>, a: &ListArgs) -> Result<()> {
    let ws = ctx.open()?;
    // Readings dated after today count nowhere, as in `okr report`.
    let asof = crate::commands::as_of(&ws, ctx.today)?;
    let kpis: Vec<&Kpi> = ws.files.iter().flat_map(|f| f.doc.kpis.iter()).collect();
    let krs_of = |id: &str| -> Vec<&str> {
        ws.objectives()
            .flat_map(|o| o.key_results.iter())
            .filter(|k| k.kpi.as_deref() == Some(id))
            .map(|k| k.id.as_str())
            .collect()
    };
    match a.format {
        Format::Json => {
            let view = json::KpiListJson::new(
                kpis.iter()
                    .map(|k| json::KpiJson::new(k, krs_of(&k.id), &asof))
                    .collect(),
            );
            crate::render::json::write(&mut ctx.out, &view)?;
        }
        Format::Table => {
            if kpis.is_empty() {
                return ctx.note("No KPIs yet. Add one with `okr kpi add TITLE --at-least X`.");
            }
            let s = crate::render::kpi::table(ctx.style, &kpis, &asof);
            ctx.out.write_all(s.as_bytes())?;
        }
    }
    Ok(())
}
