//! serde_json's pretty layout, byte for byte, in fewer writes; and dates
//! written as one string instead of ten characters.
//!
//! The JSON of a big workspace is tens of megabytes, most of it keys on
//! lines of their own nine levels deep. serde_json's `PrettyFormatter`
//! writes each level's indentation as its own write, and chrono writes a
//! date through `collect_str` one character at a time (each one a trip
//! through the string escaper): together half of `report --format json`'s
//! instructions on the company scenario. [`Pretty`] writes the line break,
//! comma and indentation of a key in one slice; [`date`] and [`opt_date`]
//! write a date as one ten-byte string. The layout stays serde_json's, so
//! the output is unchanged (the CLI snapshots pin it, and the tests below
//! compare with `PrettyFormatter` directly).

use std::io;

use chrono::{Datelike, NaiveDate};
use serde::Serializer;
use serde_json::ser::Formatter;

/// A comma, a line break and the indentation of 64 levels (two spaces).
const BREAK: [u8; 130] = {
    let mut b = [b' '; 130];
    b[0] = b',';
    b[1] = b'\n';
    b
};

/// serde_json's `PrettyFormatter` with its default two-space indent.
#[derive(Debug, Default)]
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break (after a comma unless `first`) and the indentation.
    fn line<W: ?Sized + io::Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(s) => w.write_all(s),
            None => {
                w.write_all(&BREAK[from..2])?;
                (0..self.depth).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Serialises a date as chrono does (`2026-09-30`), in one string.
pub fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let Ok(y @ 0..=9999) = u32::try_from(y) else {
        // Years chrono writes with a sign (`+10000-01-01`).
        return serde::Serialize::serialize(d, s);
    };
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let b = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    s.serialize_str(std::str::from_utf8(&b).unwrap_or_default())
}

/// [`date`], or `null`.
// serde's `serialize_with` hands over `&Option<_>`.
#[allow(clippy::ref_option)]
pub fn opt_date<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => date(d, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde::Serialize;
    use serde_json::json;

    use super::*;

    fn both<T: Serialize>(v: &T) -> (String, String) {
        let mut ours = Vec::new();
        v.serialize(&mut serde_json::Serializer::with_formatter(
            &mut ours,
            Pretty::default(),
        ))
        .unwrap();
        let theirs = serde_json::to_string_pretty(v).unwrap();
        (String::from_utf8(ours).unwrap(), theirs)
    }

    #[test]
    fn the_layout_is_serde_jsons() {
        let mut deep = json!({"leaf": [1, {"a": []}, {}, [[]], "x"]});
        for i in 0..80 {
            deep = json!({ format!("k{i}"): [deep, i, {"e": {}}], "n": null });
        }
        for v in [json!(null), json!([]), json!({}), json!([[], {}]), deep] {
            let (ours, theirs) = both(&v);
            assert_eq!(ours, theirs);
        }
    }

    #[derive(Serialize)]
    struct Dates {
        #[serde(serialize_with = "date")]
        d: NaiveDate,
        #[serde(serialize_with = "opt_date")]
        o: Option<NaiveDate>,
    }

    #[test]
    fn dates_read_as_chrono_writes_them() {
        for (y, m, d) in [
            (2026, 9, 30),
            (1, 1, 1),
            (0, 12, 31),
            (9999, 2, 3),
            (10000, 1, 1),
            (-5, 6, 7),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let ours = serde_json::to_string(&Dates {
                d: day,
                o: Some(day),
            })
            .unwrap();
            let theirs = serde_json::to_string(&json!({"d": day, "o": day})).unwrap();
            assert_eq!(ours, theirs);
        }
        let none = serde_json::to_string(&Dates {
            d: NaiveDate::MIN,
            o: None,
        })
        .unwrap();
        assert!(none.ends_with("\"o\":null}"), "{none}");
    }
}
