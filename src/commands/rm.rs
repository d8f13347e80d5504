//! `okr rm`: remove an objective (with its key results) or a key result.

use std::io::Write;

use crate::commands::{Ctx, resolve};
use crate::error::{Error, Result};
use crate::store::Address;

/// Remove an objective (with its key results) or a key result
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Like every command, rm takes an ID or a unique prefix of one; what was
removed is named on stderr. Git keeps the history if you need it back.

Examples:
  okr rm website-visitors
  okr rm brand --force     # even though other objectives align to it")]
pub struct Args {
    /// The objective or key result (ID or unique prefix)
    pub id: String,
    /// Remove an objective even if other objectives name it as their parent,
    /// or when its period is closed
    #[arg(long)]
    pub force: bool,
}

/// Runs `okr rm`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let mut ws = ctx.open_locked()?;
    let addr = resolve(&ws, &args.id)?;
    crate::commands::ensure_open(&ws, ws.objective(addr).period, args.force)?;
    let message = match addr {
        Address::Objective(f, o) => {
            let obj = &ws.files[f].doc.objectives[o];
            let children: Vec<String> = ws
                .objectives()
                .filter(|c| c.parent.as_deref() == Some(obj.id.as_str()))
                .map(|c| c.id.clone())
                .collect();
            if !children.is_empty() && !args.force {
                return Err(Error::invalid_with_hint(
                    format!("{} is the parent of {}", obj.id, children.join(", ")),
                    "align those elsewhere first (okr edit ID --parent P), or pass --force",
                ));
            }
            let n = obj.key_results.len();
            let removed = ws.files[f].doc.objectives.remove(o);
            format!("Removed objective {} and its {n} key result(s)", removed.id)
        }
        Address::KeyResult(f, o, k) => {
            let krs = &mut ws.files[f].doc.objectives[o].key_results;
            let removed = krs.remove(k);
            format!("Removed key result {}", removed.id)
        }
    };
    ws.save()?;
    ctx.note(&message)
}
