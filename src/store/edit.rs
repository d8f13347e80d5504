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
//! The caller ([`super::Workspace::save`]) re-reads the edited text and
//! refuses to write unless it parses as exactly the intended model; this
//! module only has to be right, not to prove it.

use std::str::FromStr;

use serde_json::{Map, Value};
use yaml_edit::{Document as YamlDoc, Mapping, Sequence, YamlFile, YamlNode};

use crate::model::Document;

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
    match (&old_v, &new_v) {
        (Value::Object(o), Value::Object(n)) => sync_mapping(&root, o, n)?,
        _ => return Err("the model is not a mapping".to_string()),
    }
    let mut out = file.to_string();
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

/// Makes `map` hold `new` where it held `old`.
fn sync_mapping(
    map: &Mapping,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
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
                sync_mapping(m, o, n)?;
            }
            (Some(Value::Array(o)), Value::Array(n), Some(YamlNode::Sequence(s)))
                if !o.is_empty() && !n.is_empty() && !s.is_empty() =>
            {
                sync_sequence(s, o, n)?;
            }
            _ => set_value(map, key, new_val, &order)?,
        }
    }
    Ok(())
}

/// Makes `seq` hold `new` where it held `old`.
fn sync_sequence(seq: &Sequence, old: &[Value], new: &[Value]) -> Result<(), String> {
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
                Some(oi) => sync_item(seq, pos, &old[oi], item)?,
                None => insert_item(seq, pos, item)?,
            }
        }
        return Ok(());
    }
    let common = old.len().min(new.len());
    for i in (new.len()..old.len()).rev() {
        seq.remove(i);
    }
    for i in 0..common {
        sync_item(seq, i, &old[i], &new[i])?;
    }
    for (i, item) in new.iter().enumerate().skip(common) {
        insert_item(seq, i, item)?;
    }
    Ok(())
}

fn id_of(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str)
}

fn sync_item(seq: &Sequence, i: usize, old: &Value, new: &Value) -> Result<(), String> {
    if old == new {
        return Ok(());
    }
    match (old, new, seq.get(i)) {
        (Value::Object(o), Value::Object(n), Some(YamlNode::Mapping(m))) => sync_mapping(&m, o, n),
        _ => {
            let node = yaml_node(new)?;
            seq.set(i, node);
            Ok(())
        }
    }
}

fn insert_item(seq: &Sequence, i: usize, item: &Value) -> Result<(), String> {
    let node = yaml_node(item)?;
    if i >= seq.len() {
        seq.push(node);
    } else {
        seq.insert(i, node);
    }
    Ok(())
}

/// Sets `key` to `value`, placing a new key where the canonical order puts it.
fn set_value(map: &Mapping, key: &str, value: &Value, order: &[&str]) -> Result<(), String> {
    let node = yaml_node(value)?;
    if map.contains_key(key) {
        map.set(key, node);
    } else {
        map.set_with_field_order(key, node, order.iter().copied());
    }
    Ok(())
}

/// Renders a value as YAML (through serde-saphyr, so quoting is the same as
/// in newly written files) and parses it into a node yaml-edit can insert.
fn yaml_node(value: &Value) -> Result<YamlNode, String> {
    let mut wrapper = Map::new();
    wrapper.insert("v".to_string(), value.clone());
    let text = serde_saphyr::to_string(&Value::Object(wrapper)).map_err(|e| e.to_string())?;
    let doc = YamlDoc::from_str(&text).map_err(|e| e.to_string())?;
    doc.as_mapping()
        .and_then(|m| m.get("v"))
        .ok_or_else(|| "could not render a value".to_string())
}
