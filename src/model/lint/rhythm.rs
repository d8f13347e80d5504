//! Rules on the rhythm of the method: check-ins inside the period and not in
//! the future, confidence of committed key results, a grade at the end.

use super::{COMMITTED_CONFIDENCE, Ctx, Finding, PathStep, key, kr_path, with};
use crate::model::okr::Kind;

/// `committed-low-confidence`: the latest confidence (up to today) of a key
/// result of a committed objective is below 0.7. Not once the key result is
/// graded or its period closed: the period is over and the grade speaks.
pub(super) fn committed_low_confidence(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o, ki, k) in ctx.key_results() {
        if o.kind != Kind::Committed || k.grade.is_some() || ctx.settings.is_closed(o.period) {
            continue;
        }
        let latest = k
            .check_ins
            .iter()
            .enumerate()
            .filter(|(_, c)| crate::model::asof::counts(c.date, Some(ctx.today)))
            .max_by_key(|(i, c)| (c.date, *i));
        if let Some((ci, c)) = latest
            && let Some(conf) = c.confidence
            && conf < COMMITTED_CONFIDENCE
        {
            out.push(Finding::new(
                "committed-low-confidence",
                f,
                with(
                    kr_path(oi, ki),
                    &[key("check_ins"), PathStep::Index(ci), key("confidence")],
                ),
                format!(
                    "committed key result `{}` has confidence {conf} (below {COMMITTED_CONFIDENCE}): say what would bring it back, or make the objective aspirational",
                    k.id
                ),
            ));
        }
    }
}

fn date_path(oi: usize, ki: usize, ci: usize) -> Vec<super::PathStep> {
    with(
        kr_path(oi, ki),
        &[key("check_ins"), PathStep::Index(ci), key("date")],
    )
}

/// `check-in-future`: a check-in dated after today.
pub(super) fn check_in_future(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Written once: with thousands of findings, formatting dates shows.
    let today = ctx.today.to_string();
    for (f, oi, _, ki, k) in ctx.key_results() {
        for (ci, c) in k.check_ins.iter().enumerate() {
            if c.date > ctx.today {
                out.push(Finding::new(
                    "check-in-future",
                    f,
                    date_path(oi, ki, ci),
                    format!(
                        "check-in on `{}` is dated {}, after today ({today})",
                        k.id, c.date
                    ),
                ));
            }
        }
    }
}

/// `check-in-outside-period`: a check-in (not in the future) dated outside
/// its objective's period.
pub(super) fn check_in_outside_period(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o, ki, k) in ctx.key_results() {
        let (start, end) = (ctx.cal.start(o.period), ctx.cal.end(o.period));
        for (ci, c) in k.check_ins.iter().enumerate() {
            if c.date <= ctx.today && (c.date < start || c.date > end) {
                out.push(Finding::new(
                    "check-in-outside-period",
                    f,
                    date_path(oi, ki, ci),
                    format!(
                        "check-in on `{}` is dated {}, outside {} ({start} to {end})",
                        k.id, c.date, o.period
                    ),
                ));
            }
        }
    }
}

/// `ungraded`: a key result of a period that has ended, without a grade.
pub(super) fn ungraded(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o, ki, k) in ctx.key_results() {
        let end = ctx.cal.end(o.period);
        if end < ctx.today && k.grade.is_none() {
            out.push(Finding::new(
                "ungraded",
                f,
                with(kr_path(oi, ki), &[key("id")]),
                format!(
                    "{} ended on {end} but `{}` has no grade: run `okr close {}` or `okr grade {}`",
                    o.period, k.id, o.period, k.id
                ),
            ));
        }
    }
}
