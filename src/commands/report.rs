//! `okr report`: where the OKRs stand, for people and for scripts.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::commands::list::select;
use crate::commands::{Ctx, as_of, as_of_date, note_later, parse_date, resolve_period};
use crate::error::{Error, Result};
use crate::model::{Level, PeriodSpec, Status};
use crate::render::report::{Filters, Report};
use crate::render::{self, Style};
use crate::store::{Workspace, fsio};

/// Output format of `okr report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Tables for the terminal.
    Table,
    /// Markdown for a wiki or pull request.
    Markdown,
    /// The documented JSON report (docs/reports.md).
    Json,
    /// One row per key result, for spreadsheets.
    Csv,
    /// One self-contained HTML page with charts.
    Html,
}

impl ReportFormat {
    /// The format a file name's extension asks for.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" => ReportFormat::Markdown,
            "json" => ReportFormat::Json,
            "csv" => ReportFormat::Csv,
            "html" | "htm" => ReportFormat::Html,
            "txt" | "text" => ReportFormat::Table,
            _ => return None,
        })
    }
}

/// Report where the OKRs stand: progress, status, trend and forecast
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The report covers each objective (progress, status, grade) and its key
results (start -> current -> target, progress, attainment, confidence, trend
since the previous check-in, forecast to the period's end), a summary, and
KPIs out of range. It describes one day: --as-of, else today. Check-ins after
that day are ignored, so a report for a past date is reproducible byte for
byte. Formats and the JSON schema: docs/reports.md.

Examples:
  okr report
  okr report --period 2026-Q3 --owner marketing
  okr report -o q3.html
  okr report --format csv -o q3.csv
  okr report --format json --strict    # every include, or fail
  okr report --as-of 2026-08-01 --format markdown")]
pub struct Args {
    /// Only objectives of this period: 2026-Q3, 2026-H1, 2026, this-quarter,
    /// last-quarter, next-quarter, this-year or last-year (relative to the
    /// report date) [default: all]
    #[arg(long, value_name = "P")]
    pub period: Option<PeriodSpec>,
    /// Only objectives owned by O, and key results owned by O elsewhere
    #[arg(long, value_name = "O")]
    pub owner: Option<String>,
    /// Only objectives at this level: company, team or personal
    #[arg(long, value_name = "L")]
    pub level: Option<Level>,
    /// Only key results (and objectives without any) with this status on the
    /// report date; comma-separated: on-track, at-risk, off-track,
    /// not-started, stale, done [default: all]
    #[arg(long, value_name = "S", value_delimiter = ',')]
    pub status: Vec<Status>,
    /// Output format [default: from the -o extension (.md, .json, .csv, .html, .txt), else table]
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report to FILE instead of stdout (replaced atomically)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report as it stood on DATE, YYYY-MM-DD: later check-ins are ignored [default: today]
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

/// Runs `okr report`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, None) => ReportFormat::Table,
        (None, Some(path)) => ReportFormat::from_path(path).ok_or_else(|| {
            Error::Usage(format!(
                "cannot tell the format from `{}`: name it .md, .json, .csv, .html or .txt, or pass --format",
                path.display()
            ))
        })?,
    };
    let ws = ctx.open_across_for(&args.includes, args.strict, args.period)?;
    let shown = show(ctx, args, format, &ws);
    super::keep_until_exit(ws);
    shown
}

/// Reports in `format` on what `args` select from `ws`.
fn show<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    args: &Args,
    format: ReportFormat,
    ws: &Workspace,
) -> Result<()> {
    let date = as_of_date(ctx, args.as_of)?;
    let asof = as_of(ws, date)?;
    let period = match args.period {
        Some(p) => Some(resolve_period(ws, p, date)?),
        None => None,
    };
    let items = select(
        ws,
        &asof,
        period,
        args.level,
        args.owner.as_deref(),
        &args.status,
    );
    let filters = Filters {
        period: period.map(|p| p.to_string()),
        owner: args.owner.clone(),
        level: args.level.map(|l| l.to_string()),
        status: (!args.status.is_empty()).then(|| {
            args.status
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(",")
        }),
    };
    let kpis = ws
        .files
        .iter()
        .flat_map(|f| f.doc.kpis.iter())
        .filter(|k| args.owner.is_none() || k.owner == args.owner);
    let shown: Vec<&crate::model::Objective> = items.iter().map(|(o, _)| *o).collect();
    let report = Report::build(items, kpis, &asof, filters);
    // A file gets no colour codes; the terminal settings apply to stdout only.
    let style = if args.output.is_some() {
        Style {
            color: false,
            width: None,
            ..ctx.style
        }
    } else {
        ctx.style
    };
    if format == ReportFormat::Json && args.output.is_none() {
        render::report::write_json(&mut ctx.out, &report)?;
        note_later(ctx, &asof, shown)?;
        super::keep_until_exit(report);
        return Ok(());
    }
    let text = match format {
        ReportFormat::Table => render::report::to_table(style, &report),
        ReportFormat::Markdown => render::markdown::render(&report),
        ReportFormat::Json => render::report::to_json(&report),
        ReportFormat::Csv => render::csv::render(&report),
        ReportFormat::Html => render::html::render(&report),
    };
    match &args.output {
        None => ctx.out.write_all(text.as_bytes())?,
        Some(path) => {
            let full = if path.is_absolute() {
                path.clone()
            } else {
                ctx.cwd.join(path)
            };
            fsio::write_atomic(&full, text.as_bytes())?;
            ctx.note(&format!("Wrote the report to {}", path.display()))?;
        }
    }
    if report.objectives.is_empty() && format == ReportFormat::Table && args.output.is_none() {
        ctx.note("No objectives match.")?;
    }
    note_later(ctx, &asof, shown)
}
