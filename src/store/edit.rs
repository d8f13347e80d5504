//! Lossless editing: change only the parts of a file's text that differ.
//!
//! Commands never write YAML themselves. They change the model; this module
//! compares the model the file held with the model it should hold and applies
//! just the difference to the file's concrete syntax tree (yaml-edit), so
//! comments, blank lines, key order, quoting and keys this version does not
//! know stay exactly as the user wrote them.
//!
//! The comparison is generic: both models are turned into ordered JSON-like
//! trees, and the trees are walked together. Lists of things with an `id`
//! are matched by ID; other lists (check-ins) are matched by position, so
//! appending a check-in is a pure append in `git diff`.
//!
//! What is inserted anew (a list, a list item, a field) follows the file's
//! own indentation ([`indent`]): yaml-edit places a marker, and the marker
//! is replaced by the value written in the file's layout. A new field lands
//! after the plain fields already there, before any lists, so it never
//! splits the fields the user wrote.
//!
//! The caller ([`super::Workspace::save`]) re-reads the edited text and
//! refuses to write unless it parses as exactly the intended model; this
//! module only has to be right, not to prove it.

use std::str::FromStr;

use serde_json::{Map, Value};
use yaml_edit::{Document as YamlDoc, Mapping, Sequence, YamlFile, YamlNode};

use crate::model::Document;

mod indent;

use indent::{Layout, is_block};

/// Applies the difference between `old` and `new` to `text`.
pub fn apply(text: &str, old: &Document, new: &Document) -> Result<String, String> {
    let old_v = to_tree(old)?;
    let new_v = to_tree(new)?;
    if old_v == new_v {
        return Ok(text.to_string());
    }
    // Parse the whole stream, not just the document: `%YAML` directives, a
    // `---` marker and comments before it belong to the file and must survive.
    let file = YamlFile::from_str(text).map_err(|e| format!("cannot edit this YAML: {e}"))?;
    let mut docs = file.documents();
    let doc = docs
        .next()
        .ok_or_else(|| "the file holds no YAML document".to_string())?;
    if docs.next().is_some() {
        return Err("the file holds more than one YAML document".to_string());
    }
    let root = doc
        .as_mapping()
        .ok_or_else(|| "the top level is not a mapping".to_string())?;
    let mut ed = Edit::new(text);
    match (&old_v, &new_v) {
        (Value::Object(o), Value::Object(n)) => sync_mapping(&mut ed, &root, o, n, true)?,
        _ => return Err("the model is not a mapping".to_string()),
    }
    let mut out = ed.fill(file.to_string())?;
    // yaml-edit can drop the final newline when it rewrites the last node.
    if text.ends_with('\n') && !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// Serialises a model to an ordered tree (field order = struct order).
fn to_tree(doc: &Document) -> Result<Value, String> {
    serde_json::to_value(doc).map_err(|e| e.to_string())
}

/// Where a marker stands in the edited text.
#[derive(Debug)]
enum Place {
    /// The value of `key:`.
    Entry(String),
    /// A list item; `flow` when its neighbours are `{…}` mappings.
    Item { flow: bool },
}

/// The state of one edit: the values waiting to be written in the file's
/// layout where yaml-edit placed their markers. The layout is read from the
/// file only when something is inserted.
#[derive(Debug)]
struct Edit<'a> {
    /// The text as read.
    text: &'a str,
    /// A word that does not occur in the file; markers are `{salt}{n}`.
    salt: Option<String>,
    inserts: Vec<(String, Value, Place)>,
}

impl<'a> Edit<'a> {
    fn new(text: &'a str) -> Self {
        Edit {
            text,
            salt: None,
            inserts: Vec::new(),
        }
    }

    /// A placeholder node for `value`, to be written at `place` by [`Edit::fill`].
    fn marker(&mut self, value: &Value, place: Place) -> Result<YamlNode, String> {
        let text = self.text;
        let salt = self.salt.get_or_insert_with(|| {
            (0..)
                .map(|k| format!("okr-insert-{k}-"))
                .find(|s| !text.contains(s.as_str()))
                .unwrap_or_default()
        });
        let m = format!("{salt}{}", self.inserts.len());
        let node = yaml_node(&Value::String(m.clone()))?;
        self.inserts.push((m, value.clone(), place));
        Ok(node)
    }

    /// Replaces every marker in `text` by its value in the file's layout.
    fn fill(&self, mut text: String) -> Result<String, String> {
        if self.inserts.is_empty() {
            return Ok(text);
        }
        let layout = Layout::detect(self.text);
        for (m, value, place) in &self.inserts {
            let at = text
                .find(m.as_str())
                .ok_or_else(|| "an inserted value went missing".to_string())?;
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &text[line_start..at];
            let (from, with) = match place {
                Place::Item { flow } => {
                    let dash = prefix
                        .rfind('-')
                        .ok_or_else(|| "a list item lost its dash".to_string())?;
                    let lines = layout.item(value, dash, *flow)?;
                    (line_start, lines.join("\n"))
                }
                Place::Entry(key) => {
                    let head = prefix.trim_end();
                    let key_col = head
                        .strip_suffix(':')
                        .and_then(|h| h.strip_suffix(key.as_str()))
                        .map(str::len)
                        .ok_or_else(|| format!("the new key `{key}` is not where expected"))?;
                    let lines = layout.block(value, key_col)?;
                    (line_start + head.len(), format!("\n{}", lines.join("\n")))
                }
            };
            text.replace_range(from..at + m.len(), &with);
        }
        Ok(text)
    }
}

/// Makes `map` hold `new` where it held `old`; `root` for the top level,
/// whose keys keep the documented order.
fn sync_mapping(
    ed: &mut Edit,
    map: &Mapping,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    root: bool,
) -> Result<(), String> {
    for key in old.keys().filter(|k| !new.contains_key(*k)) {
        map.remove(key.as_str());
    }
    let order: Vec<&str> = new.keys().map(String::as_str).collect();
    for (key, new_val) in new {
        let old_val = old.get(key);
        if old_val == Some(new_val) {
            continue;
        }
        let node = map.get(key.as_str());
        match (old_val, new_val, node.as_ref()) {
            (Some(Value::Object(o)), Value::Object(n), Some(YamlNode::Mapping(m))) => {
                sync_mapping(ed, m, o, n, false)?;
            }
            (Some(Value::Array(o)), Value::Array(n), Some(YamlNode::Sequence(s)))
                if !o.is_empty() && !n.is_empty() && !s.is_empty() =>
            {
                sync_sequence(ed, s, o, n)?;
            }
            _ => set_value(ed, map, key, new_val, &order, root)?,
        }
    }
    Ok(())
}

/// Makes `seq` hold `new` where it held `old`.
fn sync_sequence(
    ed: &mut Edit,
    seq: &Sequence,
    old: &[Value],
    new: &[Value],
) -> Result<(), String> {
    if old.len() != seq.len() {
        return Err("a list in the file does not match what was read".to_string());
    }
    let old_ids: Vec<Option<&str>> = old.iter().map(id_of).collect();
    let new_ids: Vec<Option<&str>> = new.iter().map(id_of).collect();
    let keyed = old_ids.iter().chain(&new_ids).all(Option::is_some);
    if keyed {
        // Remove what is gone, from the back so indices stay valid.
        for i in (0..old.len()).rev() {
            if !new_ids.contains(&old_ids[i]) {
                seq.remove(i);
            }
        }
        let kept: Vec<usize> = (0..old.len())
            .filter(|i| new_ids.contains(&old_ids[*i]))
            .collect();
        let kept_ids: Vec<Option<&str>> = kept.iter().map(|i| old_ids[*i]).collect();
        let new_kept: Vec<Option<&str>> = new_ids
            .iter()
            .copied()
            .filter(|id| kept_ids.contains(id))
            .collect();
        if kept_ids != new_kept {
            return Err("items were reordered".to_string());
        }
        // Walk the new list; `pos` is the index in the (edited) sequence.
        for (pos, (id, item)) in new_ids.iter().zip(new).enumerate() {
            match old_ids.iter().position(|o| o == id) {
                Some(oi) => sync_item(ed, seq, pos, &old[oi], item)?,
                None => insert_item(ed, seq, pos, item)?,
            }
        }
        return Ok(());
    }
    if let Some(slots) = insertions(old, new) {
        // Only new items (a merged check-in between two of ours): insert
        // them where they go, so the existing items keep their lines and
        // comments.
        for (pos, item) in new.iter().enumerate() {
            if slots.contains(&pos) {
                insert_item(ed, seq, pos, item)?;
            }
        }
        return Ok(());
    }
    // Unkeyed (check-ins): keep the common head and tail, so removing or
    // changing one item touches only that item.
    let head = old.iter().zip(new).take_while(|(o, n)| o == n).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(o, n)| o == n)
        .count();
    let (old_mid, new_mid) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let common = old_mid.len().min(new_mid.len());
    for i in (head + common..head + old_mid.len()).rev() {
        seq.remove(i);
    }
    for i in 0..common {
        sync_item(ed, seq, head + i, &old_mid[i], &new_mid[i])?;
    }
    for (i, item) in new_mid.iter().enumerate().skip(common) {
        insert_item(ed, seq, head + i, item)?;
    }
    Ok(())
}

/// When `new` is `old` with items inserted (and nothing else changed), the
/// positions in `new` of the inserted items.
fn insertions(old: &[Value], new: &[Value]) -> Option<Vec<usize>> {
    if new.len() <= old.len() {
        return None;
    }
    let mut slots = Vec::new();
    let mut i = 0;
    for (pos, item) in new.iter().enumerate() {
        if i < old.len() && old[i] == *item {
            i += 1;
        } else {
            slots.push(pos);
        }
    }
    (i == old.len()).then_some(slots)
}

fn id_of(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str)
}

fn sync_item(
    ed: &mut Edit,
    seq: &Sequence,
    i: usize,
    old: &Value,
    new: &Value,
) -> Result<(), String> {
    if old == new {
        return Ok(());
    }
    match (old, new, seq.get(i)) {
        (Value::Object(o), Value::Object(n), Some(YamlNode::Mapping(m))) => {
            sync_mapping(ed, &m, o, n, false)
        }
        _ => {
            let node = yaml_node(new)?;
            seq.set(i, node);
            Ok(())
        }
    }
}

fn insert_item(ed: &mut Edit, seq: &Sequence, i: usize, item: &Value) -> Result<(), String> {
    let node = if is_block(item) && !seq.is_flow_style() {
        let neighbour = seq.get(i.saturating_sub(1)).or_else(|| seq.get(0));
        let flow = matches!(neighbour, Some(YamlNode::Mapping(m)) if m.is_flow_style());
        ed.marker(item, Place::Item { flow })?
    } else {
        yaml_node(item)?
    };
    if i >= seq.len() {
        seq.push(node);
    } else {
        seq.insert(i, node);
    }
    Ok(())
}

/// Sets `key` to `value`. A new key goes where the documented order puts it
/// at the top level; elsewhere a plain value goes after the last plain
/// field already there, and a list or mapping at the end.
fn set_value(
    ed: &mut Edit,
    map: &Mapping,
    key: &str,
    value: &Value,
    order: &[&str],
    root: bool,
) -> Result<(), String> {
    let block = is_block(value) && !map.is_flow_style();
    let node = if block {
        ed.marker(value, Place::Entry(key.to_string()))?
    } else {
        yaml_node(value)?
    };
    if map.contains_key(key) {
        map.set(key, node);
        return Ok(());
    }
    let last_plain = map
        .keys()
        .filter_map(|k| k.as_scalar().map(|s| s.as_string()))
        .filter(|k| {
            !matches!(
                map.get(k.as_str()),
                Some(YamlNode::Mapping(_) | YamlNode::Sequence(_))
            )
        })
        .last();
    match last_plain {
        Some(after) if !root && !block => {
            map.insert_after(after.as_str(), key, node);
        }
        _ if !root => map.set(key, node),
        _ => map.set_with_field_order(key, node, order.iter().copied()),
    }
    Ok(())
}

/// Renders a value as YAML (through serde-saphyr, so quoting is the same as
/// in newly written files) and parses it into a node yaml-edit can insert.
fn yaml_node(value: &Value) -> Result<YamlNode, String> {
    let text = indent::scalar_pair("v", value)?.join("\n") + "\n";
    let doc = YamlDoc::from_str(&text).map_err(|e| e.to_string())?;
    doc.as_mapping()
        .and_then(|m| m.get("v"))
        .ok_or_else(|| "could not render a value".to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::{CheckIn, CheckValue};

    const FOUR: &str = "\
version: 1
objectives:
    # c1
    - id: o
      title: O
      period: 2026-Q3
      key_results:
          - id: k
            title: K
            target: 10
            check_ins:
                - {date: 2026-08-01, value: 1}   # c2
                - {date: 2026-08-02, value: 2}
                - {date: 2026-08-03, value: 3}
          - id: m
            title: M
            target: 5
";

    fn doc(text: &str) -> Document {
        crate::store::parse::parse(std::path::Path::new("t.yaml"), text).unwrap()
    }

    fn edited(change: impl FnOnce(&mut Document)) -> String {
        let old = doc(FOUR);
        let mut new = old.clone();
        change(&mut new);
        let text = apply(FOUR, &old, &new).unwrap();
        assert_eq!(doc(&text), new, "reads back as intended:\n{text}");
        text
    }

    #[test]
    fn removing_a_middle_check_in_touches_only_its_line() {
        let text = edited(|d| {
            d.objectives[0].key_results[0].check_ins.remove(1);
        });
        assert_eq!(
            text,
            FOUR.replace("                - {date: 2026-08-02, value: 2}\n", "")
        );
    }

    #[test]
    fn a_new_list_and_a_new_field_follow_the_file() {
        let text = edited(|d| {
            let m = &mut d.objectives[0].key_results[1];
            m.owner = Some("dana".into());
            m.check_ins.push(CheckIn {
                date: chrono::NaiveDate::from_ymd_opt(2026, 8, 4).unwrap(),
                value: CheckValue::Number(4.0),
                confidence: None,
                note: None,
                author: None,
            });
        });
        assert!(
            text.ends_with(
                "            target: 5\n            owner: dana\n            check_ins:\n                - date: 2026-08-04\n                  value: 4\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn an_appended_item_takes_its_neighbours_flow_style() {
        let text = edited(|d| {
            let k = &mut d.objectives[0].key_results[0];
            k.check_ins.push(CheckIn {
                date: chrono::NaiveDate::from_ymd_opt(2026, 8, 4).unwrap(),
                value: CheckValue::Number(4.0),
                confidence: Some(0.5),
                note: Some("x: y".into()),
                author: None,
            });
        });
        assert!(
            text.contains(
                "                - {date: 2026-08-03, value: 3}\n                - {date: 2026-08-04, value: 4, confidence: 0.5, note: \"x: y\"}\n"
            ),
            "{text}"
        );
        assert!(text.contains("# c1") && text.contains("# c2"));
    }
}
