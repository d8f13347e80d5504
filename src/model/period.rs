//! Periods: the quarter, half or year an objective belongs to.
//!
//! A period is stored in files as its label (`2026-Q3`, `2026-H1`, `2026`) and
//! turned into calendar dates only when something needs them, so the same file
//! reads the same whatever the clock says. [`Calendar`] is the only source of
//! period bounds: a period has no dates of its own, because the same label
//! (`2026-Q1`) means different days under a fiscal year starting in February.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A planning period: a calendar (or fiscal) year, half or quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// A whole year, e.g. `2026`.
    Year(i32),
    /// A half year, 1 or 2, e.g. `2026-H1`.
    Half(i32, u8),
    /// A quarter, 1 to 4, e.g. `2026-Q3`.
    Quarter(i32, u8),
}

/// Why a period label could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid period `{0}`: expected a quarter like `2026-Q3`, a half like `2026-H1`, a year like `2026`, or this-quarter, last-quarter, next-quarter, this-year, last-year"
)]
pub struct PeriodError(pub String);

/// The planning calendar: the month the (fiscal) year starts in.
///
/// A fiscal year is named after the calendar year it *starts* in: with a
/// February start, `2026` runs from 2026-02-01 to 2027-01-31 and `2026-Q1`
/// is February to April 2026. Quarters and halves follow the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Calendar {
    start_month: u32,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar { start_month: 1 }
    }
}

impl Calendar {
    /// A calendar whose year starts in `month` (1–12); `None` otherwise.
    pub fn starting_in(month: u32) -> Option<Calendar> {
        (1..=12)
            .contains(&month)
            .then_some(Calendar { start_month: month })
    }

    /// The month (1–12) the year starts in.
    pub fn start_month(self) -> u32 {
        self.start_month
    }

    /// The (fiscal) year `date` falls in.
    pub fn year_of(self, date: NaiveDate) -> i32 {
        if date.month() >= self.start_month {
            date.year()
        } else {
            date.year() - 1
        }
    }

    /// Months from the start of `date`'s (fiscal) year, 0–11.
    fn month_index(self, date: NaiveDate) -> u32 {
        (date.month() + 12 - self.start_month) % 12
    }

    /// The quarter `date` falls in.
    pub fn quarter_of(self, date: NaiveDate) -> Period {
        Period::Quarter(self.year_of(date), (self.month_index(date) / 3 + 1) as u8)
    }

    /// The half `date` falls in.
    pub fn half_of(self, date: NaiveDate) -> Period {
        Period::Half(self.year_of(date), (self.month_index(date) / 6 + 1) as u8)
    }

    /// First day of `period` on this calendar.
    pub fn start(self, period: Period) -> NaiveDate {
        let (year, offset) = match period {
            Period::Year(y) => (y, 0),
            Period::Half(y, h) => (y, u32::from(h.saturating_sub(1)) * 6),
            Period::Quarter(y, q) => (y, u32::from(q.saturating_sub(1)) * 3),
        };
        NaiveDate::from_ymd_opt(year, self.start_month, 1)
            .and_then(|d| d.checked_add_months(Months::new(offset)))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Last day of `period` on this calendar (inclusive).
    pub fn end(self, period: Period) -> NaiveDate {
        self.start(period)
            .checked_add_months(Months::new(period.months()))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Number of days in `period`, counting both ends.
    pub fn days(self, period: Period) -> i64 {
        (self.end(period) - self.start(period)).num_days() + 1
    }

    /// Whether `date` lies inside `period`.
    pub fn contains(self, period: Period, date: NaiveDate) -> bool {
        self.start(period) <= date && date <= self.end(period)
    }

    /// Whether `inner` lies entirely inside `outer` (a quarter in its year).
    pub fn within(self, inner: Period, outer: Period) -> bool {
        self.start(outer) <= self.start(inner) && self.end(inner) <= self.end(outer)
    }

    /// The elapsed share of `period` at the end of `today`: the days from the
    /// first day through `today` (both counted) over the days in the period,
    /// clamped to 0..1. This is the *expected progress* of the pace line.
    pub fn elapsed(self, period: Period, today: NaiveDate) -> f64 {
        let days = self.days(period);
        if days <= 0 {
            return 1.0;
        }
        let done = (today - self.start(period)).num_days() + 1;
        (done as f64 / days as f64).clamp(0.0, 1.0)
    }

    /// The period of the same length that follows `period`.
    pub fn next(self, period: Period) -> Period {
        period.shift(1)
    }
}

impl Period {
    /// Length in months.
    pub fn months(self) -> u32 {
        match self {
            Period::Year(_) => 12,
            Period::Half(..) => 6,
            Period::Quarter(..) => 3,
        }
    }

    /// The period `n` steps of its own length later (earlier when negative).
    pub fn shift(self, n: i32) -> Period {
        match self {
            Period::Year(y) => Period::Year(y + n),
            Period::Half(y, h) => {
                let i = y * 2 + i32::from(h) - 1 + n;
                Period::Half(i.div_euclid(2), (i.rem_euclid(2) + 1) as u8)
            }
            Period::Quarter(y, q) => {
                let i = y * 4 + i32::from(q) - 1 + n;
                Period::Quarter(i.div_euclid(4), (i.rem_euclid(4) + 1) as u8)
            }
        }
    }
}

/// A period as typed on the command line: a label, or a form relative to
/// today (`this-quarter`, `last-quarter`, `next-quarter`, `this-half`,
/// `this-year`, `last-year`, `next-year`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodSpec {
    /// A fixed label such as `2026-Q3`.
    Fixed(Period),
    /// The quarter `n` quarters from today's (0 = this quarter).
    Quarter(i32),
    /// The half `n` halves from today's.
    Half(i32),
    /// The year `n` years from today's.
    Year(i32),
}

impl PeriodSpec {
    /// The period this names, with `today` on `calendar`.
    pub fn resolve(self, today: NaiveDate, calendar: Calendar) -> Period {
        match self {
            PeriodSpec::Fixed(p) => p,
            PeriodSpec::Quarter(n) => calendar.quarter_of(today).shift(n),
            PeriodSpec::Half(n) => calendar.half_of(today).shift(n),
            PeriodSpec::Year(n) => Period::Year(calendar.year_of(today) + n),
        }
    }
}

impl FromStr for PeriodSpec {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let rel = |w: &str| match w {
            "this" => Some(0),
            "last" => Some(-1),
            "next" => Some(1),
            _ => None,
        };
        if let Some((w, unit)) = t.split_once('-')
            && let Some(n) = rel(w)
        {
            return match unit {
                "quarter" => Ok(PeriodSpec::Quarter(n)),
                "half" => Ok(PeriodSpec::Half(n)),
                "year" => Ok(PeriodSpec::Year(n)),
                _ => Err(PeriodError(s.to_string())),
            };
        }
        s.parse().map(PeriodSpec::Fixed)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Four digits, as the parser takes them: year 949 is `0949`.
            Period::Year(y) => write!(f, "{y:04}"),
            Period::Half(y, h) => write!(f, "{y:04}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError(s.to_string());
        let t = s.trim();
        let parse_year = |y: &str| -> Result<i32, PeriodError> {
            if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            y.parse().map_err(|_| err())
        };
        match t.split_once('-') {
            None => Ok(Period::Year(parse_year(t)?)),
            Some((y, rest)) => {
                let year = parse_year(y)?;
                // By characters, not bytes: `2026-Վ1` is an error, not a panic.
                let mut chars = rest.chars();
                let kind = chars.next().map(|c| c.to_ascii_uppercase());
                let n: u8 = chars.as_str().parse().map_err(|_| err())?;
                match (kind, n) {
                    (Some('Q'), 1..=4) => Ok(Period::Quarter(year, n)),
                    (Some('H'), 1..=2) => Ok(Period::Half(year, n)),
                    _ => Err(err()),
                }
            }
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Period;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a period like `2026-Q3`, `2026-H1` or `2026`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Period, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Period, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Period, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Found by `cargo fuzz run dates`: a character of several bytes after
    /// the dash panicked (the split was by bytes).
    #[test]
    fn a_period_with_a_non_ascii_letter_is_an_error() {
        for s in ["2026-Վ", "2026-Վ1", "2026-é2", "2026-"] {
            assert!(s.parse::<Period>().is_err(), "{s}");
        }
        assert_eq!(
            "2026-q3".parse::<Period>().unwrap(),
            Period::Quarter(2026, 3)
        );
    }

    /// Found by `cargo fuzz run dates`: `0949` parsed, printed as `949`,
    /// which did not parse again.
    #[test]
    fn a_period_before_year_1000_prints_as_it_parses() {
        for s in ["0949", "0949-H2", "0001-Q1", "0000"] {
            let p: Period = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
            assert_eq!(p.to_string().parse::<Period>().unwrap(), p);
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_and_prints_every_form() {
        for s in ["2026-Q1", "2026-Q4", "2026-H1", "2026-H2", "2026"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        assert_eq!(
            "2026-q3".parse::<Period>().unwrap(),
            Period::Quarter(2026, 3)
        );
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "2026-Q5", "2026-Q0", "2026-H3", "26-Q1", "Q3", "", "2026-", "2026-X1",
        ] {
            assert!(s.parse::<Period>().is_err(), "{s}");
        }
    }

    #[test]
    fn dates_of_periods() {
        let cal = Calendar::default();
        let q3 = Period::Quarter(2026, 3);
        assert_eq!(cal.start(q3), d(2026, 7, 1));
        assert_eq!(cal.end(q3), d(2026, 9, 30));
        assert_eq!(cal.end(Period::Half(2026, 2)), d(2026, 12, 31));
        assert_eq!(cal.end(Period::Year(2028)), d(2028, 12, 31));
        assert!(cal.contains(q3, d(2026, 8, 1)));
        assert!(!cal.contains(q3, d(2026, 10, 1)));
        assert_eq!(cal.quarter_of(d(2026, 11, 27)), Period::Quarter(2026, 4));
    }

    #[test]
    fn calendar_year_lengths() {
        let cal = Calendar::default();
        assert_eq!(cal.days(Period::Quarter(2026, 3)), 92);
        assert_eq!(cal.days(Period::Year(2028)), 366);
    }

    #[test]
    fn fiscal_year_starting_in_february() {
        let cal = Calendar::starting_in(2).unwrap();
        // FY2026 runs 2026-02-01 .. 2027-01-31.
        assert_eq!(cal.start(Period::Year(2026)), d(2026, 2, 1));
        assert_eq!(cal.end(Period::Year(2026)), d(2027, 1, 31));
        // Q1 = Feb, Mar, Apr: 28 + 31 + 30 = 89 days.
        let q1 = Period::Quarter(2026, 1);
        assert_eq!(
            (cal.start(q1), cal.end(q1)),
            (d(2026, 2, 1), d(2026, 4, 30))
        );
        assert_eq!(cal.days(q1), 89);
        // Q4 = Nov 2026 .. Jan 2027.
        let q4 = Period::Quarter(2026, 4);
        assert_eq!(
            (cal.start(q4), cal.end(q4)),
            (d(2026, 11, 1), d(2027, 1, 31))
        );
        // H2 = Aug 2026 .. Jan 2027.
        assert_eq!(cal.start(Period::Half(2026, 2)), d(2026, 8, 1));
        // January 2027 still belongs to fiscal 2026.
        assert_eq!(cal.quarter_of(d(2027, 1, 15)), q4);
        assert_eq!(cal.year_of(d(2027, 1, 15)), 2026);
        assert_eq!(cal.quarter_of(d(2026, 2, 1)), q1);
        // Expected progress on 2026-03-15: Feb (28) + 15 days of March = 43 of 89.
        let e = cal.elapsed(q1, d(2026, 3, 15));
        assert!((e - 43.0 / 89.0).abs() < 1e-12, "{e}");
    }

    #[test]
    fn elapsed_share_counts_today() {
        let cal = Calendar::default();
        let q3 = Period::Quarter(2026, 3);
        // 2026-08-15: July (31) + 15 = 46 of 92 days.
        assert!((cal.elapsed(q3, d(2026, 8, 15)) - 0.5).abs() < 1e-12);
        assert_eq!(cal.elapsed(q3, d(2026, 6, 30)), 0.0);
        assert!((cal.elapsed(q3, d(2026, 7, 1)) - 1.0 / 92.0).abs() < 1e-12);
        assert_eq!(cal.elapsed(q3, d(2026, 9, 30)), 1.0);
        assert_eq!(cal.elapsed(q3, d(2027, 1, 1)), 1.0);
    }

    #[test]
    fn relative_periods_resolve_against_today() {
        let cal = Calendar::default();
        let today = d(2026, 1, 10);
        let r = |s: &str| s.parse::<PeriodSpec>().unwrap().resolve(today, cal);
        assert_eq!(r("this-quarter"), Period::Quarter(2026, 1));
        assert_eq!(r("last-quarter"), Period::Quarter(2025, 4));
        assert_eq!(r("next-quarter"), Period::Quarter(2026, 2));
        assert_eq!(r("this-year"), Period::Year(2026));
        assert_eq!(r("last-year"), Period::Year(2025));
        assert_eq!(r("this-half"), Period::Half(2026, 1));
        assert_eq!(r("2026-Q3"), Period::Quarter(2026, 3));
        // Fiscal February: 10 January 2026 is in fiscal 2025's last quarter.
        let fy = Calendar::starting_in(2).unwrap();
        let rf = |s: &str| s.parse::<PeriodSpec>().unwrap().resolve(today, fy);
        assert_eq!(rf("this-quarter"), Period::Quarter(2025, 4));
        assert_eq!(rf("next-quarter"), Period::Quarter(2026, 1));
        assert_eq!(rf("this-year"), Period::Year(2025));
        assert!("yesterday".parse::<PeriodSpec>().is_err());
        assert!("this-week".parse::<PeriodSpec>().is_err());
    }

    #[test]
    fn shifting_periods() {
        assert_eq!(Period::Quarter(2026, 4).shift(1), Period::Quarter(2027, 1));
        assert_eq!(Period::Quarter(2026, 1).shift(-1), Period::Quarter(2025, 4));
        assert_eq!(Period::Half(2026, 2).shift(1), Period::Half(2027, 1));
        assert_eq!(Period::Year(2026).shift(-1), Period::Year(2025));
        assert!(Calendar::default().within(Period::Quarter(2026, 3), Period::Year(2026)));
        assert!(!Calendar::default().within(Period::Year(2026), Period::Quarter(2026, 3)));
    }
}
