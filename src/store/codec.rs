//! The binary layout of a parse-cache entry: the model written field by
//! field, read back straight into the model.
//!
//! Why hand-written: a warm read of a big workspace is mostly decoding
//! cache entries, and JSON spent ~1.2 G instructions on the company
//! scenario (serde visitors, number parsing, escapes, UTF-8 checked twice).
//! A compact serde format (postcard, bincode) cannot carry the model's
//! serde attributes (`skip_serializing_if`, `try_from = "RawKeyResult"`,
//! the date and value visitors), so it would need a mirror of every type
//! plus conversions, about as much code as this file and one more copy of
//! every check-in list on the way in. Here each value is a few bytes read
//! in place: fixed-width little-endian numbers, LEB128 lengths, one UTF-8
//! check and one allocation per string, vectors allocated at their length.
//!
//! Every constructor and destructuring below names all fields, so a field
//! added to the model fails to compile here until it is carried. Settings
//! (one per workspace, small, and growing the most) keep their serde JSON.
//! Decoding never trusts the bytes: every read is bounds-checked, a length
//! can never exceed the bytes left, and an invalid tag, date or period is
//! `None`; the cache adds a checksum on top, so a flipped bit that would
//! still decode is caught there.

use chrono::NaiveDate;

use crate::model::{
    CheckIn, CheckValue, Direction, Document, FORMAT_VERSION, FormatVersion, Initiative,
    InitiativeStatus, KeyResult, Kind, Kpi, KpiCheckIn, Level, Measure, Objective, Period,
    Threshold,
};

/// The bytes of `doc`; `None` only if its settings cannot be written.
pub fn encode(doc: &Document) -> Option<Vec<u8>> {
    let mut e = Enc(Vec::with_capacity(4096));
    let Document {
        version,
        settings,
        objectives,
        kpis,
    } = doc;
    e.len(version.0 as usize);
    match settings {
        Some(s) => e.bytes(&serde_json::to_vec(s).ok()?),
        None => e.0.push(0xff),
    }
    e.len(objectives.len());
    objectives.iter().for_each(|o| e.objective(o));
    e.len(kpis.len());
    kpis.iter().for_each(|k| e.kpi(k));
    Some(e.0)
}

/// The document `encode` made these bytes from; `None` for anything else
/// (truncated, extended, or not an entry at all).
pub fn decode(bytes: &[u8]) -> Option<Document> {
    let mut d = Dec { b: bytes };
    let version = u32::try_from(d.len()?).ok()?;
    if version == 0 || version > FORMAT_VERSION {
        return None;
    }
    let settings = if d.b.first() == Some(&0xff) {
        d.b = &d.b[1..];
        None
    } else {
        Some(serde_json::from_slice(d.bytes()?).ok()?)
    };
    let objectives = d.vec(Dec::objective)?;
    let kpis = d.vec(Dec::kpi)?;
    d.b.is_empty().then_some(Document {
        version: FormatVersion(version),
        settings,
        objectives,
        kpis,
    })
}

/// The writer of the layout (also for [`super::checkfacts`]).
pub(super) struct Enc(pub(super) Vec<u8>);

impl Enc {
    /// LEB128: seven bits a byte, low first; nearly every length is one byte.
    pub(super) fn len(&mut self, mut n: usize) {
        while n >= 0x80 {
            self.0.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }

    pub(super) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn opt_str(&mut self, s: &Option<String>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
            None => self.0.push(0),
        }
    }

    fn f64(&mut self, n: f64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn opt_f64(&mut self, n: Option<f64>) {
        match n {
            Some(n) => {
                self.0.push(1);
                self.f64(n);
            }
            None => self.0.push(0),
        }
    }

    fn date(&mut self, d: NaiveDate) {
        use chrono::Datelike;
        self.0
            .extend_from_slice(&d.num_days_from_ce().to_le_bytes());
    }

    fn period(&mut self, p: Period) {
        let (tag, year, n) = match p {
            Period::Year(y) => (0, y, 0),
            Period::Half(y, n) => (1, y, n),
            Period::Quarter(y, n) => (2, y, n),
        };
        self.0.push(tag);
        self.0.extend_from_slice(&year.to_le_bytes());
        self.0.push(n);
    }

    fn objective(&mut self, o: &Objective) {
        let Objective {
            id,
            title,
            description,
            owner,
            level,
            period,
            kind,
            parent,
            key_results,
            rolled_from,
        } = o;
        self.str(id);
        self.str(title);
        self.opt_str(description);
        self.opt_str(owner);
        self.0.push(match level {
            Level::Company => 0,
            Level::Team => 1,
            Level::Personal => 2,
        });
        self.period(*period);
        self.0.push(match kind {
            Kind::Committed => 0,
            Kind::Aspirational => 1,
        });
        self.opt_str(parent);
        self.len(key_results.len());
        key_results.iter().for_each(|k| self.key_result(k));
        self.opt_str(rolled_from);
    }

    fn key_result(&mut self, k: &KeyResult) {
        let KeyResult {
            id,
            title,
            owner,
            measure,
            weight,
            stretch,
            check_ins,
            kpi,
            grade,
            grade_note,
            initiatives,
            rolled_from,
            threshold,
            source,
        } = k;
        self.str(id);
        self.str(title);
        self.opt_str(owner);
        match measure {
            Measure::Metric {
                start,
                target,
                unit,
            } => {
                self.0.push(0);
                self.f64(*start);
                self.f64(*target);
                self.opt_str(unit);
            }
            Measure::Milestone => self.0.push(1),
        }
        self.opt_f64(*weight);
        self.0.push(u8::from(*stretch));
        self.len(check_ins.len());
        check_ins.iter().for_each(|c| self.check_in(c));
        self.opt_str(kpi);
        self.opt_f64(*grade);
        self.opt_str(grade_note);
        self.len(initiatives.len());
        initiatives.iter().for_each(|i| self.initiative(i));
        self.opt_str(rolled_from);
        match threshold {
            Some(Threshold { direction, bound }) => {
                self.0.push(match direction {
                    Direction::AtLeast => 1,
                    Direction::AtMost => 2,
                });
                self.f64(*bound);
            }
            None => self.0.push(0),
        }
        self.opt_str(source);
    }

    fn check_in(&mut self, c: &CheckIn) {
        let CheckIn {
            date,
            value,
            confidence,
            note,
            author,
        } = c;
        self.date(*date);
        match value {
            CheckValue::Number(n) => {
                self.0.push(0);
                self.f64(*n);
            }
            CheckValue::Done => self.0.push(1),
            CheckValue::Todo => self.0.push(2),
        }
        self.opt_f64(*confidence);
        self.opt_str(note);
        self.opt_str(author);
    }

    fn initiative(&mut self, i: &Initiative) {
        let Initiative {
            id,
            title,
            status,
            link,
            owner,
        } = i;
        self.str(id);
        self.str(title);
        self.0.push(match status {
            InitiativeStatus::Todo => 0,
            InitiativeStatus::Doing => 1,
            InitiativeStatus::Done => 2,
        });
        self.opt_str(link);
        self.opt_str(owner);
    }

    fn kpi(&mut self, k: &Kpi) {
        let Kpi {
            id,
            title,
            owner,
            unit,
            at_least,
            at_most,
            check_ins,
        } = k;
        self.str(id);
        self.str(title);
        self.opt_str(owner);
        self.opt_str(unit);
        self.opt_f64(*at_least);
        self.opt_f64(*at_most);
        self.len(check_ins.len());
        for KpiCheckIn {
            date,
            value,
            note,
            author,
        } in check_ins
        {
            self.date(*date);
            self.f64(*value);
            self.opt_str(note);
            self.opt_str(author);
        }
    }
}

/// The bytes not read yet.
/// The reader of the layout (also for [`super::checkfacts`]).
pub(super) struct Dec<'a> {
    pub(super) b: &'a [u8],
}

impl<'a> Dec<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.b.split_at_checked(n)?;
        self.b = rest;
        Some(head)
    }

    #[inline]
    pub(super) fn u8(&mut self) -> Option<u8> {
        let (&first, rest) = self.b.split_first()?;
        self.b = rest;
        Some(first)
    }

    #[inline]
    pub(super) fn len(&mut self) -> Option<usize> {
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            n |= usize::from(byte & 0x7f).checked_shl(shift)?;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }

    pub(super) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }

    pub(super) fn string(&mut self) -> Option<String> {
        std::str::from_utf8(self.bytes()?).ok().map(String::from)
    }

    fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.u8()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        self.opt(Self::string)
    }

    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn opt_f64(&mut self) -> Option<Option<f64>> {
        self.opt(Self::f64)
    }

    fn i32(&mut self) -> Option<i32> {
        Some(i32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(super) fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn date(&mut self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(self.i32()?)
    }

    /// A vector allocated once at its length; every element takes at least
    /// one byte, so a corrupt length cannot ask for more than is left.
    pub(super) fn vec<T>(&mut self, read: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        if n > self.b.len() {
            return None;
        }
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(read(self)?);
        }
        Some(v)
    }

    fn period(&mut self) -> Option<Period> {
        let tag = self.u8()?;
        let year = self.i32()?;
        Some(match (tag, self.u8()?) {
            (0, 0) => Period::Year(year),
            (1, n @ 1..=2) => Period::Half(year, n),
            (2, n @ 1..=4) => Period::Quarter(year, n),
            _ => return None,
        })
    }

    fn objective(&mut self) -> Option<Objective> {
        Some(Objective {
            id: self.string()?,
            title: self.string()?,
            description: self.opt_string()?,
            owner: self.opt_string()?,
            level: match self.u8()? {
                0 => Level::Company,
                1 => Level::Team,
                2 => Level::Personal,
                _ => return None,
            },
            period: self.period()?,
            kind: match self.u8()? {
                0 => Kind::Committed,
                1 => Kind::Aspirational,
                _ => return None,
            },
            parent: self.opt_string()?,
            key_results: self.vec(Self::key_result)?,
            rolled_from: self.opt_string()?,
        })
    }

    fn key_result(&mut self) -> Option<KeyResult> {
        Some(KeyResult {
            id: self.string()?,
            title: self.string()?,
            owner: self.opt_string()?,
            measure: match self.u8()? {
                0 => Measure::Metric {
                    start: self.f64()?,
                    target: self.f64()?,
                    unit: self.opt_string()?,
                },
                1 => Measure::Milestone,
                _ => return None,
            },
            weight: self.opt_f64()?,
            stretch: self.bool()?,
            check_ins: self.vec(Self::check_in)?,
            kpi: self.opt_string()?,
            grade: self.opt_f64()?,
            grade_note: self.opt_string()?,
            initiatives: self.vec(Self::initiative)?,
            rolled_from: self.opt_string()?,
            threshold: match self.u8()? {
                0 => None,
                1 => Some(Threshold::new(Direction::AtLeast, self.f64()?)),
                2 => Some(Threshold::new(Direction::AtMost, self.f64()?)),
                _ => return None,
            },
            source: self.opt_string()?,
        })
    }

    fn check_in(&mut self) -> Option<CheckIn> {
        Some(CheckIn {
            date: self.date()?,
            value: match self.u8()? {
                0 => CheckValue::Number(self.f64()?),
                1 => CheckValue::Done,
                2 => CheckValue::Todo,
                _ => return None,
            },
            confidence: self.opt_f64()?,
            note: self.opt_string()?,
            author: self.opt_string()?,
        })
    }

    fn initiative(&mut self) -> Option<Initiative> {
        Some(Initiative {
            id: self.string()?,
            title: self.string()?,
            status: match self.u8()? {
                0 => InitiativeStatus::Todo,
                1 => InitiativeStatus::Doing,
                2 => InitiativeStatus::Done,
                _ => return None,
            },
            link: self.opt_string()?,
            owner: self.opt_string()?,
        })
    }

    fn kpi(&mut self) -> Option<Kpi> {
        Some(Kpi {
            id: self.string()?,
            title: self.string()?,
            owner: self.opt_string()?,
            unit: self.opt_string()?,
            at_least: self.opt_f64()?,
            at_most: self.opt_f64()?,
            check_ins: self.vec(|d| {
                Some(KpiCheckIn {
                    date: d.date()?,
                    value: d.f64()?,
                    note: d.opt_string()?,
                    author: d.opt_string()?,
                })
            })?,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const TEXT: &str = "version: 1\nsettings:\n  fiscal_year_start: april\n  pace: {at_risk_gap: 0.1}\n  checks: {stale: off}\nobjectives:\n  - id: a\n    title: \"A: # b é\"\n    description: d\n    owner: o\n    level: company\n    kind: committed\n    parent: p\n    rolled_from: r\n    period: 2026-H2\n    key_results:\n      - id: k\n        title: K\n        owner: ko\n        unit: '%'\n        start: -0.0\n        target: 0.30000000000000004\n        weight: 2.5\n        stretch: true\n        kpi: up\n        grade: 0.5\n        grade_note: g\n        rolled_from: kr\n        source: echo 1\n        check_ins:\n          - {date: 2026-08-01, value: 0.1234567890123456789, confidence: 0.7, note: x, author: y}\n        initiatives:\n          - {id: i, title: I, status: doing, link: l, owner: io}\n      - id: m\n        title: M\n        milestone: true\n        check_ins: [{date: 2026-08-02, value: done}, {date: 2026-08-03, value: todo}, {date: 2026-08-04, value: 0.5}]\n      - id: t\n        title: T\n        at_most: 3.5\n  - id: y\n    title: Y\n    period: 2027\nkpis:\n  - id: up\n    title: Uptime\n    owner: ops\n    unit: '%'\n    at_least: 99.9\n    check_ins: [{date: 2026-07-01, value: 99.95, note: n, author: a}]\n";

    fn doc() -> Document {
        crate::store::parse::parse(std::path::Path::new("x.yaml"), TEXT).unwrap()
    }

    #[test]
    fn every_field_reads_back_exactly() {
        let d = doc();
        let bytes = encode(&d).unwrap();
        let back = decode(&bytes).unwrap();
        assert_eq!(back, d);
        // -0.0 == 0.0, so compare the bits of the one signed zero too.
        let Measure::Metric { start, .. } = back.objectives[0].key_results[0].measure else {
            panic!("a metric");
        };
        assert!(start.is_sign_negative());
        assert_eq!(
            decode(&encode(&Document::new()).unwrap()),
            Some(Document::new())
        );
    }

    #[test]
    fn every_truncation_and_extension_is_refused_without_panicking() {
        let bytes = encode(&doc()).unwrap();
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
    }

    #[test]
    fn flipped_bits_never_panic() {
        // Most flips are refused; the rest decode to some other document,
        // which the cache's checksum refuses (tested there).
        let bytes = encode(&doc()).unwrap();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                let _ = decode(&b);
            }
        }
        assert_eq!(decode(&[0x80; 20]), None, "an endless length");
    }
}
