//! `okr grade`: give a key result its 0.0–1.0 grade.

use std::io::Write;

use crate::commands::{Ctx, ensure_open, parse_fraction, resolve_key_result};
use crate::error::{Error, Result};
use crate::model::grade::{band, proposal};

/// Grade a key result from 0.0 to 1.0
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Without SCORE the proposal is used: the key result's progress on the last day
of its period, rounded to two decimals. Bands: 0.0–0.3 red, 0.4–0.6 yellow,
0.7–1.0 green (docs/method.md, \"Grading\").

Examples:
  okr grade website-visitors 0.7 --note \"campaign slipped two weeks\"
  okr grade nps                     # take the proposal")]
pub struct Args {
    /// The key result (ID or unique prefix)
    pub key_result: String,
    /// The grade, 0.0 to 1.0 [default: progress at the period's end]
    #[arg(value_parser = parse_fraction)]
    pub score: Option<f64>,
    /// Why it got this grade
    #[arg(long, short = 'n')]
    pub note: Option<String>,
    /// Grade it even though its period is closed
    #[arg(long)]
    pub force: bool,
}

/// Runs `okr grade`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let mut ws = ctx.open_locked()?;
    let addr = resolve_key_result(&ws, &args.key_result)?;
    let period = ws.objective(addr).period;
    ensure_open(&ws, period, args.force)?;
    // Progress at the period's end, or today if it has not ended: a
    // check-in dated after today counts nowhere (model/asof.rs).
    let end = ws.settings()?.calendar().end(period).min(ctx.today);
    let Some(k) = ws.key_result_mut(addr) else {
        return Err(Error::invalid("not a key result"));
    };
    let score = args.score.unwrap_or_else(|| proposal(k, end));
    k.grade = Some(score);
    if let Some(n) = &args.note {
        k.grade_note = Some(n.trim().to_string()).filter(|n| !n.is_empty());
    }
    let msg = format!("Graded {} {score:.2} ({})", k.id, band(score).as_str());
    ws.save()?;
    ctx.note(&msg)
}
