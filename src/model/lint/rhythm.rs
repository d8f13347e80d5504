//! Rules on the rhythm of the method: check-ins inside the period and not in
//! the future, confidence of committed key results, a grade at the end.

use super::{COMMITTED_CONFIDENCE, Ctx, Finding, PathStep, key, kr_path, with};
use chrono::{Datelike, NaiveDate};

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
    // One allocation of the list (a finding per check-in can be thousands).
    vec![
        key("objectives"),
        PathStep::Index(oi),
        key("key_results"),
        PathStep::Index(ki),
        key("check_ins"),
        PathStep::Index(ci),
        key("date"),
    ]
}

/// Appends `d` as its `Display` writes it (`2026-08-01`); by hand for the
/// years of four digits, which is ~20× cheaper than chrono's formatter and
/// shows when a check has thousands of dates to write.
fn push_date(s: &mut String, d: NaiveDate) {
    match u32::try_from(d.year()) {
        Ok(y) if y <= 9999 => {
            let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
            s.extend([y / 1000, y / 100, y / 10, y].map(digit));
            s.push('-');
            s.extend([d.month() / 10, d.month()].map(digit));
            s.push('-');
            s.extend([d.day() / 10, d.day()].map(digit));
        }
        _ => s.push_str(&d.to_string()),
    }
}

/// "check-in on `ID` is dated DATE, after today (TODAY)", without the
/// formatting machinery (thousands of findings).
fn future_message(id: &str, date: NaiveDate, today: &str) -> String {
    let mut m = String::with_capacity(64 + id.len());
    m.push_str("check-in on `");
    m.push_str(id);
    m.push_str("` is dated ");
    push_date(&mut m, date);
    m.push_str(", after today (");
    m.push_str(today);
    m.push(')');
    m
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
                    future_message(&k.id, c.date, &today),
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(-3, 1, 1).unwrap();
        let ends = [
            NaiveDate::from_ymd_opt(10_001, 1, 1).unwrap(),
            NaiveDate::MAX,
        ];
        let mut all: Vec<NaiveDate> = Vec::new();
        while d < NaiveDate::from_ymd_opt(12, 1, 1).unwrap() {
            all.push(d);
            d = d.succ_opt().unwrap();
        }
        all.extend([
            NaiveDate::from_ymd_opt(999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::MIN,
        ]);
        all.extend(ends);
        for d in all {
            let mut s = String::new();
            push_date(&mut s, d);
            assert_eq!(s, d.to_string());
        }
        assert_eq!(
            future_message(
                "k",
                NaiveDate::from_ymd_opt(2026, 10, 2).unwrap(),
                "2026-09-30"
            ),
            format!(
                "check-in on `{}` is dated {}, after today ({})",
                "k", "2026-10-02", "2026-09-30"
            )
        );
    }
}
