//! `okr check-in`: record a new value for a key result.

use std::io::Write;

use chrono::NaiveDate;

use crate::commands::{Ctx, ensure_open, parse_date, parse_fraction, resolve_key_result};
use crate::error::{Error, Result};
use crate::model::{CheckIn, CheckValue, Measure};
use crate::render::value_with_unit;
use crate::store::subset::Wanted;
use crate::store::{Address, Workspace};

/// Record a new value, confidence and note for a key result
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The check-in is appended to the key result in the file, so `git diff` shows
only added lines. A metric takes a number; a milestone takes `done`, `todo`
or an assessed score from 0.0 to 1.0. A check-in records what happened, so
a --date after today is refused (exit 2) unless --force; such a check-in
counts only from its date on. A date outside the objective's period (on the
workspace's fiscal calendar) is written with a warning.

Examples:
  okr check-in visitors 550000 --confidence 0.7 --note \"campaign launched\"
  okr check-in pain-points done --date 2026-08-14
  okr checkin churn -- -0.5
  okr check-in visitors --amend 560000   # fix the latest check-in
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
    /// Check in even though the key result's period is closed or the date
    /// is after today
    #[arg(long)]
    pub force: bool,
    /// Replace the latest check-in (by date) instead of adding one: it gets
    /// VALUE, keeps its date unless --date (not after today without
    /// --force), and keeps its confidence, note and author unless given
    #[arg(long)]
    pub amend: bool,
    /// Whose due key results the round walks [default: yours]
    #[arg(long)]
    pub owner: Option<String>,
}

/// Runs `okr check-in`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    if args.amend {
        return amend(ctx, args);
    }
    let (Some(key_result), Some(raw_value)) = (&args.key_result, &args.value) else {
        return super::check_in_round::run(ctx, args);
    };
    let mut ws = ctx.open_locked_for(Wanted {
        queries: &[key_result.as_str()],
        more: &[],
    })?;
    let addr = resolve_key_result(&ws, key_result)?;
    ensure_open(&ws, ws.objective(addr).period, args.force)?;
    let date = args.date.unwrap_or(ctx.today);
    if date > ctx.today && !args.force {
        return Err(Error::Usage(format!(
            "--date {date} is after today ({}): a check-in records what already happened; pass --force to record a future-dated check-in anyway",
            ctx.today
        )));
    }
    let outside = period_warning(&ws, addr, date)?;
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
    // As of the later of today and the check-in's day: what `okr list`
    // shows today, or from that day on for a forced future date.
    let summary = crate::render::checkin::confirmation(kr, value, date, date.max(ctx.today));
    ws.save()?;
    ctx.note(&summary)?;
    if date > ctx.today {
        ctx.note(&format!(
            "warning: {date} is after today ({}); it counts nowhere until that day",
            ctx.today
        ))?;
    }
    if let Some(w) = outside {
        ctx.note(&w)?;
    }
    Ok(())
}

/// A warning when `date` lies outside the period of the objective at
/// `addr`, on the workspace's fiscal calendar.
fn period_warning(ws: &Workspace, addr: Address, date: NaiveDate) -> Result<Option<String>> {
    let period = ws.objective(addr).period;
    let cal = ws.settings()?.calendar();
    if cal.contains(period, date) {
        return Ok(None);
    }
    Ok(Some(format!(
        "warning: {date} is outside the objective's period {period} ({} to {}); it still counts from that day on, but not in the period's forecast",
        cal.start(period),
        cal.end(period)
    )))
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

/// `okr check-in KR --amend VALUE`: replaces the latest check-in (by date;
/// the last written wins a tie) in place, so `git diff` shows one changed
/// check-in and nothing else moves.
fn amend<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let (Some(key_result), Some(raw_value)) = (&args.key_result, &args.value) else {
        return Err(Error::Usage(
            "--amend needs the key result and the new value: okr check-in KR --amend VALUE".into(),
        ));
    };
    let mut ws = ctx.open_locked_for(Wanted {
        queries: &[key_result.as_str()],
        more: &[],
    })?;
    let addr = resolve_key_result(&ws, key_result)?;
    ensure_open(&ws, ws.objective(addr).period, args.force)?;
    let Some(kr) = ws.key_result_mut(addr) else {
        return Err(Error::invalid("not a key result"));
    };
    let Some(i) = (0..kr.check_ins.len()).max_by_key(|i| (kr.check_ins[*i].date, *i)) else {
        return Err(Error::invalid_with_hint(
            format!("{} has no check-in to amend", kr.id),
            format!("record one with `okr check-in {} VALUE`", kr.id),
        ));
    };
    if let Some(d) = args.date.filter(|d| *d > ctx.today)
        && !args.force
    {
        return Err(Error::Usage(format!(
            "--date {d} is after today ({}): a check-in records what happened; pass --force to date it ahead",
            ctx.today
        )));
    }
    let value = parse_value(&kr.measure, raw_value)?;
    let old = kr.check_ins[i].clone();
    let c = &mut kr.check_ins[i];
    c.value = value;
    c.date = args.date.unwrap_or(old.date);
    if args.confidence.is_some() {
        c.confidence = args.confidence;
    }
    if let Some(n) = &args.note {
        c.note = Some(n.clone()).filter(|n| !n.trim().is_empty());
    }
    if args.author.is_some() {
        c.author.clone_from(&args.author);
    }
    let summary = format!(
        "Amended the check-in of {} on {}: {} is now {} on {}",
        kr.id,
        old.date,
        value_with_unit(&kr.measure, old.value),
        value_with_unit(&kr.measure, value),
        c.date
    );
    ws.save()?;
    ctx.note(&summary)
}
