//! `unknown-key`: typed reading skips keys it does not know inside
//! objectives, key results, check-ins, KPIs and initiatives (so files stay
//! readable by older and newer okr), which also hides typos: `wieght: 3`
//! silently weighs 1. This rule names them, with a did-you-mean. Keys
//! starting with `x-` or `x_` are the documented place for custom data and
//! are never reported (docs/format.md).
//!
//! The known keys are read from the model's own serde derives, so they can
//! never drift from the file format.

use std::cell::Cell;

use serde::Deserialize;
use serde::de::{self, Visitor};
use serde_json::Value;

use super::{Finding, PathStep, key};
use crate::model::okr::{CheckIn, Initiative, KeyResult, Kpi, KpiCheckIn, Objective, Settings};

/// The field names a type's `Deserialize` asks for, or `None` when it does
/// not read a plain struct (then its keys cannot be checked).
pub fn field_names<T: for<'de> Deserialize<'de>>() -> Option<&'static [&'static str]> {
    let seen = Cell::new(None);
    let _ = T::deserialize(Probe(&seen));
    seen.get()
}

/// A deserializer that only records the fields a struct asks for.
struct Probe<'a>(&'a Cell<Option<&'static [&'static str]>>);

impl<'de> de::Deserializer<'de> for Probe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.set(Some(fields));
        Err(de::Error::custom("fields recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// Whether `k` is custom data the user keeps on purpose.
pub fn is_custom(k: &str) -> bool {
    k.starts_with("x-") || k.starts_with("x_")
}

/// What an object is called in messages, and the keys it may have.
struct Shape {
    what: &'static str,
    known: Option<&'static [&'static str]>,
}

fn shape<T: for<'de> Deserialize<'de>>(what: &'static str) -> Shape {
    Shape {
        what,
        known: field_names::<T>(),
    }
}

/// The checks of one file: walks the raw tree and reports unknown keys.
pub(super) fn unknown_key(file: usize, tree: &mut Value, out: &mut Vec<Finding>) {
    let mut walk = Walk { file, out };
    let settings = shape::<Settings>("settings");
    walk.object(&settings, tree.get("settings"), vec![key("settings")]);
    let (obj, kr, ci) = (
        shape::<Objective>("objective"),
        shape::<KeyResult>("key result"),
        shape::<CheckIn>("check-in"),
    );
    let init = shape::<Initiative>("initiative");
    for (oi, o) in items(tree, "objectives") {
        let op = vec![key("objectives"), PathStep::Index(oi)];
        walk.object(&obj, Some(o), op.clone());
        for (ki, k) in items(o, "key_results") {
            let kp = super::with(op.clone(), &[key("key_results"), PathStep::Index(ki)]);
            walk.object(&kr, Some(k), kp.clone());
            walk.list(&ci, k, "check_ins", &kp);
            walk.list(&init, k, "initiatives", &kp);
        }
    }
    let (kpi, kci) = (shape::<Kpi>("KPI"), shape::<KpiCheckIn>("KPI check-in"));
    for (xi, x) in items(tree, "kpis") {
        let xp = vec![key("kpis"), PathStep::Index(xi)];
        walk.object(&kpi, Some(x), xp.clone());
        walk.list(&kci, x, "check_ins", &xp);
    }
}

/// The items of the list under `k`, with their positions.
fn items<'v>(v: &'v Value, k: &str) -> impl Iterator<Item = (usize, &'v Value)> {
    v.get(k)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

struct Walk<'o> {
    file: usize,
    out: &'o mut Vec<Finding>,
}

impl Walk<'_> {
    fn list(&mut self, shape: &Shape, parent: &Value, k: &str, at: &[PathStep]) {
        for (i, item) in items(parent, k) {
            let p = super::with(
                at.to_vec(),
                &[PathStep::Key(k.to_string().into()), PathStep::Index(i)],
            );
            self.object(shape, Some(item), p);
        }
    }

    fn object(&mut self, shape: &Shape, v: Option<&Value>, at: Vec<PathStep>) {
        let (Some(known), Some(map)) = (shape.known, v.and_then(Value::as_object)) else {
            return;
        };
        let name = match map.get("id").and_then(Value::as_str) {
            Some(id) => format!("{} `{id}`", shape.what),
            None => match map.get("date").and_then(Value::as_str) {
                Some(d) => format!("{} of {d}", shape.what),
                None => shape.what.to_string(),
            },
        };
        for k in map.keys() {
            if known.contains(&k.as_str()) || is_custom(k) {
                continue;
            }
            let advice = match crate::model::id::suggest(k, known.iter().copied()).first() {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("okr ignores it; name custom data `x-{k}`"),
            };
            self.out.push(Finding::new(
                "unknown-key",
                self.file,
                super::with(at.clone(), &[PathStep::Key(k.to_string().into())]),
                format!("unknown key `{k}` in {name}: {advice}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_come_from_the_model() {
        let kr = field_names::<KeyResult>().unwrap();
        for k in ["id", "title", "target", "weight", "check_ins", "at_most"] {
            assert!(kr.contains(&k), "{k} missing from {kr:?}");
        }
        assert!(field_names::<Objective>().unwrap().contains(&"period"));
        assert!(field_names::<CheckIn>().unwrap().contains(&"confidence"));
        // Every object the rule checks reads a plain struct, or it would be skipped.
        assert!(field_names::<Kpi>().unwrap().contains(&"at_least"));
        assert!(field_names::<KpiCheckIn>().unwrap().contains(&"value"));
        assert!(field_names::<Initiative>().unwrap().contains(&"status"));
        assert!(field_names::<Settings>().unwrap().contains(&"checks"));
    }

    fn findings(yaml: &str) -> Vec<Finding> {
        let mut tree: Value = serde_saphyr::from_str(yaml).unwrap();
        let mut out = Vec::new();
        unknown_key(0, &mut tree, &mut out);
        out
    }

    #[test]
    fn a_typo_gets_a_did_you_mean() {
        let f = findings(
            "objectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - {id: k, title: K, target: 3, wieght: 2}\n",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].message,
            "unknown key `wieght` in key result `k`: did you mean `weight`?"
        );
        assert_eq!(f[0].path.last(), Some(&PathStep::Key("wieght".into())));
    }

    #[test]
    fn every_object_is_checked_and_custom_keys_are_not() {
        let f = findings(
            "objectives:\n  - id: o\n    titel: O\n    x-jira: OKR-1\n    key_results:\n      - id: k\n        x_note: fine\n        check_ins:\n          - {date: 2026-08-01, value: 1, confidnce: 0.5}\n        initiatives:\n          - {id: i, title: I, stauts: doing}\nkpis:\n  - id: p\n    ownr: me\n    check_ins:\n      - {date: 2026-08-01, value: 1, nte: hi}\n",
        );
        let msgs: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert!(msgs[0].contains("`titel` in objective `o`: did you mean `title`?"));
        assert!(msgs[1].contains("`confidnce` in check-in of 2026-08-01"));
        assert!(msgs[2].contains("`stauts` in initiative `i`: did you mean `status`?"));
        assert!(msgs[3].contains("`ownr` in KPI `p`"));
        assert!(msgs[4].contains("`nte` in KPI check-in of 2026-08-01"));
    }

    #[test]
    fn a_key_like_nothing_suggests_the_custom_prefix() {
        let f = findings("objectives:\n  - {id: o, title: O, period: 2026-Q3, sprint: 12}\n");
        assert_eq!(
            f[0].message,
            "unknown key `sprint` in objective `o`: okr ignores it; name custom data `x-sprint`"
        );
    }
}
