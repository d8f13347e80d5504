//! Three-way merge of documents: what git's merge driver calls for.
//!
//! Line merges fail OKR files exactly where teams collide: two check-ins
//! appended to one key result on two branches touch the same lines. Merging
//! the model instead makes that case trivial and keeps genuine disagreements
//! (two different targets) narrow and named.
//!
//! The merge works on the document as a tree (its serde form, the same tree
//! the lossless editor compares), so every field, present and future, merges
//! by the same rules:
//! - lists of things with an `id` (objectives, key results, KPIs,
//!   initiatives) are matched by ID: additions on either side are kept,
//!   deletions honoured, the same new ID with different content on both sides
//!   is a conflict, deleted on one side and changed on the other a conflict;
//! - other lists (check-ins, closed periods) are sets: everything either side
//!   added is kept, identical additions once, what a side removed is gone;
//!   dated items end up in date order, ours first on the same day;
//! - any other field: changed on one side takes that change, changed alike
//!   on both is fine, changed differently is a conflict.
//!
//! A conflict is resolved both ways ([`Merge::ours`], [`Merge::theirs`]), so
//! the caller can write conflict markers around exactly the lines where the
//! two resolutions differ.

use std::fmt;

use serde_json::{Map, Value};

use super::Document;

/// One field both sides changed differently (or one deleted, one changed).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// What holds the field: `objective`, `key result`, `KPI`, `initiative`,
    /// or `document` for top-level fields.
    pub what: &'static str,
    /// The ID of the objective, key result … (empty for the document).
    pub id: String,
    /// The field, as a dotted path below the item (empty: the whole item).
    pub field: String,
    /// Our value, `None` when we deleted it.
    pub ours: Option<Value>,
    /// Their value, `None` when they deleted it.
    pub theirs: Option<Value>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = match (self.id.is_empty(), self.field.is_empty()) {
            (true, _) => format!("field `{}`", self.field),
            (false, true) => format!("{} `{}`", self.what, self.id),
            (false, false) => format!("{} `{}`, field `{}`", self.what, self.id, self.field),
        };
        write!(
            f,
            "{place}: ours {}, theirs {}",
            show(self.ours.as_ref()),
            show(self.theirs.as_ref())
        )
    }
}

/// How a value reads in a conflict message.
fn show(v: Option<&Value>) -> String {
    match v {
        None => "deleted it".to_string(),
        Some(Value::String(s)) => format!("`{s}`"),
        Some(Value::Object(m)) if m.contains_key("id") => "changed it".to_string(),
        Some(v) => format!("`{v}`"),
    }
}

/// The result of a merge.
#[derive(Debug, Clone)]
pub struct Merge {
    /// The merged document, every conflict resolved our way.
    pub ours: Document,
    /// The merged document, every conflict resolved their way (equal to
    /// `ours` when there is no conflict).
    pub theirs: Document,
    /// Every conflict, in document order.
    pub conflicts: Vec<Conflict>,
}

impl Merge {
    /// Whether the merge is clean.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Merges `ours` and `theirs`, both descended from `base`.
///
/// Fails only when the merged tree is not a valid document (for example one
/// side turned a metric into a milestone while the other added a unit); the
/// caller then falls back to a line merge.
pub fn merge(base: &Document, ours: &Document, theirs: &Document) -> Result<Merge, String> {
    let [b, o, t] =
        [base, ours, theirs].map(|d| serde_json::to_value(d).map_err(|e| e.to_string()));
    let (b, o, t) = (b?, o?, t?);
    let mut conflicts = Vec::new();
    let at = Place {
        what: "document",
        id: String::new(),
        field: Vec::new(),
    };
    let (a, z) = merge_value(Some(&b), Some(&o), Some(&t), &at, &mut conflicts);
    let read = |v: Option<Value>| -> Result<Document, String> {
        let v = v.ok_or("the merged document is empty")?;
        serde_json::from_value(v).map_err(|e| format!("the merged document is not valid: {e}"))
    };
    Ok(Merge {
        ours: read(a)?,
        theirs: read(z)?,
        conflicts,
    })
}

/// Where in the document a value sits, for naming conflicts.
#[derive(Debug, Clone)]
struct Place {
    what: &'static str,
    id: String,
    field: Vec<String>,
}

impl Place {
    fn key(&self, k: &str) -> Place {
        let mut p = self.clone();
        p.field.push(k.to_string());
        p
    }

    fn item(&self, id: &str) -> Place {
        let what = match self.field.last().map(String::as_str) {
            Some("objectives") => "objective",
            Some("key_results") => "key result",
            Some("kpis") => "KPI",
            Some("initiatives") => "initiative",
            _ => "item",
        };
        Place {
            what,
            id: id.to_string(),
            field: Vec::new(),
        }
    }

    fn conflict(&self, ours: Option<&Value>, theirs: Option<&Value>) -> Conflict {
        Conflict {
            what: self.what,
            id: self.id.clone(),
            field: self.field.join("."),
            ours: ours.cloned(),
            theirs: theirs.cloned(),
        }
    }
}

/// Both resolutions of one value (`None`: absent).
type Pair = (Option<Value>, Option<Value>);

fn merge_value(
    b: Option<&Value>,
    o: Option<&Value>,
    t: Option<&Value>,
    at: &Place,
    out: &mut Vec<Conflict>,
) -> Pair {
    if o == t || t == b {
        return (o.cloned(), o.cloned());
    }
    if o == b {
        return (t.cloned(), t.cloned());
    }
    match (b, o, t) {
        (None, Some(Value::Object(om)), Some(Value::Object(_))) if om.contains_key("id") => {
            // The same new ID on both sides with different content.
            out.push(at.conflict(o, t));
            (o.cloned(), t.cloned())
        }
        (_, Some(Value::Object(om)), Some(Value::Object(tm))) => {
            let empty = Map::new();
            let bm = b.and_then(Value::as_object).unwrap_or(&empty);
            let (a, z) = merge_map(bm, om, tm, at, out);
            (Some(Value::Object(a)), Some(Value::Object(z)))
        }
        (_, Some(Value::Array(oa)), Some(Value::Array(ta))) => {
            let empty = Vec::new();
            let ba = b.and_then(Value::as_array).unwrap_or(&empty);
            let (a, z) = merge_array(ba, oa, ta, at, out);
            (Some(Value::Array(a)), Some(Value::Array(z)))
        }
        _ => {
            out.push(at.conflict(o, t));
            (o.cloned(), t.cloned())
        }
    }
}

fn merge_map(
    b: &Map<String, Value>,
    o: &Map<String, Value>,
    t: &Map<String, Value>,
    at: &Place,
    out: &mut Vec<Conflict>,
) -> (Map<String, Value>, Map<String, Value>) {
    let mut keys: Vec<&String> = o.keys().collect();
    keys.extend(t.keys().filter(|k| !o.contains_key(*k)));
    keys.extend(
        b.keys()
            .filter(|k| !o.contains_key(*k) && !t.contains_key(*k)),
    );
    let (mut a, mut z) = (Map::new(), Map::new());
    for k in keys {
        // A list left out of the file is an empty list (check-ins, …).
        let list = [b, o, t]
            .iter()
            .any(|m| m.get(k).is_some_and(Value::is_array));
        let empty = Value::Array(Vec::new());
        let get = |m: &'_ Map<String, Value>| m.get(k).or(list.then_some(&empty)).cloned();
        let (vb, vo, vt) = (get(b), get(o), get(t));
        let (va, vz) = merge_value(vb.as_ref(), vo.as_ref(), vt.as_ref(), &at.key(k), out);
        if let Some(v) = va {
            a.insert(k.clone(), v);
        }
        if let Some(v) = vz {
            z.insert(k.clone(), v);
        }
    }
    (a, z)
}

fn id_of(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str)
}

fn merge_array(
    b: &[Value],
    o: &[Value],
    t: &[Value],
    at: &Place,
    out: &mut Vec<Conflict>,
) -> (Vec<Value>, Vec<Value>) {
    let keyed = b.iter().chain(o).chain(t).all(|v| id_of(v).is_some());
    if keyed {
        merge_keyed(b, o, t, at, out)
    } else {
        let v = merge_set(b, o, t);
        (v.clone(), v)
    }
}

/// Lists of things with IDs, matched by ID.
fn merge_keyed(
    b: &[Value],
    o: &[Value],
    t: &[Value],
    at: &Place,
    out: &mut Vec<Conflict>,
) -> (Vec<Value>, Vec<Value>) {
    let find = |list: &'_ [Value], id: &str| list.iter().find(|v| id_of(v) == Some(id)).cloned();
    let t_ids: Vec<&str> = t.iter().filter_map(id_of).collect();
    // (id, our resolution, their resolution)
    let mut items: Vec<(String, Pair)> = Vec::new();
    for ov in o {
        let id = id_of(ov).unwrap_or_default();
        let (bv, tv) = (find(b, id), find(t, id));
        let pair = merge_value(bv.as_ref(), Some(ov), tv.as_ref(), &at.item(id), out);
        items.push((id.to_string(), pair));
    }
    for (ti, tv) in t.iter().enumerate() {
        let id = id_of(tv).unwrap_or_default();
        if items.iter().any(|(i, _)| i == id) {
            continue;
        }
        let bv = find(b, id);
        let pair = merge_value(bv.as_ref(), None, Some(tv), &at.item(id), out);
        // After its predecessor in their list, and after what we added there.
        let pred = t[..ti]
            .iter()
            .rev()
            .filter_map(id_of)
            .find_map(|p| items.iter().position(|(i, _)| i == p));
        let mut pos = pred.map_or(0, |p| p + 1);
        while pos < items.len() && !t_ids.contains(&items[pos].0.as_str()) {
            pos += 1;
        }
        items.insert(pos, (id.to_string(), pair));
    }
    let a = items.iter().filter_map(|(_, (a, _))| a.clone()).collect();
    let z = items.into_iter().filter_map(|(_, (_, z))| z).collect();
    (a, z)
}

/// Lists without IDs (check-ins, closed periods): multisets of values. An
/// item's count is the base's changed by both sides' changes, where the same
/// addition (or removal) on both sides counts once.
fn merge_set(b: &[Value], o: &[Value], t: &[Value]) -> Vec<Value> {
    let count = |l: &[Value], x: &Value| l.iter().filter(|y| *y == x).count();
    let wanted = |x: &Value| {
        let (cb, co, ct) = (count(b, x), count(o, x), count(t, x));
        if co == cb {
            ct
        } else if ct == cb {
            co
        } else if co > cb && ct > cb {
            co.max(ct)
        } else if co < cb && ct < cb {
            co.min(ct)
        } else {
            (co + ct).saturating_sub(cb)
        }
    };
    let mut v: Vec<Value> = Vec::new();
    for x in o.iter().chain(t) {
        if count(&v, x) < wanted(x) {
            v.push(x.clone());
        }
    }
    let dated = v
        .iter()
        .all(|x| x.get("date").and_then(Value::as_str).is_some());
    if dated {
        // Stable: ours before theirs on the same day.
        v.sort_by(|x, y| {
            let d = |v: &Value| {
                v.get("date")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            d(x).cmp(&d(y))
        });
    }
    v
}

#[cfg(test)]
mod tests;
