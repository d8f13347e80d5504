//! Appending check-ins by splicing text, the commonest write.
//!
//! The general editor ([`super::edit`]) reads the whole file into a concrete
//! syntax tree, edits it and prints the whole tree back; on a large file that
//! costs several times a plain parse. Appending a check-in needs none of it:
//! the new item's text goes at one byte offset, after the list's last item,
//! in the list's own style (block items with their indentation, flow items,
//! or a flow sequence), with the file's line endings.
//!
//! The place is found with one pass of the event parser (no tree, no
//! deserialisation), which stops as soon as every list it needs has ended.
//! The result is verified by parsing just the edited list, from its first
//! item through the inserted text, and comparing it with the intended
//! check-ins: the text around that range is the original text byte for byte,
//! so the rest of the document cannot have changed. Anything unexpected
//! (an alias, a tag, a list that does not exist yet, any other difference
//! between the models) returns `None` and the caller takes the general path.

use std::collections::BTreeMap;

use serde_json::Value;
use serde_saphyr::granit_parser::{Event, Options, Parser, StructureStyle};

use crate::model::{CheckIn, Document, KeyResult, Objective};

/// The new text of a file when `new` differs from `old` only by check-ins
/// appended to existing check-in lists; `None` when the general editor must
/// do the edit.
pub fn append(text: &str, old: &Document, new: &Document) -> Option<String> {
    let targets = appended(old, new)?;
    if targets.is_empty() {
        return None;
    }
    let lists = find_lists(text, &targets)?;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // Every piece is rendered from the original text first, so the new text
    // is built once at its final size: on a large file, growing a copy
    // would hold the old text, the copy and twice its size at once.
    let mut edits = Vec::with_capacity(lists.len());
    for (key, list) in &lists {
        let kr = &new.objectives[key.0].key_results[key.1];
        let old_len = old.objectives[key.0].key_results[key.1].check_ins.len();
        let (at, piece) = list.render(text, &kr.check_ins[old_len..], eol)?;
        edits.push((at, piece, list, &kr.check_ins));
    }
    edits.sort_by_key(|e| e.0);
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.1.len()).sum::<usize>());
    let mut from = 0;
    for (at, piece, ..) in &edits {
        out.push_str(text.get(from..*at)?);
        out.push_str(piece);
        from = *at;
    }
    out.push_str(text.get(from..)?);
    // Each list is read back from the new text: its own region, moved by
    // the pieces inserted before it (lists do not overlap).
    let mut shift = 0;
    for (at, piece, list, intended) in &edits {
        let start = list.first_item_line_start(text) + shift;
        let end = at + shift + piece.len();
        verify(&out, start, end, list, intended)?;
        shift += piece.len();
    }
    Some(out)
}

/// Which key results gained check-ins at the end of their lists, when that
/// is the only difference between the models.
fn appended(old: &Document, new: &Document) -> Option<Vec<(usize, usize)>> {
    if old.version != new.version
        || old.settings != new.settings
        || old.kpis != new.kpis
        || old.objectives.len() != new.objectives.len()
    {
        return None;
    }
    let mut targets = Vec::new();
    for (oi, (a, b)) in old.objectives.iter().zip(&new.objectives).enumerate() {
        if a == b {
            continue;
        }
        if a.key_results.len() != b.key_results.len() || !same_objective_fields(a, b) {
            return None;
        }
        for (ki, (ka, kb)) in a.key_results.iter().zip(&b.key_results).enumerate() {
            if ka == kb {
                continue;
            }
            let n = ka.check_ins.len();
            if n == 0 || kb.check_ins.len() <= n || kb.check_ins[..n] != ka.check_ins[..] {
                return None;
            }
            if !same_key_result_fields(ka, kb) {
                return None;
            }
            targets.push((oi, ki));
        }
    }
    Some(targets)
}

fn same_objective_fields(a: &Objective, b: &Objective) -> bool {
    let strip = |o: &Objective| Objective {
        key_results: Vec::new(),
        ..o.clone()
    };
    strip(a) == strip(b)
}

fn same_key_result_fields(a: &KeyResult, b: &KeyResult) -> bool {
    let strip = |k: &KeyResult| KeyResult {
        check_ins: Vec::new(),
        ..k.clone()
    };
    strip(a) == strip(b)
}

/// Where one check-in list sits in the text.
#[derive(Debug, Default)]
struct ListSpan {
    flow: bool,
    /// Byte offset of the first event of each item.
    items: Vec<usize>,
    /// Whether the last item is a flow mapping (block lists of `{...}`).
    last_item_flow: bool,
    /// End of the last byte of content inside the list.
    content_end: usize,
}

impl ListSpan {
    /// Where new text goes: after the `]`-side content of a flow list;
    /// for a block list, after the last line of its last item (lines
    /// indented deeper than its `-`), before any trailing comments.
    fn insert_at(&self, text: &str) -> Option<usize> {
        if self.flow {
            return Some(self.content_end);
        }
        let (dash, _) = self.indent(text)?;
        let last = *self.items.last()?;
        let line_end = |p: usize| text[p..].find('\n').map_or(text.len(), |i| p + i + 1);
        let mut accepted = line_end(last);
        let mut pos = accepted;
        while pos < text.len() {
            let end = line_end(pos);
            let line = &text[pos..end];
            let trimmed = line.trim_start_matches(' ');
            let body = trimmed.trim_end_matches(['\n', '\r']);
            if !body.is_empty() && !body.starts_with('#') {
                if line.len() - trimmed.len() <= dash {
                    break;
                }
                accepted = end;
            }
            pos = end;
        }
        Some(accepted)
    }

    /// Columns of the last item's `-` and of its content (block lists).
    fn indent(&self, text: &str) -> Option<(usize, usize)> {
        let last = *self.items.last()?;
        let line_start = text[..last].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..last];
        let dash = before.find('-')?;
        let spaces = |s: &str| s.bytes().all(|b| b == b' ');
        (spaces(&before[..dash]) && spaces(&before[dash + 1..])).then_some((dash, before.len()))
    }

    /// Start of the line of the first item (block) or of the `[` (flow).
    fn first_item_line_start(&self, text: &str) -> usize {
        let first = self.items.first().copied().unwrap_or(0);
        if self.flow {
            return text[..first].rfind('[').unwrap_or(first);
        }
        text[..first].rfind('\n').map_or(0, |i| i + 1)
    }

    /// The insertion offset and the text of `items` in this list's style.
    fn render(&self, text: &str, items: &[CheckIn], eol: &str) -> Option<(usize, String)> {
        let at = self.insert_at(text)?;
        if self.flow {
            let mut s = String::new();
            for c in items {
                s.push_str(", ");
                s.push_str(&flow_item(c)?);
            }
            return Some((at, s));
        }
        let (dash, content) = self.indent(text)?;
        let mut s = String::new();
        if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
            s.push_str(eol);
        }
        for c in items {
            s.push_str(&" ".repeat(dash));
            s.push('-');
            s.push_str(&" ".repeat(content - dash - 1));
            if self.last_item_flow {
                s.push_str(&flow_item(c)?);
                s.push_str(eol);
                continue;
            }
            let body = serde_saphyr::to_string(c).ok()?;
            // A date needs no quotes in this format (and has none in
            // hand-written files).
            let quoted = format!("date: \"{}\"", c.date);
            for (i, line) in body.lines().enumerate() {
                let line = if line == quoted { &quoted[..6] } else { line };
                let date = c.date.to_string();
                let line = if line == "date: " {
                    format!("date: {date}")
                } else {
                    line.to_string()
                };
                if i > 0 && !line.is_empty() {
                    s.push_str(&" ".repeat(content));
                }
                s.push_str(&line);
                s.push_str(eol);
            }
        }
        Some((at, s))
    }
}

/// One check-in as a flow mapping on one line: dates and `done`/`todo`
/// plain, numbers as numbers, every other string double-quoted (JSON string
/// syntax is valid YAML and safe inside `{...}`).
fn flow_item(c: &CheckIn) -> Option<String> {
    let Value::Object(map) = serde_json::to_value(c).ok()? else {
        return None;
    };
    let mut parts = Vec::new();
    for (k, v) in map {
        let v = match v {
            Value::String(s) if is_date(&s) || s == "done" || s == "todo" => s,
            Value::String(s) => serde_json::to_string(&s).ok()?,
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        parts.push(format!("{k}: {v}"));
    }
    Some(format!("{{{}}}", parts.join(", ")))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Parses the edited list alone and compares it with the intended check-ins.
fn verify(
    out: &str,
    start: usize,
    end: usize,
    list: &ListSpan,
    intended: &[CheckIn],
) -> Option<()> {
    let region = out.get(start..end)?;
    let parsed: Vec<CheckIn> = if list.flow {
        serde_saphyr::from_str(&format!("{}]", region)).ok()?
    } else {
        serde_saphyr::from_str(region).ok()?
    };
    (parsed == intended).then_some(())
}

/// One step of the path to the current node.
#[derive(Debug)]
enum Frame {
    Map { key: Option<String>, want_key: bool },
    Seq { next: usize },
}

/// Finds the check-in lists of `targets` (objective, key result) with one
/// pass of the event parser, stopping once all of them have ended.
fn find_lists(
    text: &str,
    targets: &[(usize, usize)],
) -> Option<BTreeMap<(usize, usize), ListSpan>> {
    let mut found: BTreeMap<(usize, usize), ListSpan> = BTreeMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    // The list being recorded: its key and the stack depth of its items.
    let mut current: Option<((usize, usize), usize)> = None;
    // Comments are not needed to find a place (a block list's end is found
    // from its lines); not emitting them spares the parser their bookkeeping.
    let mut options = Options::default();
    options.emit_comments = false;
    for ev in Parser::new_from_str_with_options(text, options) {
        let (event, span) = ev.ok()?;
        let start = span.start.byte_offset()?;
        let end = span.end.byte_offset()?;
        if let Some((key, depth)) = current {
            record(
                found.get_mut(&key)?,
                &event,
                text,
                start,
                end,
                stack.len(),
                depth,
            );
        }
        match event {
            Event::Alias(..) | Event::UnresolvedAlias(..) => return None,
            Event::Scalar(value, _, _, tag) => {
                if tag.is_some() {
                    return None;
                }
                match stack.last_mut() {
                    Some(Frame::Map { key, want_key }) if *want_key => {
                        *key = Some(value.into_owned());
                        *want_key = false;
                    }
                    _ => value_done(&mut stack),
                }
            }
            Event::SequenceStart(style, _, tag) => {
                if tag.is_some() {
                    return None;
                }
                if let Some(t) = target_at(&stack, targets) {
                    let flow = style == StructureStyle::Flow;
                    found.insert(
                        t,
                        ListSpan {
                            flow,
                            ..ListSpan::default()
                        },
                    );
                    current = Some((t, stack.len() + 1));
                }
                stack.push(Frame::Seq { next: 0 });
            }
            Event::MappingStart(_, _, tag) => {
                if tag.is_some() {
                    return None;
                }
                stack.push(Frame::Map {
                    key: None,
                    want_key: true,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
                if current.is_some_and(|(_, depth)| stack.len() + 1 == depth) {
                    current = None;
                    if found.len() == targets.len() {
                        return Some(found);
                    }
                }
                value_done(&mut stack);
            }
            _ => {}
        }
    }
    None
}

/// Notes an event inside a recorded list: item starts and the end of the
/// last real content (not the zero-width end of a block collection).
fn record(
    list: &mut ListSpan,
    event: &Event<'_>,
    text: &str,
    start: usize,
    end: usize,
    level: usize,
    depth: usize,
) {
    let is_node = matches!(
        event,
        Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..)
    );
    if is_node && level == depth {
        list.items.push(start);
        list.last_item_flow = matches!(event, Event::MappingStart(StructureStyle::Flow, ..));
    }
    let closing = matches!(event, Event::SequenceEnd | Event::MappingEnd);
    let own_end = matches!(event, Event::SequenceEnd) && level == depth;
    let flow_close = matches!(text.as_bytes().get(start), Some(b'}' | b']'));
    if !own_end && (!closing || flow_close) {
        list.content_end = list.content_end.max(end);
    }
}

/// A value ended: the mapping above wants a key again, the sequence above
/// moves to its next item.
fn value_done(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { want_key, .. }) => *want_key = true,
        Some(Frame::Seq { next }) => *next += 1,
        None => {}
    }
}

/// The target whose `check_ins` value is about to start, if any.
fn target_at(stack: &[Frame], targets: &[(usize, usize)]) -> Option<(usize, usize)> {
    let key = |f: &Frame, want: &str| matches!(f, Frame::Map { key: Some(k), .. } if k == want);
    let index = |f: &Frame| match f {
        Frame::Seq { next } => Some(*next),
        Frame::Map { .. } => None,
    };
    let [root, objs, obj, krs, kr] = stack else {
        return None;
    };
    if !(key(root, "objectives") && key(obj, "key_results") && key(kr, "check_ins")) {
        return None;
    }
    let t = (index(objs)?, index(krs)?);
    targets.contains(&t).then_some(t)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use chrono::NaiveDate;

    use super::*;
    use crate::model::CheckValue;
    use crate::store::parse::parse;

    const HEAD: &str = "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    key_results:\n      - id: k\n        title: K\n        target: 10\n";

    fn check_in(day: u32, note: Option<&str>) -> CheckIn {
        CheckIn {
            date: NaiveDate::from_ymd_opt(2026, 8, day).unwrap(),
            value: CheckValue::Number(f64::from(day)),
            confidence: Some(0.5),
            note: note.map(str::to_string),
            author: None,
        }
    }

    /// Appends one check-in to the first KR; returns the spliced text after
    /// checking that a full parse reads it back as the intended model.
    fn splice(text: &str, note: Option<&str>) -> String {
        let old = parse(Path::new("x.yaml"), text).unwrap();
        let mut new = old.clone();
        new.objectives[0].key_results[0]
            .check_ins
            .push(check_in(20, note));
        let out = append(text, &old, &new).expect("spliced");
        assert_eq!(parse(Path::new("x.yaml"), &out).unwrap(), new, "{out}");
        assert!(
            out.starts_with(
                HEAD.replace('\n', if text.contains('\r') { "\r\n" } else { "\n" })
                    .as_str()
            )
        );
        out
    }

    #[test]
    fn block_list_gets_a_block_item_at_its_end() {
        let text = format!(
            "{HEAD}        check_ins:\n          - date: 2026-08-01\n            value: 1\n      - id: k2\n        title: K2\n        target: 5\n"
        );
        let out = splice(&text, Some("launch: done # really"));
        assert_eq!(
            out,
            format!(
                "{HEAD}        check_ins:\n          - date: 2026-08-01\n            value: 1\n          - date: 2026-08-20\n            value: 20\n            confidence: 0.5\n            note: \"launch: done # really\"\n      - id: k2\n        title: K2\n        target: 5\n"
            )
        );
    }

    #[test]
    fn flow_sequence_gets_a_flow_item() {
        let text = format!("{HEAD}        check_ins: [{{date: 2026-08-01, value: 1}}]  # kept\n");
        let out = splice(&text, Some("a, b}"));
        assert_eq!(
            out,
            format!(
                "{HEAD}        check_ins: [{{date: 2026-08-01, value: 1}}, {{date: 2026-08-20, value: 20, confidence: 0.5, note: \"a, b}}\"}}]  # kept\n"
            )
        );
    }

    #[test]
    fn block_list_of_flow_items_gets_a_flow_item() {
        let text =
            format!("{HEAD}        check_ins:\n          - {{date: 2026-08-01, value: 1}}\n");
        let out = splice(&text, None);
        assert!(out.ends_with("  - {date: 2026-08-01, value: 1}\n          - {date: 2026-08-20, value: 20, confidence: 0.5}\n"), "{out}");
    }

    #[test]
    fn crlf_stays_crlf() {
        let text = format!(
            "{HEAD}        check_ins:\n          - date: 2026-08-01\n            value: 1\n"
        )
        .replace('\n', "\r\n");
        let out = splice(&text, None);
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(out.ends_with("value: 1\r\n          - date: 2026-08-20\r\n            value: 20\r\n            confidence: 0.5\r\n"), "{out:?}");
    }

    #[test]
    fn comment_after_the_last_check_in_stays_after_the_list() {
        let text = format!(
            "{HEAD}        check_ins:\n          - date: 2026-08-01\n            value: 1   # first\n          # more next week\n\n  - id: o2\n    title: O2\n    period: 2026-Q3\n"
        );
        let out = splice(&text, None);
        assert!(out.contains("value: 1   # first\n          - date: 2026-08-20\n            value: 20\n            confidence: 0.5\n          # more next week\n\n  - id: o2\n"), "{out}");
    }

    #[test]
    fn list_at_end_of_file_without_final_newline() {
        let text =
            format!("{HEAD}        check_ins:\n          - date: 2026-08-01\n            value: 1");
        let out = splice(&text, None);
        assert!(out.ends_with("value: 1\n          - date: 2026-08-20\n            value: 20\n            confidence: 0.5\n"), "{out:?}");
    }

    #[test]
    fn first_check_in_is_left_to_the_general_editor() {
        let text = HEAD.to_string();
        let old = parse(Path::new("x.yaml"), &text).unwrap();
        let mut new = old.clone();
        new.objectives[0].key_results[0]
            .check_ins
            .push(check_in(20, None));
        assert_eq!(append(&text, &old, &new), None);
        // And the workspace still writes it, through the general path.
        let ws =
            crate::store::Workspace::from_texts(Path::new("x.yaml"), vec![("x.yaml".into(), text)])
                .unwrap();
        let mut ws = ws;
        ws.files[0].doc = new.clone();
        let (_, out) = ws.pending_writes().unwrap().pop().unwrap();
        assert_eq!(parse(Path::new("x.yaml"), &out).unwrap(), new);
        assert!(out.starts_with(HEAD), "{out}");
    }

    #[test]
    fn other_changes_are_left_to_the_general_editor() {
        let text = format!(
            "{HEAD}        check_ins:\n          - date: 2026-08-01\n            value: 1\n"
        );
        let old = parse(Path::new("x.yaml"), &text).unwrap();
        let mut new = old.clone();
        new.objectives[0].key_results[0]
            .check_ins
            .push(check_in(20, None));
        new.objectives[0].title = "Changed".into();
        assert_eq!(append(&text, &old, &new), None);
        let mut new = old.clone();
        new.objectives[0].key_results[0].check_ins[0].value = CheckValue::Done;
        assert_eq!(append(&text, &old, &new), None);
    }

    #[test]
    fn the_right_list_among_many() {
        let mut text = String::from("version: 1\nobjectives:\n");
        for o in 0..3 {
            text.push_str(&format!(
                "  - id: o{o}\n    title: \"T: {o} # x\"\n    period: 2026-Q3\n    key_results:\n"
            ));
            for k in 0..3 {
                text.push_str(&format!("      - id: o{o}k{k}\n        title: K\n        target: 10\n        check_ins:\n          - {{date: 2026-08-01, value: 1, note: \"check_ins: [\"}}\n"));
            }
        }
        let old = parse(Path::new("x.yaml"), &text).unwrap();
        let mut new = old.clone();
        new.objectives[1].key_results[2]
            .check_ins
            .push(check_in(3, None));
        new.objectives[2].key_results[0]
            .check_ins
            .push(check_in(4, None));
        let out = append(&text, &old, &new).expect("spliced");
        assert_eq!(parse(Path::new("x.yaml"), &out).unwrap(), new);
        assert_eq!(
            out.len() - text.len(),
            2 * "          - {date: 2026-08-03, value: 3, confidence: 0.5}\n".len()
        );
    }

    #[test]
    fn two_lists_of_different_styles_in_one_write() {
        // The second list is read back at its place in the new text, moved
        // by the first list's piece: a wrong shift fails the verification.
        let text = format!(
            "{HEAD}        check_ins: [{{date: 2026-08-01, value: 1}}]\n      - id: k2\n        title: K2\n        target: 5\n        check_ins:\n          - date: 2026-08-02\n            value: 2\n"
        )
        .replace('\n', "\r\n");
        let old = parse(Path::new("x.yaml"), &text).unwrap();
        let mut new = old.clone();
        for k in 0..2 {
            new.objectives[0].key_results[k]
                .check_ins
                .push(check_in(7 + k as u32, Some("a: b")));
        }
        let out = append(&text, &old, &new).expect("spliced");
        assert_eq!(parse(Path::new("x.yaml"), &out).unwrap(), new, "{out}");
        assert!(
            out.contains(
                "value: 1}, {date: 2026-08-07, value: 7, confidence: 0.5, note: \"a: b\"}]\r\n"
            ),
            "{out:?}"
        );
        assert!(out.ends_with("value: 2\r\n          - date: 2026-08-08\r\n            value: 8\r\n            confidence: 0.5\r\n            note: \"a: b\"\r\n"), "{out:?}");
    }

    #[test]
    fn multi_line_flow_list_with_a_comment_after_its_last_item() {
        // The new item goes right after the last item, before its comma and
        // comment, not into the comment.
        let text = format!(
            "{HEAD}        check_ins: [\n          {{date: 2026-08-01, value: 1}},  # first\n        ]\n"
        );
        let out = splice(&text, None);
        assert!(
            out.ends_with(
                "value: 1}, {date: 2026-08-20, value: 20, confidence: 0.5},  # first\n        ]\n"
            ),
            "{out}"
        );
    }
}
