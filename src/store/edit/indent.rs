//! The layout of text the store writes into an existing file.
//!
//! yaml-edit keeps what is there, but nests what it inserts by its own rule
//! (two spaces under the key). People indent lists their own way
//! (`key:\n- a`, `key:\n  - a`, `key:\n    - a`), so new lists and items
//! follow the file instead: [`Layout::detect`] reads the indentation the
//! file already uses, and [`Layout::item`] / [`Layout::block`] write a value
//! in it. New mappings put their plain fields first and their lists last,
//! so `rolled_from:` sits with the other fields, not after the key results.

use serde_json::{Map, Value};

/// How a file indents nested blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Columns from a key to the keys of the mapping under it.
    pub map: usize,
    /// Columns from a key to the `-` of the list under it (0 is allowed).
    pub seq: usize,
}

impl Default for Layout {
    /// What `okr init` writes: two spaces for both.
    fn default() -> Self {
        Layout { map: 2, seq: 2 }
    }
}

/// Leading spaces of a line.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A line that holds nothing: blank or only a comment.
fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The column of the key of a `key:` line that opens a block, if it is one.
fn opening_key(line: &str) -> Option<usize> {
    let t = line.trim_start_matches(' ');
    let (col, rest) = match t.strip_prefix("- ") {
        Some(r) => (
            indent(line) + 2 + (r.len() - r.trim_start().len()),
            r.trim_start(),
        ),
        None => (indent(line), t),
    };
    let rest = match rest.find(" #") {
        Some(i) => &rest[..i],
        None => rest,
    };
    let key = rest.trim_end().strip_suffix(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then_some(col)
}

impl Layout {
    /// The indentation `text` uses most: for mappings and for lists under a
    /// key, each counted over every block the file opens. Ties go to the
    /// first seen; a file without nested blocks gets the default.
    pub fn detect(text: &str) -> Layout {
        let lines: Vec<&str> = text.lines().filter(|l| !is_blank(l)).collect();
        let mut maps: Vec<(usize, usize)> = Vec::new();
        let mut seqs: Vec<(usize, usize)> = Vec::new();
        for pair in lines.windows(2) {
            let Some(col) = opening_key(pair[0]) else {
                continue;
            };
            let next = indent(pair[1]);
            let is_item = pair[1].trim_start().starts_with('-');
            let (counts, step) = match (is_item, next.checked_sub(col)) {
                (true, Some(step)) => (&mut seqs, step),
                (false, Some(step)) if step > 0 => (&mut maps, step),
                _ => continue,
            };
            match counts.iter_mut().find(|(s, _)| *s == step) {
                Some((_, n)) => *n += 1,
                None => counts.push((step, 1)),
            }
        }
        let most = |v: &[(usize, usize)], default: usize| {
            v.iter()
                .enumerate()
                .max_by_key(|(i, (_, n))| (*n, std::cmp::Reverse(*i)))
                .map_or(default, |(_, (s, _))| *s)
        };
        let d = Layout::default();
        Layout {
            map: most(&maps, d.map),
            seq: most(&seqs, d.seq),
        }
    }

    /// The lines of `value` as the value of a key at column `key_col`
    /// (without the key's own line), for a non-empty mapping or list.
    pub fn block(&self, value: &Value, key_col: usize) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        match value {
            Value::Object(m) => self.mapping(m, key_col + self.map, &mut out)?,
            Value::Array(a) => self.sequence(a, key_col + self.seq, false, &mut out)?,
            _ => return Err("not a block value".to_string()),
        }
        Ok(out)
    }

    /// The lines of one list item whose `-` is at column `dash`; `flow`
    /// writes a mapping of plain values as `{k: v, …}` on one line, like
    /// neighbouring items written that way.
    pub fn item(&self, value: &Value, dash: usize, flow: bool) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        self.sequence(std::slice::from_ref(value), dash, flow, &mut out)?;
        Ok(out)
    }

    fn mapping(
        &self,
        m: &Map<String, Value>,
        col: usize,
        out: &mut Vec<String>,
    ) -> Result<(), String> {
        let pad = " ".repeat(col);
        let (plain, blocks): (Vec<_>, Vec<_>) = m.iter().partition(|(_, v)| !is_block(v));
        for (k, v) in plain {
            let lines = scalar_pair(k, v)?;
            for (i, l) in lines.iter().enumerate() {
                out.push(if i > 0 && l.is_empty() {
                    String::new()
                } else {
                    format!("{pad}{l}")
                });
            }
        }
        for (k, v) in blocks {
            out.push(format!("{pad}{k}:"));
            out.extend(self.block(v, col)?);
        }
        Ok(())
    }

    fn sequence(
        &self,
        items: &[Value],
        dash: usize,
        flow: bool,
        out: &mut Vec<String>,
    ) -> Result<(), String> {
        let pad = " ".repeat(dash);
        for item in items {
            let mut sub = Vec::new();
            match item {
                Value::Object(m) if flow && !m.is_empty() && m.values().all(|v| !is_block(v)) => {
                    out.push(format!("{pad}- {}", flow_mapping(m)?));
                    continue;
                }
                Value::Object(m) if !m.is_empty() => self.mapping(m, dash + 2, &mut sub)?,
                Value::Array(a) if !a.is_empty() => self.sequence(a, dash + 2, flow, &mut sub)?,
                v => {
                    let lines = scalar_pair("v", v)?;
                    let inner = " ".repeat(dash + 2);
                    for (i, l) in lines.iter().enumerate() {
                        sub.push(match i {
                            0 => format!("{inner}{}", l.trim_start_matches("v:").trim_start()),
                            _ if l.is_empty() => String::new(),
                            _ => format!("{}{l}", " ".repeat(dash)),
                        });
                    }
                }
            }
            if let Some(first) = sub.first_mut() {
                let rest = first.get(dash + 2..).unwrap_or(first.trim_start());
                *first = format!("{pad}- {rest}");
            }
            out.extend(sub);
        }
        Ok(())
    }
}

/// Whether a value is written as an indented block (a non-empty mapping or list).
pub fn is_block(v: &Value) -> bool {
    match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

/// A `YYYY-MM-DD` date, written plain as people type it (serde-saphyr
/// quotes strings that look like dates).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// `key: value` through serde-saphyr (so quoting and block scalars are as
/// in new files), as lines relative to the key's column.
pub fn scalar_pair(key: &str, value: &Value) -> Result<Vec<String>, String> {
    if let Value::String(s) = value
        && is_date(s)
    {
        return Ok(vec![format!("{key}: {s}")]);
    }
    let mut m = Map::new();
    m.insert(key.to_string(), value.clone());
    let text = serde_saphyr::to_string(&Value::Object(m)).map_err(|e| e.to_string())?;
    Ok(text.lines().map(str::to_string).collect())
}

/// `{k: v, …}` of plain values, quoted where a flow mapping needs it.
fn flow_mapping(m: &Map<String, Value>) -> Result<String, String> {
    let mut parts = Vec::new();
    for (k, v) in m {
        let text = match v {
            Value::String(s) => flow_string(s)?,
            Value::Null => "null".to_string(),
            v => v.to_string(),
        };
        parts.push(format!("{k}: {text}"));
    }
    Ok(format!("{{{}}}", parts.join(", ")))
}

fn flow_string(s: &str) -> Result<String, String> {
    if is_date(s) {
        return Ok(s.to_string());
    }
    let lines = scalar_pair("v", &Value::String(s.to_string()))?;
    let plain = match lines.as_slice() {
        [one] => one.strip_prefix("v: ").filter(|p| *p == s),
        _ => None,
    };
    let flow_safe = !s.contains([',', '[', ']', '{', '}', '#']) && !s.contains(": ");
    Ok(match plain {
        Some(p) if flow_safe => p.to_string(),
        _ => Value::String(s.to_string()).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn detects_the_indentation_a_file_uses() {
        let four = "objectives:\n    # c\n    - id: a\n      key_results:\n          - id: b\n            x:\n                y: 1\n";
        assert_eq!(Layout::detect(four), Layout { map: 4, seq: 4 });
        let flush = "objectives:\n- id: a\n  key_results:\n  - id: b\n";
        assert_eq!(Layout::detect(flush).seq, 0);
        assert_eq!(Layout::detect("version: 1\n"), Layout::default());
    }

    #[test]
    fn writes_plain_fields_before_lists_in_the_files_layout() {
        let v = json!({"id": "o", "key_results": [{"id": "k", "title": "K"}], "rolled_from": "p"});
        let l = Layout { map: 4, seq: 4 };
        assert_eq!(
            l.item(&v, 4, false).unwrap(),
            [
                "    - id: o",
                "      rolled_from: p",
                "      key_results:",
                "          - id: k",
                "            title: K",
            ]
        );
        let l = Layout { map: 2, seq: 0 };
        assert_eq!(
            l.block(&json!([{"id": "u", "title": "U"}]), 0).unwrap(),
            ["- id: u", "  title: U"]
        );
    }

    #[test]
    fn flow_items_quote_what_a_flow_mapping_needs() {
        let v = json!({"date": "2026-08-15", "value": 3, "note": "a, b"});
        assert_eq!(
            Layout::default().item(&v, 2, true).unwrap(),
            ["  - {date: 2026-08-15, value: 3, note: \"a, b\"}"]
        );
    }
}
