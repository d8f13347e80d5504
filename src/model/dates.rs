//! Reading a date the way a person would want to be told it is wrong:
//! `2026-11-31 is not a date: November has 30 days`, not chrono's "input is
//! out of range". Used by the check-in deserialisers, so every command and
//! `okr check` say the same.

use std::fmt;

use chrono::NaiveDate;
use serde::Deserializer;
use serde::de::{self, Visitor};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Parses `YYYY-MM-DD`, or says in words why `s` is not a date.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    if let Some(d) = plain_date(t) {
        return Ok(d);
    }
    if let Ok(d) = t.parse::<NaiveDate>() {
        return Ok(d);
    }
    Err(format!("{} is not a date: {}", shown(t), why(t)))
}

/// The date of exactly `YYYY-MM-DD` in ASCII digits, without chrono's
/// general parser: every check-in has a date, so this is a hot path of
/// loading. Anything else (or an impossible date) is left to chrono, which
/// reads these ten bytes the same way.
fn plain_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let y = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(y, num(5..7)?, num(8..10)?)
}

/// The text quoted unless it already looks like a date.
fn shown(t: &str) -> String {
    if t.chars().all(|c| c.is_ascii_digit() || c == '-') && !t.is_empty() {
        t.to_string()
    } else {
        format!("`{t}`")
    }
}

fn why(t: &str) -> String {
    const FORMAT: &str = "write it as YYYY-MM-DD, like 2026-08-15";
    let parts: Vec<&str> = t.split('-').collect();
    let [y, m, d] = parts[..] else {
        return FORMAT.into();
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return FORMAT.into();
    };
    if !(1..=12).contains(&m) {
        return format!("the month is {m}, but months go from 01 to 12");
    }
    let days = days_in_month(y, m);
    let name = MONTHS[m as usize - 1];
    match (m, d) {
        (_, 0) => "days start at 01".into(),
        (2, _) => format!("February {y} has {days} days"),
        _ => format!("{name} has {days} days"),
    }
}

/// Days in month `m` (1–12) of year `y`.
fn days_in_month(y: i32, m: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(y, m, 1);
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        _ => 31,
    }
}

/// Deserialises a `YYYY-MM-DD` date with a plain-words error.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date like 2026-08-15")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
            parse_date(v).map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<NaiveDate, E> {
            parse_date(&v.to_string()).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<NaiveDate, E> {
            parse_date(&v.to_string()).map_err(E::custom)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<NaiveDate, E> {
            parse_date(&v.to_string()).map_err(E::custom)
        }
    }
    d.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    use super::*;

    #[test]
    fn the_fast_path_agrees_with_chrono() {
        for t in [
            "2026-08-15",
            "2024-02-29",
            "2025-02-29",
            "0000-01-01",
            "9999-12-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-04-31",
        ] {
            assert_eq!(plain_date(t), t.parse::<NaiveDate>().ok(), "{t}");
        }
        // Other shapes are left to chrono (and its error wording).
        for t in [
            "2026-1-01",
            "+2026-01-01",
            "2026-08-1x",
            "2026/08/15",
            "-026-01-01",
        ] {
            assert_eq!(plain_date(t), None, "{t}");
        }
    }

    fn ymd(d: NaiveDate) -> (i32, u32, u32) {
        (d.year(), d.month(), d.day())
    }

    #[test]
    fn real_dates_parse() {
        assert_eq!(ymd(parse_date("2026-08-15").unwrap()), (2026, 8, 15));
        assert_eq!(ymd(parse_date(" 2028-02-29 ").unwrap()), (2028, 2, 29));
    }

    #[test]
    fn impossible_dates_say_why() {
        assert_eq!(
            parse_date("2026-11-31").unwrap_err(),
            "2026-11-31 is not a date: November has 30 days"
        );
        assert_eq!(
            parse_date("2026-02-29").unwrap_err(),
            "2026-02-29 is not a date: February 2026 has 28 days"
        );
        assert_eq!(
            parse_date("2026-13-01").unwrap_err(),
            "2026-13-01 is not a date: the month is 13, but months go from 01 to 12"
        );
        assert_eq!(
            parse_date("2026-08-00").unwrap_err(),
            "2026-08-00 is not a date: days start at 01"
        );
        assert_eq!(
            parse_date("yesterday").unwrap_err(),
            "`yesterday` is not a date: write it as YYYY-MM-DD, like 2026-08-15"
        );
        assert_eq!(
            parse_date("15/08/2026").unwrap_err(),
            "`15/08/2026` is not a date: write it as YYYY-MM-DD, like 2026-08-15"
        );
    }

    #[test]
    fn check_ins_read_through_it() {
        let e =
            serde_json::from_str::<crate::model::CheckIn>(r#"{"date": "2026-11-31", "value": 1}"#)
                .unwrap_err()
                .to_string();
        assert!(
            e.starts_with("2026-11-31 is not a date: November has 30 days"),
            "{e}"
        );
    }
}
