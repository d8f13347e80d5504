//! `okr list`: every objective with its key results.

use std::io::Write;

use chrono::NaiveDate;

use crate::commands::{Ctx, as_of, as_of_date, note_later, parse_date, resolve_period};
use crate::error::Result;
use crate::model::asof::AsOf;
use crate::model::{KeyResult, Level, Objective, Period, PeriodSpec, Status};
use crate::render::{json, table};
use crate::store::Workspace;

/// Output format of `list` and `show`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// The documented JSON contract, for scripts.
    Json,
}

/// Output format of `okr list`: those of `show`, plus CSV.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    #[default]
    Table,
    /// The documented JSON contract, for scripts.
    Json,
    /// One row per key result, the same columns as `okr report --format csv`.
    Csv,
}

/// List objectives and key results with their progress
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Status compares progress with the pace line (the elapsed share of the
period, shown as `expected` in JSON): on-track, at-risk, off-track,
not-started, stale or done (docs/method.md). --status keeps the key results
with that status and their objectives. Every number is as of one day
(--as-of, else today): check-ins dated after it count nowhere.

Examples:
  okr list
  okr list --period this-quarter --owner marketing
  okr list --status off-track,stale
  okr list --sort progress --grep checkout
  okr list --format csv > okrs.csv
  okr list --as-of 2026-08-01
  okr list --include platform        # this workspace and one include
  okr list --no-includes
  okr list --format json | jq '.objectives[] | {id, status, expected}'")]
pub struct Args {
    /// Only objectives of this period: 2026-Q3, 2026-H1, 2026, this-quarter,
    /// last-quarter, next-quarter, this-year or last-year [default: all]
    #[arg(long)]
    pub period: Option<PeriodSpec>,
    /// Only key results (and objectives without any) with this status;
    /// comma-separated: on-track, at-risk, off-track, not-started, stale, done
    #[arg(long, value_name = "S", value_delimiter = ',')]
    pub status: Vec<Status>,
    /// Only objectives owned by O, and key results owned by O elsewhere
    #[arg(long, value_name = "O")]
    pub owner: Option<String>,
    /// Only objectives at this level: company, team or personal
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<Level>,
    /// Only objectives whose ID, title, description or owner contains TEXT
    /// (any case), and key results that do elsewhere
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,
    /// Order objectives, and key results within each: progress (least
    /// first), status (worst first), owner or id [default: file order]
    #[arg(long, value_enum, value_name = "KEY")]
    pub sort: Option<SortKey>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
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

/// What `okr list --sort` orders by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortKey {
    /// Least progress first.
    Progress,
    /// Worst status first (off-track, stale, at-risk, not-started, on-track, done).
    Status,
    /// Owner A to Z; no owner last.
    Owner,
    /// ID A to Z.
    Id,
}

/// Runs `okr list`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open_across_for(&args.includes, args.strict, args.period)?;
    let shown = show(ctx, args, &ws);
    super::keep_until_exit(ws);
    shown
}

/// Lists what `args` select from `ws`.
fn show<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args, ws: &Workspace) -> Result<()> {
    let date = as_of_date(ctx, args.as_of)?;
    let asof = as_of(ws, date)?;
    let period = match args.period {
        Some(p) => Some(resolve_period(ws, p, date)?),
        None => None,
    };
    let mut items = select(
        ws,
        &asof,
        period,
        args.level,
        args.owner.as_deref(),
        &args.status,
    );
    if let Some(text) = &args.grep {
        items = items
            .into_iter()
            .filter_map(|(o, krs)| grep(o, krs, text))
            .collect();
    }
    if let Some(key) = args.sort {
        sort(&mut items, &asof, key);
    }
    let shown: Vec<&Objective> = items.iter().map(|(o, _)| *o).collect();
    match args.format {
        ListFormat::Csv => {
            let filters = crate::render::report::Filters {
                period: period.map(|p| p.to_string()),
                owner: args.owner.clone(),
                level: args.level.map(|l| l.to_string()),
                status: (!args.status.is_empty()).then(|| {
                    let names: Vec<&str> = args.status.iter().map(|s| s.as_str()).collect();
                    names.join(",")
                }),
            };
            let report = crate::render::report::Report::build(items, [], &asof, filters);
            ctx.out
                .write_all(crate::render::csv::render(&report).as_bytes())?;
        }
        ListFormat::Json => {
            let view = json::ListJson::new(&items, &asof);
            json::write(&mut ctx.out, &view)?;
        }
        ListFormat::Table => {
            if items.is_empty() {
                ctx.note("No objectives match. Add one with `okr add objective TITLE`.")?;
            } else {
                ctx.out
                    .write_all(table::list(ctx.style, &items, &asof).as_bytes())?;
            }
        }
    }
    note_later(ctx, &asof, shown)
}

/// The objectives (each with the key results to show) that match the
/// `list`/`report` filters: period, level, owner and status.
pub(crate) fn select<'a>(
    ws: &'a Workspace,
    asof: &AsOf,
    period: Option<Period>,
    level: Option<Level>,
    owner: Option<&str>,
    status: &[Status],
) -> Vec<(&'a Objective, Vec<&'a KeyResult>)> {
    ws.objectives()
        .filter(|o| period.is_none_or(|p| o.period == p))
        .filter(|o| level.is_none_or(|l| o.level == l))
        .filter_map(|o| select_owner(o, owner))
        .filter_map(|(o, krs)| select_status(asof, o, krs, status))
        .collect()
}

/// The objective with its key results of one of `wanted` statuses (all when
/// `wanted` is empty); an objective without key results is kept when its own
/// status (`not-started`) is wanted.
fn select_status<'a>(
    asof: &AsOf,
    o: &'a Objective,
    krs: Vec<&'a KeyResult>,
    wanted: &[Status],
) -> Option<(&'a Objective, Vec<&'a KeyResult>)> {
    if wanted.is_empty() {
        return Some((o, krs));
    }
    if o.key_results.is_empty() {
        return wanted
            .contains(&asof.objective(o).status)
            .then_some((o, krs));
    }
    let keep: Vec<&KeyResult> = krs
        .into_iter()
        .filter(|k| wanted.contains(&asof.status(o, k)))
        .collect();
    (!keep.is_empty()).then_some((o, keep))
}

/// The objective with the key results `owner` should see: all of them when
/// the objective is theirs, else only the ones they own (or none at all).
fn select_owner<'a>(
    o: &'a Objective,
    owner: Option<&str>,
) -> Option<(&'a Objective, Vec<&'a KeyResult>)> {
    let all = || o.key_results.iter().collect::<Vec<_>>();
    match owner {
        None => Some((o, all())),
        Some(w) if o.owner.as_deref() == Some(w) => Some((o, all())),
        Some(w) => {
            let mine: Vec<&KeyResult> = o
                .key_results
                .iter()
                .filter(|k| k.owner.as_deref() == Some(w))
                .collect();
            (!mine.is_empty()).then_some((o, mine))
        }
    }
}

/// Whether `field` contains `needle` (already lowercase), in any case.
fn contains(field: Option<&str>, needle: &str) -> bool {
    field.is_some_and(|f| f.to_lowercase().contains(needle))
}

/// The objective with every key result when it matches `text` itself, else
/// with the key results that match (none: not listed).
fn grep<'a>(
    o: &'a Objective,
    krs: Vec<&'a KeyResult>,
    text: &str,
) -> Option<(&'a Objective, Vec<&'a KeyResult>)> {
    let needle = text.to_lowercase();
    let own = [
        Some(o.id.as_str()),
        Some(o.title.as_str()),
        o.description.as_deref(),
        o.owner.as_deref(),
    ];
    if own.iter().any(|f| contains(*f, &needle)) {
        return Some((o, krs));
    }
    let hits: Vec<&KeyResult> = krs
        .into_iter()
        .filter(|k| {
            [
                Some(k.id.as_str()),
                Some(k.title.as_str()),
                k.owner.as_deref(),
            ]
            .iter()
            .any(|f| contains(*f, &needle))
        })
        .collect();
    (!hits.is_empty()).then_some((o, hits))
}

/// How bad a status is: 0 for done, higher for worse.
fn severity(s: Status) -> usize {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// Orders objectives, and the key results of each, by `key` (stable: ties
/// keep file order).
fn sort(items: &mut [(&Objective, Vec<&KeyResult>)], asof: &AsOf, key: SortKey) {
    use std::cmp::{Ordering, Reverse};
    // Progress and status as of the list's date, as every column shows them.
    let owner = |w: Option<&str>| (w.is_none(), w.map(str::to_lowercase));
    for (o, krs) in items.iter_mut() {
        let o: &Objective = o;
        match key {
            SortKey::Progress => krs.sort_by(|a, b| {
                let (pa, pb) = (
                    asof.key_result(o, a).progress.progress,
                    asof.key_result(o, b).progress.progress,
                );
                pa.total_cmp(&pb)
            }),
            SortKey::Status => krs.sort_by_key(|k| Reverse(severity(asof.key_result(o, k).status))),
            SortKey::Owner => krs.sort_by_key(|k| owner(k.owner.as_deref().or(o.owner.as_deref()))),
            SortKey::Id => krs.sort_by(|a, b| a.id.cmp(&b.id)),
        }
    }
    items.sort_by(|(a, _), (b, _)| -> Ordering {
        match key {
            SortKey::Progress => asof
                .objective(a)
                .progress
                .total_cmp(&asof.objective(b).progress),
            SortKey::Status => {
                severity(asof.objective(b).status).cmp(&severity(asof.objective(a).status))
            }
            SortKey::Owner => owner(a.owner.as_deref()).cmp(&owner(b.owner.as_deref())),
            SortKey::Id => a.id.cmp(&b.id),
        }
    });
}
