//! `okr show`: one objective or key result in full.

use std::io::Write;

use crate::commands::list::Format;
use crate::commands::{Ctx, pace, resolve};
use crate::error::Result;
use crate::render::{json, table};

/// Show one objective or key result in full, with its check-in history
#[derive(Debug, clap::Args)]
#[command(after_help = "\
JSON output is the same object as in `okr list --format json`: an objective
(with its key results) or a single key result, with `status` and `expected`.
Initiatives linked to the key results are listed after them.

Examples:
  okr show brand
  okr show website-visitors --format json")]
pub struct Args {
    /// The objective or key result (ID or unique prefix)
    pub id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `okr show`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open()?;
    let addr = resolve(&ws, &args.id)?;
    let o = ws.objective(addr);
    let pace = pace(&ws, ctx.today)?;
    let text = match (ws.key_result(addr), args.format) {
        (None, Format::Json) => {
            json::to_string(&json::ObjectiveJson::new(o, &o.key_results).with_pace(o, &pace))
        }
        (None, Format::Table) => table::show_objective(ctx.style, o, Some(&pace)),
        (Some(k), Format::Json) => {
            json::to_string(&json::KeyResultJson::new(o, k).with_pace(o, k, &pace))
        }
        (Some(k), Format::Table) => table::show_key_result(ctx.style, o, k, Some(&pace)),
    };
    ctx.out.write_all(text.as_bytes())?;
    Ok(())
}
