//! Periods: the quarter, half or year an objective belongs to.
//!
//! A period is stored in files as its label (`2026-Q3`, `2026-H1`, `2026`) and
//! turned into calendar dates only when something needs them, so the same file
//! reads the same whatever the clock says.

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
#[error("invalid period `{0}`: expected a quarter like `2026-Q3`, a half like `2026-H1` or a year like `2026`")]
pub struct PeriodError(pub String);

impl Period {
    /// The quarter that `date` falls in (calendar quarters).
    pub fn quarter_of(date: NaiveDate) -> Period {
        Period::Quarter(date.year(), (date.month0() / 3 + 1) as u8)
    }

    /// First day of the period.
    pub fn start(self) -> NaiveDate {
        let (year, month0) = match self {
            Period::Year(y) => (y, 0),
            Period::Half(y, h) => (y, u32::from(h - 1) * 6),
            Period::Quarter(y, q) => (y, u32::from(q - 1) * 3),
        };
        // Valid by construction: years are range-checked when parsed and the
        // month is 1..=12, so this only falls back for impossible values.
        NaiveDate::from_ymd_opt(year, month0 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day of the period (inclusive).
    pub fn end(self) -> NaiveDate {
        let months = match self {
            Period::Year(_) => 12,
            Period::Half(..) => 6,
            Period::Quarter(..) => 3,
        };
        self.start()
            .checked_add_months(Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` lies inside the period.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
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
                let rest = rest.to_ascii_uppercase();
                let (kind, n) = rest.split_at(rest.len().min(1));
                let n: u8 = n.parse().map_err(|_| err())?;
                match (kind, n) {
                    ("Q", 1..=4) => Ok(Period::Quarter(year, n)),
                    ("H", 1..=2) => Ok(Period::Half(year, n)),
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
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_and_prints_every_form() {
        for s in ["2026-Q1", "2026-Q4", "2026-H1", "2026-H2", "2026"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        assert_eq!("2026-q3".parse::<Period>().unwrap(), Period::Quarter(2026, 3));
    }

    #[test]
    fn rejects_nonsense() {
        for s in ["2026-Q5", "2026-Q0", "2026-H3", "26-Q1", "Q3", "", "2026-", "2026-X1"] {
            assert!(s.parse::<Period>().is_err(), "{s}");
        }
    }

    #[test]
    fn dates_of_periods() {
        let q3 = Period::Quarter(2026, 3);
        assert_eq!(q3.start(), d(2026, 7, 1));
        assert_eq!(q3.end(), d(2026, 9, 30));
        assert_eq!(Period::Half(2026, 2).end(), d(2026, 12, 31));
        assert_eq!(Period::Year(2028).end(), d(2028, 12, 31));
        assert!(q3.contains(d(2026, 8, 1)));
        assert!(!q3.contains(d(2026, 10, 1)));
        assert_eq!(Period::quarter_of(d(2026, 11, 27)), Period::Quarter(2026, 4));
    }
}
