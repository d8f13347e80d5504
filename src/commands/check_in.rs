//! `okr check-in`: record a new value for a key result.

use std::io::Write;

use chrono::NaiveDate;

use crate::commands::{Ctx, ensure_open, parse_date, parse_fraction, resolve_key_result};
use crate::error::{Error, Result};
use crate::model::{CheckIn, CheckValue, Measure};
use crate::render::{percent, value_with_unit};

/// Record a new value, confidence and note for a key result
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The check-in is appended to the key result in the file, so `git diff` shows
only added lines. A metric takes a number; a milestone takes `done`, `todo`
or an assessed score from 0.0 to 1.0.

Examples:
  okr check-in visitors 550000 --confidence 0.7 --note \"campaign launched\"
  okr check-in pain-points done --date 2026-08-14
  okr checkin churn -- -0.5
  okr check-in                  # on a terminal: a round of your due key results")]
pub struct Args {
    /// The key result (ID or unique prefix) [default: on a terminal, a round of the due ones]
    #[arg(requires = "value")]
    pub key_result: Option<String>,
    /// New value: a number, or for milestones done, todo or a score 0.0–1.0
    #[arg(allow_negative_numbers = true)]
    pub value: Option<String>,
    /// Confidence from 0.0 to 1.0 that the target will be reached
    #[arg(long, short = 'c', value_parser = parse_fraction)]
    pub confidence: Option<f64>,
    /// A short note on what happened
    #[arg(long, allow_hyphen_values = true, short = 'n')]
    pub note: Option<String>,
    /// Date of the check-in, YYYY-MM-DD [default: today]
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Who is checking in
    #[arg(long)]
    pub author: Option<String>,
    /// Check in even though the key result's period is closed
    #[arg(long)]
    pub force: bool,
    /// Whose due key results the round walks [default: yours]
    #[arg(long)]
    pub owner: Option<String>,
}

/// Runs `okr check-in`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let (Some(key_result), Some(raw_value)) = (&args.key_result, &args.value) else {
        return super::check_in_round::run(ctx, args);
    };
    let mut ws = ctx.open_locked()?;
    let addr = resolve_key_result(&ws, key_result)?;
    ensure_open(&ws, ws.objective(addr).period, args.force)?;
    let date = args.date.unwrap_or(ctx.today);
    let Some(kr) = ws.key_result_mut(addr) else {
        return Err(Error::invalid("not a key result"));
    };
    let value = parse_value(&kr.measure, raw_value)?;
    kr.check_ins.push(CheckIn {
        date,
        value,
        confidence: args.confidence,
        note: args.note.clone().filter(|n| !n.trim().is_empty()),
        author: args
            .author
            .clone()
            .or_else(|| super::due::default_author(&ctx.cwd)),
    });
    let p = kr.progress();
    let summary = format!(
        "Checked in {}: {} on {date} ({} of target)",
        kr.id,
        value_with_unit(&kr.measure, value),
        percent(p.progress)
    );
    let latest_is_older = p.last_check_in.is_some_and(|d| d > date);
    ws.save()?;
    ctx.note(&summary)?;
    if date > ctx.today {
        ctx.note(&format!("warning: {date} is after today ({})", ctx.today))?;
    }
    if latest_is_older {
        ctx.note("note: a later check-in exists, so the current value did not change")?;
    }
    Ok(())
}

/// Reads a check-in value for this kind of key result.
pub fn parse_value(measure: &Measure, raw: &str) -> Result<CheckValue> {
    let v: CheckValue = raw.parse().map_err(Error::Usage)?;
    match (measure, v) {
        (Measure::Metric { .. }, CheckValue::Number(_)) => Ok(v),
        (Measure::Metric { .. }, _) => Err(Error::Usage(format!(
            "`{raw}` is not a number: this key result is a metric"
        ))),
        (Measure::Milestone, CheckValue::Number(n)) if !(0.0..=1.0).contains(&n) => {
            Err(Error::Usage(format!(
                "`{raw}` is out of range: a milestone takes done, todo or a score from 0.0 to 1.0"
            )))
        }
        (Measure::Milestone, v) => Ok(v),
    }
}
