//! The JSON contract's writer: serde_json's pretty output, byte for byte,
//! without serde_json's per-byte string loop.
//!
//! After [`super::pretty`], a third of `report --format json` on the
//! company scenario was still serde_json escaping strings byte by byte
//! (every key, every note) and the calls around it. [`Json`] is a serde
//! serializer that writes the same text: it checks a whole string for
//! characters that need escaping in one pass the compiler vectorises and
//! writes a clean string (nearly all of them) in one piece; numbers use the
//! same formatters serde_json uses (itoa-style integers, zmij for floats);
//! the layout is `PrettyFormatter`'s, with the line break, comma and
//! indentation of a line in one write (serde_json writes each level of
//! indentation on its own). Dates go through [`date`] and [`opt_date`]:
//! chrono writes a date one character at a time. The tests compare all of
//! it with `serde_json::to_string_pretty` and chrono on every kind of value.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{Datelike, NaiveDate};
use serde::Serializer;
use serde::ser::{self, Serialize};
use serde_json::Error;

/// A comma, a line break and the indentation of 64 levels (two spaces).
const BREAK: [u8; 130] = {
    let mut b = [b' '; 130];
    b[0] = b',';
    b[1] = b'\n';
    b
};

/// The name under which rendered text ([`RawText`]) reaches [`Json`].
const RAW: &str = "$okr::render::json::raw";

/// A list whose elements are built and rendered on every core, then
/// written in order: the JSON is byte for byte that of the plain list.
/// Workers take runs of consecutive elements in turn and render each into
/// a writer of their own; this thread writes the finished runs in order
/// while the workers go on, and hands each writer back to its worker. A
/// worker has [`WRITERS_PER_WORKER`] writers, so only a few runs' text is
/// ever in memory, and it takes a writer before it takes a run, so every
/// run taken can be finished. Each view is built, rendered and dropped on
/// the thread that renders it (freeing on another thread than the one
/// that allocated is slow). Only for [`Json`], at the element depth given.
pub struct ParList<'a, I, V> {
    items: &'a [I],
    view: Box<dyn Fn(&I) -> V + Sync + 'a>,
    depth: usize,
}

impl<I, V> std::fmt::Debug for ParList<'_, I, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ParList({} items)", self.items.len())
    }
}

impl<'a, I, V> ParList<'a, I, V> {
    /// The list of `view` of each of `items`, whose elements stand at
    /// nesting `depth` (2 for a field of the top-level object).
    pub fn new(items: &'a [I], view: impl Fn(&I) -> V + Sync + 'a, depth: usize) -> Self {
        ParList {
            items,
            view: Box::new(view),
            depth,
        }
    }
}

/// Elements in one run of a [`ParList`] (about half a megabyte of text on
/// the generated workspaces).
const RUN: usize = 32;
/// Writers each [`ParList`] worker renders into in turn.
const WRITERS_PER_WORKER: usize = 2;

/// A finished run from a [`ParList`] worker: its index, the worker, and the
/// writer holding its text.
type Finished = (usize, usize, Result<Json<Vec<u8>>, Error>);

impl<I: Sync, V: Serialize> Serialize for ParList<'_, I, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::SerializeSeq;
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let mut seq = s.serialize_seq(Some(self.items.len()))?;
        if threads < 2 || self.items.len() < 2 * RUN {
            for item in self.items {
                seq.serialize_element(&(self.view)(item))?;
            }
            return seq.end();
        }
        let runs: Vec<&[I]> = self.items.chunks(RUN).collect();
        let next = AtomicUsize::new(0);
        let (done, finished) = mpsc::channel::<Finished>();
        std::thread::scope(|sc| {
            let mut give_back = Vec::with_capacity(threads);
            let mut workers = Vec::with_capacity(threads);
            for w in 0..threads {
                let (back, writers) = mpsc::channel();
                for _ in 0..WRITERS_PER_WORKER {
                    back.send(Json::new(Vec::new()))
                        .map_err(|_| ser::Error::custom("a JSON worker's channel closed"))?;
                }
                give_back.push(back);
                let (done, runs, next) = (done.clone(), &runs, &next);
                workers.push(sc.spawn(move || {
                    while let Ok(mut json) = writers.recv() {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(run) = runs.get(i) else { break };
                        // A panic is sent on as an error: the run it was
                        // rendering would otherwise never come, and this
                        // thread would wait for it forever.
                        let rendered =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                self.render_run(&mut json, run)
                            }))
                            .unwrap_or_else(|_| Err(ser::Error::custom("a JSON worker panicked")))
                            .map(|()| json);
                        if done.send((i, w, rendered)).is_err() {
                            break;
                        }
                    }
                }));
            }
            drop(done);
            let written = write_in_order(&mut seq, runs.len(), &finished, &give_back);
            // Wakes the workers waiting for a writer, so that they end.
            drop(give_back);
            let panicked = workers.into_iter().any(|w| w.join().is_err());
            match (written, panicked) {
                (Err(e), _) => Err(e),
                (Ok(()), true) => Err(ser::Error::custom("a JSON worker panicked")),
                (Ok(()), false) => Ok(()),
            }
        })?;
        seq.end()
    }
}

/// Writes the `runs` finished runs to `seq` in order (a run finished early
/// waits for the ones before it) and hands each writer back to its worker.
fn write_in_order<Q: ser::SerializeSeq>(
    seq: &mut Q,
    runs: usize,
    finished: &mpsc::Receiver<Finished>,
    give_back: &[mpsc::Sender<Json<Vec<u8>>>],
) -> Result<(), Q::Error> {
    let mut early: BTreeMap<usize, (usize, Json<Vec<u8>>)> = BTreeMap::new();
    for want in 0..runs {
        let (w, json) = loop {
            if let Some(ready) = early.remove(&want) {
                break ready;
            }
            let (i, w, rendered) = finished
                .recv()
                .map_err(|_| ser::Error::custom("a JSON worker stopped"))?;
            early.insert(i, (w, rendered.map_err(ser::Error::custom)?));
        };
        seq.serialize_element(&RawText(&json.w))?;
        // A worker that found no run left has gone: its writer is dropped.
        let _ = give_back.get(w).map(|back| back.send(json));
    }
    Ok(())
}

impl<I, V: Serialize> ParList<'_, I, V> {
    /// Renders `part` into `buf` as consecutive elements, with the
    /// separators [`Json`] writes between them, so the run stands in the
    /// list as one element.
    fn render_run(&self, json: &mut Json<Vec<u8>>, part: &[I]) -> Result<(), Error> {
        json.w.clear();
        for (i, item) in part.iter().enumerate() {
            if i > 0 {
                let sep = BREAK
                    .get(..2 + 2 * self.depth)
                    .ok_or_else(|| <Error as ser::Error>::custom("JSON nested too deep"))?;
                json.w.extend_from_slice(sep);
            }
            json.depth = self.depth;
            (self.view)(item).serialize(&mut *json)?;
        }
        Ok(())
    }
}

/// Text already rendered by [`Json`], passed through it as it is (as
/// bytes: checking that megabytes of what [`Json`] wrote are UTF-8 would
/// cost the writing thread more than writing them).
struct RawText<'a>(&'a [u8]);

impl Serialize for RawText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(RAW, &Bytes(self.0))
    }
}

/// Bytes that [`Json`]'s raw mode writes as they are.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// Writes serde values as serde_json's pretty JSON.
#[derive(Debug)]
pub struct Json<W: Write> {
    w: W,
    depth: usize,
    keys: KeyLines,
}

/// Slots in [`KeyLines`] (a power of two, several times the field names
/// of every view).
const KEY_SLOTS: usize = 256;
/// Slots a name is looked for in, from its own.
const KEY_PROBES: usize = 4;

/// Field lines already composed (`,\n      "key": `), by field name and
/// depth. A struct's field names are `&'static str`s, and the same few
/// dozen of them start a million and a half lines of a company report:
/// composing each line anew was a fifth of the writing. Open addressing
/// on the name's address and the depth, in a table of fixed size (no
/// bounds checks), so a lookup is a few instructions; when a name finds
/// no free slot its line is composed each time, which is only slower.
#[derive(Debug)]
struct KeyLines(Box<[Option<KeyLine>; KEY_SLOTS]>);

#[derive(Debug)]
struct KeyLine {
    key: &'static str,
    depth: usize,
    /// The whole line, with its leading comma.
    line: Box<[u8]>,
}

impl KeyLines {
    fn new() -> Self {
        KeyLines(Box::new(std::array::from_fn(|_| None)))
    }

    /// The slot `key` at `depth` is looked for in first.
    fn home(key: &'static str, depth: usize) -> usize {
        let at = (key.as_ptr() as u64) ^ ((key.len() as u64) << 40) ^ ((depth as u64) << 56);
        // Fibonacci hashing: the top bits of the product depend on every
        // bit of `at` (its low bits would ignore the length and depth).
        (at.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - KEY_SLOTS.ilog2())) as usize
    }

    /// The line of `key` at `depth`, with its comma, composed once.
    fn line(&mut self, key: &'static str, depth: usize) -> Option<&[u8]> {
        let home = Self::home(key, depth);
        let mut free = None;
        for probe in 0..KEY_PROBES {
            let i = (home + probe) % KEY_SLOTS;
            match &self.0[i] {
                Some(k) if std::ptr::eq(k.key, key) && k.depth == depth => {
                    return self.0[i].as_ref().map(|k| &*k.line);
                }
                Some(_) => {}
                None => {
                    free = Some(i);
                    break;
                }
            }
        }
        let indent = BREAK.get(..2 + 2 * depth)?;
        if !is_clean(key.as_bytes()) {
            return None;
        }
        let line = [indent, b"\"", key.as_bytes(), b"\": "].concat();
        let k = self.0[free?].insert(KeyLine {
            key,
            depth,
            line: line.into_boxed_slice(),
        });
        Some(&k.line)
    }
}

impl<W: Write> Json<W> {
    /// A writer of pretty JSON to `w`.
    pub fn new(w: W) -> Self {
        Json {
            w,
            depth: 0,
            keys: KeyLines::new(),
        }
    }

    fn raw(&mut self, b: &[u8]) -> Result<(), Error> {
        self.w.write_all(b).map_err(Error::io)
    }

    /// A line break (after a comma unless `first`) and the indentation.
    fn line(&mut self, first: bool) -> Result<(), Error> {
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(s) => self.w.write_all(s),
            None => self
                .w
                .write_all(&BREAK[from..2])
                .and_then(|()| (0..self.depth).try_for_each(|_| self.w.write_all(b"  "))),
        }
        .map_err(Error::io)
    }

    /// The line of a struct field up to its value (`,\n    "key": `), in
    /// one write of a line composed once ([`KeyLines`]) when the name is
    /// clean (every field name is) and not nested too deep.
    fn key_line(&mut self, first: bool, key: &'static str) -> Result<(), Error> {
        let from = usize::from(first);
        if let Some(line) = self.keys.line(key, self.depth) {
            return self.w.write_all(&line[from..]).map_err(Error::io);
        }
        self.line(first)?;
        self.string(key)?;
        self.raw(b": ")
    }

    fn string(&mut self, s: &str) -> Result<(), Error> {
        write_string(&mut self.w, s).map_err(Error::io)
    }

    /// Opens `[` or `{`; an empty one is closed at once, as serde_json does.
    fn open(&mut self, len: Option<usize>, brackets: &[u8; 2]) -> Result<Compound<'_, W>, Error> {
        if len == Some(0) {
            self.raw(brackets)?;
            return Ok(Compound {
                ser: self,
                state: State::Empty,
                close: brackets[1],
                then_close_object: false,
            });
        }
        self.depth += 1;
        self.raw(&brackets[..1])?;
        Ok(Compound {
            ser: self,
            state: State::First,
            close: brackets[1],
            then_close_object: false,
        })
    }

    /// `{ "variant": ` of an externally tagged enum variant.
    fn open_variant(&mut self, variant: &str) -> Result<(), Error> {
        self.depth += 1;
        self.raw(b"{")?;
        self.line(true)?;
        self.string(variant)?;
        self.raw(b": ")
    }

    fn close_variant(&mut self) -> Result<(), Error> {
        self.depth -= 1;
        self.line(true)?;
        self.raw(b"}")
    }
}

/// Whether `s` can be written between quotes as it is: no control
/// character, quote or backslash. Eight bytes at a time (the classic
/// "has a byte less than / equal to" bit tricks; exact, since a byte with
/// its top bit set can never be flagged), the rest one by one.
fn is_clean(s: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGHS != 0;
        if control
            || zero_in(x ^ (ONES * u64::from(b'"')))
            || zero_in(x ^ (ONES * u64::from(b'\\')))
        {
            return false;
        }
    }
    chunks
        .remainder()
        .iter()
        .all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// A JSON string, escaped exactly as serde_json escapes it.
fn write_string<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    let b = s.as_bytes();
    if is_clean(b) {
        // Quoted in one write when short (dates, IDs, names, most notes).
        let mut buf = [b'"'; 130];
        if let Some(inner) = buf.get_mut(1..=b.len()).filter(|_| b.len() < 129) {
            inner.copy_from_slice(b);
            return w.write_all(&buf[..b.len() + 2]);
        }
        w.write_all(b"\"")?;
        w.write_all(b)?;
        return w.write_all(b"\"");
    }
    w.write_all(b"\"")?;
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => &[],
            _ => continue,
        };
        w.write_all(&b[start..i])?;
        start = i + 1;
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            w.write_all(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(c >> 4)],
                HEX[usize::from(c & 0xf)],
            ])?;
        } else {
            w.write_all(esc)?;
        }
    }
    w.write_all(&b[start..])?;
    w.write_all(b"\"")
}

#[derive(Debug, PartialEq)]
enum State {
    Empty,
    First,
    Rest,
}

/// An array or object being written.
#[derive(Debug)]
pub struct Compound<'a, W: Write> {
    ser: &'a mut Json<W>,
    state: State,
    close: u8,
    /// A tuple or struct variant: its `}` follows.
    then_close_object: bool,
}

impl<W: Write> Compound<'_, W> {
    fn item(&mut self) -> Result<(), Error> {
        let first = self.state == State::First;
        self.state = State::Rest;
        self.ser.line(first)
    }

    fn finish(self) -> Result<(), Error> {
        if self.state != State::Empty {
            self.ser.depth -= 1;
            if self.state == State::Rest {
                self.ser.line(true)?;
            }
            self.ser.raw(&[self.close])?;
        }
        if self.then_close_object {
            self.ser.close_variant()?;
        }
        Ok(())
    }
}

macro_rules! integers {
    ($($f:ident $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<(), Error> {
            self.raw(v.to_string().as_bytes())
        }
    )*};
}

impl<'a, W: Write> ser::Serializer for &'a mut Json<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.raw(if v { b"true" } else { b"false" })
    }

    integers!(serialize_i8 i8, serialize_i16 i16, serialize_i128 i128, serialize_u128 u128);

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        let mut buf = [0u8; 20];
        let n = v.unsigned_abs();
        let mut i = digits(&mut buf, n);
        if v < 0 {
            i -= 1;
            buf[i] = b'-';
        }
        self.raw(&buf[i..])
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        let mut buf = [0u8; 20];
        let i = digits(&mut buf, v);
        self.raw(&buf[i..])
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return self.raw(b"null");
        }
        self.raw(zmij::Buffer::new().format_finite(v).as_bytes())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return self.raw(b"null");
        }
        let mut buf = [0u8; 24];
        if let Some(text) = few_decimals(v, &mut buf) {
            return self.raw(text);
        }
        self.raw(zmij::Buffer::new().format_finite(v).as_bytes())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.raw(b"null")
    }

    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.raw(b"null")
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.raw(b"null")
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        if name == RAW {
            return v.serialize(KeySerializer(self, true));
        }
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant)?;
        v.serialize(&mut *self)?;
        self.close_variant()
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.open(len, b"[]")
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, W>, Error> {
        self.open(Some(len), b"[]")
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>, Error> {
        self.open(Some(len), b"[]")
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>, Error> {
        self.open_variant(variant)?;
        let mut c = self.open(Some(len), b"[]")?;
        c.then_close_object = true;
        Ok(c)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.open(len, b"{}")
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, W>, Error> {
        self.open(Some(len), b"{}")
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, W>, Error> {
        self.open_variant(variant)?;
        let mut c = self.open(Some(len), b"{}")?;
        c.then_close_object = true;
        Ok(c)
    }
}

/// The shortest text of `v` as zmij (and serde_json) writes it, for the
/// values nearly every number of a report is (a whole value, a
/// confidence of 0.7, a progress of 0.25): a non-zero number below 10^15
/// with at most three decimals (at least 0.001), written as integer
/// digits in about two thirds of zmij's instructions (~110 against ~150
/// per number on a company report). `None` for any other value.
///
/// Why this is exact: such a `v` is the double nearest the decimal
/// `m / 10^d` (IEEE division rounds correctly, and `m` and `10^d` are
/// exact), and two different decimals of at most 15 significant digits
/// never round to the same double, so no shorter decimal reads back as
/// `v`: the shortest text is `m`'s digits with `d` decimals, which is what
/// zmij writes, in plain notation in this range. A test compares the two
/// on many values.
fn few_decimals(v: f64, buf: &mut [u8; 24]) -> Option<&[u8]> {
    const BELOW: i64 = 1_000_000_000_000_000;
    let a = v.abs();
    if !(1e-3..1e15).contains(&a) {
        return None;
    }
    // The fewest decimals `d` with `a` the double nearest `m / 10^d`.
    let (mut d, mut scale) = (0, 1.0);
    let mut m = loop {
        // Rounds half up (a cast truncates); a wrong guess only fails
        // the test below.
        // (Signed: converting u64 to and from f64 takes many instructions.)
        let m = (a * scale + 0.5) as i64;
        if m < BELOW && m as f64 / scale == a {
            break m;
        }
        if d == 3 {
            return None;
        }
        d += 1;
        scale *= 10.0;
    };
    // From the right: `.0` or the decimals and the point, then the rest.
    let mut i = buf.len();
    if d == 0 {
        i -= 2;
        buf[i..].copy_from_slice(b".0");
    }
    let mut written = 0;
    loop {
        if written == d && d > 0 {
            i -= 1;
            buf[i] = b'.';
        }
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        written += 1;
        if m == 0 && written > d {
            break;
        }
    }
    if v < 0.0 {
        i -= 1;
        buf[i] = b'-';
    }
    buf.get(i..)
}

/// The decimal digits of `n` at the end of `buf`; returns where they start.
fn digits(buf: &mut [u8; 20], mut n: u64) -> usize {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return i;
        }
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        self.item()?;
        v.serialize(&mut *self.ser)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<W: Write> ser::SerializeTupleVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), Error> {
        self.item()?;
        k.serialize(KeySerializer(&mut *self.ser, false))
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        self.ser.raw(b": ")?;
        v.serialize(&mut *self.ser)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        let first = self.state == State::First;
        self.state = State::Rest;
        self.ser.key_line(first, key)?;
        v.serialize(&mut *self.ser)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// Map keys: strings as they are, numbers and booleans quoted, as
/// serde_json writes them; anything else is refused, as serde_json does.
/// With `raw`, the one string it takes is rendered text ([`RawText`]),
/// written unquoted.
struct KeySerializer<'a, W: Write>(&'a mut Json<W>, bool);

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

macro_rules! quoted_keys {
    ($($f:ident $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<(), Error> {
            self.0.string(&v.to_string())
        }
    )*};
}

macro_rules! refused_keys {
    ($($f:ident $(: $t:ty)?),*) => {$(
        fn $f(self $(, _v: $t)?) -> Result<(), Error> {
            Err(key_must_be_a_string())
        }
    )*};
}

impl<W: Write> ser::Serializer for KeySerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        if self.1 {
            return self.0.raw(v.as_bytes());
        }
        self.0.string(v)
    }

    quoted_keys!(serialize_bool bool, serialize_char char, serialize_i8 i8, serialize_i16 i16,
        serialize_i32 i32, serialize_i64 i64, serialize_i128 i128, serialize_u8 u8,
        serialize_u16 u16, serialize_u32 u32, serialize_u64 u64, serialize_u128 u128);

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(key_must_be_a_string());
        }
        self.0.string(zmij::Buffer::new().format_finite(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(key_must_be_a_string());
        }
        self.0.string(zmij::Buffer::new().format_finite(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        if self.1 {
            return self.0.raw(v);
        }
        Err(key_must_be_a_string())
    }

    refused_keys!(serialize_none, serialize_unit);

    fn serialize_some<T: ?Sized + Serialize>(self, _v: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.0.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _v: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
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
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::json;

    use super::*;

    fn ours<T: Serialize>(v: &T) -> String {
        let mut out = Vec::new();
        v.serialize(&mut Json::new(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn same<T: Serialize>(v: &T) {
        assert_eq!(ours(v), serde_json::to_string_pretty(v).unwrap());
    }

    #[test]
    fn a_list_rendered_on_every_core_reads_as_the_plain_list() {
        #[derive(Serialize)]
        struct Top<L> {
            a: u32,
            list: L,
            z: &'static str,
        }
        // More than two chunks, elements with nesting, empty ones too.
        let items: Vec<serde_json::Value> = (0..600)
            .map(|i| match i % 3 {
                0 => json!({"id": format!("o{i}"), "krs": [{"v": i, "n": null}, {}], "e": []}),
                1 => json!([i, "x", {"k": [1.5]}]),
                _ => json!({}),
            })
            .collect();
        let plain = Top {
            a: 1,
            list: items.clone(),
            z: "end",
        };
        let par = Top {
            a: 1,
            list: ParList::new(&items, |v| v.clone(), 2),
            z: "end",
        };
        assert_eq!(ours(&par), serde_json::to_string_pretty(&plain).unwrap());
        let none: Vec<u8> = Vec::new();
        let empty = Top {
            a: 1,
            list: ParList::new(&none, |v| *v, 2),
            z: "",
        };
        assert_eq!(
            ours(&empty),
            serde_json::to_string_pretty(&Top {
                a: 1,
                list: Vec::<u8>::new(),
                z: ""
            })
            .unwrap()
        );
    }

    #[test]
    fn values_read_as_serde_json_writes_them() {
        let mut deep = json!({"leaf": [1, {"a": []}, {}, [[]], "x"]});
        for i in 0..80 {
            deep = json!({ format!("k{i}"): [deep, i, {"e": {}}], "n": null });
        }
        let strings = json!([
            "",
            "plain é 日本",
            "q\"b\\s/",
            "\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "\u{85}\u{202e}"
        ]);
        let numbers = json!([
            0,
            -1,
            i64::MIN,
            u64::MAX,
            0.1,
            -0.0,
            1e21,
            1.5e-7,
            123456.789,
            f64::MAX,
            f64::MIN_POSITIVE
        ]);
        for v in [
            json!(null),
            json!(true),
            json!([]),
            json!({}),
            json!([[], {}]),
            strings,
            numbers,
            deep,
        ] {
            same(&v);
        }
        for len in 0..300 {
            same(&"é".repeat(len / 2));
            same(&format!("{}\"", "x".repeat(len)));
        }
        same(&f64::NAN);
        same(&(1u8, 'c', -3i16, 7u128, -9i128, 2.5f32, f32::INFINITY));
        same(&BTreeMap::from([(1, "a"), (-2, "b")]));
        same(&BTreeMap::from([(true, 1)]));
        same(&FloatKeys);
        same(&BTreeMap::<String, u8>::new());
        same(&serde_bytes_like(&[1, 2, 3]));
        same(&Vec::<u8>::new());
    }

    #[test]
    fn floats_with_few_decimals_read_as_zmij_writes_them() {
        let zmij = |v: f64| zmij::Buffer::new().format_finite(v).to_string();
        let ours = |v: f64| {
            let mut buf = [0u8; 24];
            few_decimals(v, &mut buf).map(|b| String::from_utf8(b.to_vec()).unwrap())
        };
        // The values a report is made of take the short way.
        for (v, text) in [
            (4393.0, "4393.0"),
            (0.4, "0.4"),
            (-2.5, "-2.5"),
            (0.25, "0.25"),
            (0.125, "0.125"),
            (0.005, "0.005"),
            (1e14, "100000000000000.0"),
        ] {
            assert_eq!(ours(v).as_deref(), Some(text), "{v}");
            assert_eq!(zmij(v), text);
        }
        let mut values: Vec<f64> = Vec::new();
        for k in 0..30_000u32 {
            for scale in [1.0, 10.0, 100.0, 1000.0, 10_000.0] {
                values.push(f64::from(k) / scale);
                values.push(-f64::from(k) / scale);
            }
        }
        values.extend([
            0.1 + 0.2,
            1e15,
            1e15 - 1.0,
            999_999_999_999_999.9,
            1e-3,
            9.99e-4,
        ]);
        values.extend([f64::MIN_POSITIVE, f64::MAX, -0.0, 1.0 / 3.0, 2f64.powi(52)]);
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x);
            if v.is_finite() {
                values.push(v);
                values.push((v.fract() * 1000.0).round() / 1000.0);
            }
        }
        let mut short = 0;
        for v in values {
            if let Some(text) = ours(v) {
                assert_eq!(text, zmij(v), "{v:?}");
                short += 1;
            }
        }
        assert!(short > 250_000, "only {short} values took the short way");
    }

    #[test]
    fn a_failing_or_panicking_element_fails_the_list_without_hanging() {
        struct Elem(u8);
        impl Serialize for Elem {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0 {
                    1 => Err(ser::Error::custom("this element cannot be written")),
                    2 => panic!("this element panics"),
                    _ => s.serialize_u8(0),
                }
            }
        }
        let items: Vec<usize> = (0..20 * RUN).collect();
        // Late in the list, and in the first run: other runs are in flight.
        for at in [5 * RUN + 3, 1] {
            for (kind, says) in [(1, "cannot be written"), (2, "panicked")] {
                let list = ParList::new(&items, |&i| Elem(if i == at { kind } else { 0 }), 1);
                let mut out = Vec::new();
                let err = list.serialize(&mut Json::new(&mut out)).unwrap_err();
                assert!(err.to_string().contains(says), "{err}");
            }
        }
    }

    #[test]
    fn field_lines_are_right_when_names_share_or_fill_the_slots() {
        let names: Vec<&'static str> = (0..3 * KEY_SLOTS)
            .map(|i| &*Box::leak(format!("f{i}").into_boxed_str()))
            .collect();
        let mut keys = KeyLines::new();
        let mut kept = 0;
        for round in 0..2 {
            for (i, name) in names.iter().enumerate() {
                let depth = i % 5;
                let want = format!(",\n{}\"{name}\": ", "  ".repeat(depth));
                // None: every slot it may use is taken; the caller composes it.
                if let Some(line) = keys.line(name, depth) {
                    assert_eq!(line, want.as_bytes(), "{name} at {depth}");
                    kept += usize::from(round == 1);
                }
            }
        }
        assert!(kept >= KEY_SLOTS / 2, "{kept} lines found again");
        let mut keys = KeyLines::new();
        for depth in [0, 3, 0, 3] {
            let want = format!(",\n{}\"date\": ", "  ".repeat(depth));
            assert_eq!(keys.line("date", depth), Some(want.as_bytes()));
        }
        assert_eq!(keys.line("a\"b", 1), None, "a name to escape is not kept");
    }

    struct FloatKeys;
    impl Serialize for FloatKeys {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map([(1.5f64, 1), (-0.0, 2)])
        }
    }

    /// `serialize_bytes` without the serde_bytes crate.
    fn serde_bytes_like(b: &[u8]) -> impl Serialize + '_ {
        struct B<'a>(&'a [u8]);
        impl Serialize for B<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        B(b)
    }

    #[test]
    fn clean_means_no_control_quote_or_backslash_at_any_position() {
        for len in 0..20 {
            for at in 0..len {
                for bad in [0u8, 0x1f, b'"', b'\\', b'\n'] {
                    let mut b = vec![b'a'; len];
                    b[at] = bad;
                    assert!(!is_clean(&b), "{b:?}");
                }
                for good in [0x20u8, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff] {
                    let mut b = vec![b'a'; len];
                    b[at] = good;
                    assert!(is_clean(&b), "{b:?}");
                }
            }
        }
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(u8, Vec<u8>),
        Empty(),
        Struct { a: u8, b: Option<&'static str> },
        NoFields {},
    }

    #[derive(Serialize)]
    struct S {
        e: Vec<E>,
        unit: (),
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        #[serde(flatten)]
        flat: BTreeMap<String, u8>,
    }

    #[test]
    fn enums_structs_and_flatten_read_as_serde_json_writes_them() {
        same(&S {
            e: vec![
                E::Unit,
                E::New(1),
                E::Tuple(2, vec![]),
                E::Empty(),
                E::Struct { a: 3, b: None },
                E::NoFields {},
            ],
            unit: (),
            skipped: None,
            flat: BTreeMap::from([("x".to_string(), 1)]),
        });
        let mut out = Vec::new();
        assert!(
            BTreeMap::from([(vec![1], 1)])
                .serialize(&mut Json::new(&mut out))
                .is_err()
        );
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
