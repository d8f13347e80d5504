//! `okr list`: every objective with its key results.

use std::io::Write;

use crate::commands::Ctx;
use crate::error::Result;
use crate::model::{KeyResult, Level, Objective, Period};
use crate::render::{json, table};

/// Output format of `list` and `show`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// The documented JSON contract, for scripts.
    Json,
}

/// List objectives and key results with their progress
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  okr list
  okr list --period 2026-Q3 --owner marketing
  okr list --format json | jq '.objectives[].progress'")]
pub struct Args {
    /// Only objectives of this period, e.g. 2026-Q3
    #[arg(long)]
    pub period: Option<Period>,
    /// Only objectives owned by O, and key results owned by O elsewhere
    #[arg(long, value_name = "O")]
    pub owner: Option<String>,
    /// Only objectives at this level: company, team or personal
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<Level>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `okr list`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open()?;
    let items: Vec<(&Objective, Vec<&KeyResult>)> = ws
        .objectives()
        .filter(|o| args.period.is_none_or(|p| o.period == p))
        .filter(|o| args.level.is_none_or(|l| o.level == l))
        .filter_map(|o| select_owner(o, args.owner.as_deref()))
        .collect();
    match args.format {
        Format::Json => {
            let view = json::ListJson {
                version: json::JSON_VERSION,
                objectives: items
                    .iter()
                    .map(|(o, krs)| json::ObjectiveJson::new(o, krs.iter().copied()))
                    .collect(),
            };
            ctx.out.write_all(json::to_string(&view).as_bytes())?;
        }
        Format::Table => {
            if items.is_empty() {
                ctx.note("No objectives match. Add one with `okr add objective TITLE`.")?;
            } else {
                ctx.out.write_all(table::list(ctx.style, &items).as_bytes())?;
            }
        }
    }
    Ok(())
}

/// The objective with the key results `owner` should see: all of them when
/// the objective is theirs, else only the ones they own (or none at all).
fn select_owner<'a>(o: &'a Objective, owner: Option<&str>) -> Option<(&'a Objective, Vec<&'a KeyResult>)> {
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
