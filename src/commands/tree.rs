//! `okr tree`: the alignment tree with rolled-up progress and status.

use std::io::Write;

use serde::Serialize;

use crate::commands::list::Format;
use crate::commands::{Ctx, pace, resolve_period};
use crate::error::Result;
use crate::model::tree::{Node, build};
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
children's (children, blend).

Examples:
  okr tree
  okr tree --period this-quarter
  okr tree --format json")]
pub struct Args {
    /// Only objectives of this period: 2026-Q3, this-quarter … [default: all]
    #[arg(long)]
    pub period: Option<PeriodSpec>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Serialize)]
struct TreeJson<'a> {
    version: u32,
    rollup: &'static str,
    roots: Vec<NodeJson<'a>>,
}

#[derive(Debug, Serialize)]
struct NodeJson<'a> {
    id: &'a str,
    title: &'a str,
    level: &'static str,
    owner: Option<&'a str>,
    period: String,
    progress: f64,
    children_progress: Option<f64>,
    rolled_up: f64,
    status: &'static str,
    children: Vec<NodeJson<'a>>,
}

fn to_json<'a>(n: &Node<'a>) -> NodeJson<'a> {
    let o = n.objective;
    NodeJson {
        id: &o.id,
        title: &o.title,
        level: o.level.as_str(),
        owner: o.owner.as_deref(),
        period: o.period.to_string(),
        progress: n.own,
        children_progress: n.children_progress,
        rolled_up: n.rolled,
        status: n.status.as_str(),
        children: n.children.iter().map(to_json).collect(),
    }
}

/// Runs `okr tree`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open()?;
    let pace = pace(&ws, ctx.today)?;
    let rule = ws.settings()?.rollup.unwrap_or_default();
    let period = match args.period {
        Some(p) => Some(resolve_period(&ws, p, ctx.today)?),
        None => None,
    };
    let objectives: Vec<&Objective> = ws
        .objectives()
        .filter(|o| period.is_none_or(|p| o.period == p))
        .collect();
    let roots = build(&objectives, rule, &pace);
    match args.format {
        Format::Json => {
            let view = TreeJson {
                version: crate::render::json::JSON_VERSION,
                rollup: rule.as_str(),
                roots: roots.iter().map(to_json).collect(),
            };
            ctx.out
                .write_all(crate::render::json::to_string(&view).as_bytes())?;
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
    Ok(())
}
