//! `okr add objective` and `okr add kr`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::commands::{
    Ctx, check_metric, ensure_open, new_id, parse_number, parse_weight, resolve_objective,
};
use crate::error::{Error, Result};
use crate::model::{
    Direction, Document, KeyResult, Kind, Level, Measure, Objective, PeriodSpec, Threshold,
};
use crate::store::{Address, Workspace, WorkspaceFile};

/// Add an objective or a key result
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  o=$(okr add objective \"Increase brand awareness\" --owner marketing)
  okr add kr \"$o\" \"Website visitors\" --start 100000 --target 1000000 --unit visitors")]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

/// What to add.
#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Add an objective and print its ID
    #[command(after_help = "\
The new objective's ID is printed alone on stdout, so scripts can capture it.

Examples:
  okr add objective \"Increase brand awareness\" --owner marketing --level team
  o=$(okr add objective \"Delight customers\" --level company --committed)")]
    Objective(ObjectiveArgs),
    /// Add a key result to an objective and print its ID
    #[command(
        visible_alias = "key-result",
        after_help = "\
A metric needs --target (and usually --start); a milestone is done or not.
The new key result's ID is printed alone on stdout.

Examples:
  okr add kr brand \"Website visitors\" --start 100000 --target 1000000 --unit visitors
  okr add kr brand \"Reduce churn\" --start 8 --target 7.2 --unit %
  okr add kr brand \"Assess the users' pain points\" --milestone
  okr add kr platform \"Uptime\" --at-least 99.9 --unit %
  okr add kr platform \"API response time p95\" --at-most 200 --unit ms"
    )]
    Kr(KrArgs),
}

/// Arguments of `okr add objective`.
#[derive(Debug, clap::Args)]
pub struct ObjectiveArgs {
    /// What you want to achieve
    #[arg(allow_hyphen_values = true)]
    pub title: String,
    /// ID to use [default: a slug of the title]
    #[arg(long)]
    pub id: Option<String>,
    /// Who owns it (a person or team)
    #[arg(long)]
    pub owner: Option<String>,
    /// company, team or personal [default: team]
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<Level>,
    /// Period: 2026-Q3, 2026-H1, 2026, this-quarter, next-quarter, this-year …
    /// [default: the workspace's default period, else the quarter of today]
    #[arg(long)]
    pub period: Option<PeriodSpec>,
    /// ID of the objective this one aligns to
    #[arg(long)]
    pub parent: Option<String>,
    /// Mark it committed (expected to reach 1.0) instead of aspirational
    #[arg(long)]
    pub committed: bool,
    /// A longer description
    #[arg(long, allow_hyphen_values = true)]
    pub description: Option<String>,
    /// Add it even though its period is closed
    #[arg(long)]
    pub force: bool,
    /// File to put it in, for a directory workspace (created if missing)
    /// [default: the parent's file, else a file with the same owner, else the first file]
    #[arg(long, value_name = "FILE")]
    pub into: Option<PathBuf>,
}

/// Arguments of `okr add kr`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("measure").required(true).args(["target", "milestone", "at_least", "at_most"])))]
pub struct KrArgs {
    /// The objective it measures (ID or unique prefix)
    pub objective: String,
    /// What is measured
    #[arg(allow_hyphen_values = true)]
    pub title: String,
    /// Target value of a metric
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub target: Option<f64>,
    /// Start (baseline) value of a metric [default: 0]
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number, requires = "target")]
    pub start: Option<f64>,
    /// Unit shown beside values, e.g. visitors, %, $
    #[arg(long)]
    pub unit: Option<String>,
    /// A threshold: stay at or above this value (progress = share of check-ins inside)
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub at_least: Option<f64>,
    /// A threshold: stay at or below this value (progress = share of check-ins inside)
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub at_most: Option<f64>,
    /// A milestone: done or not (or assessed 0.0–1.0) instead of a number
    #[arg(long)]
    pub milestone: bool,
    /// ID to use [default: a slug of the title]
    #[arg(long)]
    pub id: Option<String>,
    /// Owner, when it differs from the objective's
    #[arg(long)]
    pub owner: Option<String>,
    /// Weight in the objective's progress [default: 1]
    #[arg(long, value_parser = parse_weight)]
    pub weight: Option<f64>,
    /// Mark it a stretch goal (about 70% is success)
    #[arg(long)]
    pub stretch: bool,
    /// The KPI this key result moves, by ID or unique prefix (its check-ins
    /// feed this KR)
    #[arg(long, value_name = "KPI")]
    pub kpi: Option<String>,
    /// Add it even though its period is closed
    #[arg(long)]
    pub force: bool,
}

/// Runs `okr add`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    match &args.what {
        What::Objective(a) => add_objective(ctx, a),
        What::Kr(a) => add_kr(ctx, a),
    }
}

fn non_empty(what: &str, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(Error::Usage(format!("the {what} cannot be empty")));
    }
    Ok(())
}

fn add_objective<W: Write, E: Write>(ctx: &mut Ctx<W, E>, a: &ObjectiveArgs) -> Result<()> {
    non_empty("title", &a.title)?;
    let mut ws = ctx.open_locked()?;
    let id = new_id(&ws, a.id.as_deref(), &a.title)?;
    // A parent in an include (`company:goal`) is written as typed.
    let (parent, included_parent) = match &a.parent {
        Some(p) if crate::model::qualified::workspace_of(p).is_some() => {
            (None, Some(super::across::check_parent(&ws, p)?))
        }
        Some(p) => (Some(resolve_objective(&ws, p)?), None),
        None => (None, None),
    };
    let settings = ws.settings()?;
    let period = match a.period {
        Some(p) => p.resolve(ctx.today, settings.calendar()),
        None => settings
            .default_period
            .unwrap_or_else(|| settings.calendar().quarter_of(ctx.today)),
    };
    ensure_open(&ws, period, a.force)?;
    let objective = Objective {
        id: id.clone(),
        title: a.title.trim().to_string(),
        description: a.description.clone(),
        owner: a.owner.clone(),
        level: a.level.unwrap_or_default(),
        period,
        kind: if a.committed {
            Kind::Committed
        } else {
            Kind::Aspirational
        },
        parent: parent
            .map(|p| ws.objective(p).id.clone())
            .or(included_parent),
        key_results: Vec::new(),
        rolled_from: None,
    };
    let file = target_file(&mut ws, a.into.as_deref(), parent, a.owner.as_deref())?;
    ws.files[file].doc.objectives.push(objective);
    ws.save()?;
    writeln!(ctx.out, "{id}")?;
    ctx.note(&format!(
        "Added objective {id} ({period}) to {}",
        ws.files[file].path.display()
    ))
}

/// Picks (or creates) the file a new objective goes into.
fn target_file(
    ws: &mut Workspace,
    into: Option<&Path>,
    parent: Option<Address>,
    owner: Option<&str>,
) -> Result<usize> {
    if !ws.is_dir() {
        if into.is_some() {
            return Err(Error::Usage(
                "--into only works with a directory workspace".to_string(),
            ));
        }
        return Ok(0);
    }
    if let Some(into) = into {
        let path = if into.is_absolute() {
            into.to_path_buf()
        } else {
            ws.root.join(into)
        };
        if path.extension().is_none_or(|e| e != "yaml" && e != "yml") {
            return Err(Error::Usage(format!(
                "--into {}: the file name must end in .yaml",
                into.display()
            )));
        }
        if !path.starts_with(&ws.root) {
            return Err(Error::Usage(format!(
                "--into {}: the file must be inside the workspace {}",
                into.display(),
                ws.root.display()
            )));
        }
        if let Some(i) = ws.files.iter().position(|f| f.path == path) {
            return Ok(i);
        }
        ws.files.push(WorkspaceFile::new(path, Document::new()));
        return Ok(ws.files.len() - 1);
    }
    if let Some(Address::Objective(f, _) | Address::KeyResult(f, _, _)) = parent {
        return Ok(f);
    }
    if let Some(owner) = owner
        && let Some(i) = ws.files.iter().position(|f| {
            f.doc
                .objectives
                .iter()
                .any(|o| o.owner.as_deref() == Some(owner))
        })
    {
        return Ok(i);
    }
    if ws.files.is_empty() {
        let path = ws.root.join(crate::store::DEFAULT_FILE);
        ws.files.push(WorkspaceFile::new(path, Document::new()));
    }
    Ok(0)
}

fn add_kr<W: Write, E: Write>(ctx: &mut Ctx<W, E>, a: &KrArgs) -> Result<()> {
    non_empty("title", &a.title)?;
    let measure = match a.target {
        Some(target) => {
            let start = a.start.unwrap_or(0.0);
            check_metric(start, target)?;
            Measure::Metric {
                start,
                target,
                unit: a.unit.clone().filter(|u| !u.trim().is_empty()),
            }
        }
        None if a.milestone => Measure::Milestone,
        None => Measure::Metric {
            start: 0.0,
            target: 0.0,
            unit: None,
        },
    };
    let threshold = match (a.at_least, a.at_most) {
        (Some(b), _) => Some(Threshold::new(Direction::AtLeast, b)),
        (None, Some(b)) => Some(Threshold::new(Direction::AtMost, b)),
        (None, None) => None,
    };
    if a.unit.is_some() && a.target.is_none() && threshold.is_none() {
        return Err(Error::Usage(
            "--unit needs --target, --at-least or --at-most".into(),
        ));
    }
    // Only the files that mention the objective, the KPI or any ID the new
    // one could collide with are parsed.
    let mut queries = vec![a.objective.as_str()];
    queries.extend(a.kpi.as_deref());
    let candidates = crate::model::id::candidates(&a.title);
    let mut more: Vec<&str> = candidates.iter().map(String::as_str).collect();
    more.extend(a.id.as_deref());
    let mut ws = ctx.open_locked_for(crate::store::subset::Wanted {
        queries: &queries,
        more: &more,
    })?;
    let addr = resolve_objective(&ws, &a.objective)?;
    ensure_open(&ws, ws.objective(addr).period, a.force)?;
    let kpi = match &a.kpi {
        Some(q) => {
            let (f, k) = crate::commands::resolve_kpi(&ws, q)?;
            Some(ws.files[f].doc.kpis[k].id.clone())
        }
        None => None,
    };
    let id = new_id(&ws, a.id.as_deref(), &a.title)?;
    let objective = ws.objective_mut(addr);
    let owner = a
        .owner
        .clone()
        .filter(|o| objective.owner.as_ref() != Some(o));
    let mut kr = KeyResult::new(id.clone(), a.title.trim(), measure);
    kr.owner = owner;
    kr.weight = a.weight.filter(|w| *w != 1.0);
    kr.stretch = a.stretch;
    kr.kpi = kpi;
    if let Some(t) = threshold {
        kr.measure = Measure::Metric {
            start: t.bound,
            target: t.bound,
            unit: a.unit.clone().filter(|u| !u.trim().is_empty()),
        };
        kr.threshold = Some(t);
    }
    objective.key_results.push(kr);
    let oid = objective.id.clone();
    ws.save()?;
    writeln!(ctx.out, "{id}")?;
    ctx.note(&format!("Added key result {id} to {oid}"))
}
