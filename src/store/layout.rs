//! Pre-scans of a file's layout, run only after the YAML parser has failed.
//!
//! The parser reports a tab or a badly indented key where it noticed the
//! damage, which is often the line above (a tab ends the previous plain
//! scalar) or the start of the enclosing item (a key indented one space too
//! little silently ends a mapping). A plain scan of the lines finds the line
//! that is really wrong, so the error can point at it and say why.

/// A layout problem at a line, 1-based, with its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line that is wrong.
    pub line: usize,
    /// The column of the offending character.
    pub column: usize,
    /// What is wrong, as a sentence.
    pub message: String,
    /// How to fix it.
    pub hints: Vec<String>,
}

/// One line as the scan sees it.
struct Line<'a> {
    /// 1-based line number.
    no: usize,
    /// Leading spaces.
    indent: usize,
    /// The text after the indentation, without a trailing comment.
    body: &'a str,
}

/// The first line indented with a tab, outside block scalars.
pub fn tab_indent(text: &str) -> Option<Problem> {
    let mut block: Option<usize> = None;
    let mut prev: Option<(usize, usize, &str)> = None;
    for (i, raw) in text.lines().enumerate() {
        let lead: &str = &raw[..raw.len() - raw.trim_start_matches([' ', '\t']).len()];
        let rest = &raw[lead.len()..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if let Some(b) = block {
            // Inside a block scalar, a tab after the indentation is text.
            if raw.len() - raw.trim_start_matches(' ').len() > b {
                continue;
            }
            block = None;
        }
        if let Some(pos) = lead.find('\t') {
            let mut hint = "replace the tab with spaces".to_string();
            if let Some(h) = prev.and_then(|p| spaces_hint(p, strip_comment(rest))) {
                hint.push_str(&h);
            }
            hint.push_str(" (most editors can insert spaces when Tab is pressed)");
            return Some(Problem {
                line: i + 1,
                column: lead[..pos].chars().count() + 1,
                message: "indentation must use spaces: this line is indented with a tab".into(),
                hints: vec![hint],
            });
        }
        let body = strip_comment(rest);
        if opens_block_scalar(body) {
            block = Some(lead.len());
        }
        if key_of(body).is_some() {
            prev = Some((i + 1, lead.len(), body));
        }
    }
    None
}

/// How many spaces would fit a line after `prev` (line, indent, body): under
/// a `key:` that opens a block, or lined up with the key above.
fn spaces_hint((no, indent, body): (usize, usize, &str), this: &str) -> Option<String> {
    let key_col = indent + dash_content(body).unwrap_or(0);
    let above = key_of(body)?;
    if body.ends_with(':') {
        return Some(format!(
            ": {} spaces would put it under `{above}` on line {no}",
            key_col + 2
        ));
    }
    let col = if this.starts_with("- ") && body.starts_with("- ") {
        indent
    } else {
        key_col
    };
    Some(format!(
        ": {col} spaces would line it up with `{}` on line {no}",
        label(body)
    ))
}

/// The first key indented so that it lines up with no mapping above it, or
/// indented deeper than a key whose value is already on its line.
pub fn bad_indent(text: &str) -> Option<Problem> {
    // Columns (0-based) where a mapping or sequence is open, with the last
    // line seen there and its key.
    let mut open: Vec<Open<'_>> = vec![Open {
        col: 0,
        line: 0,
        key: "",
    }];
    let mut prev_opens = true;
    let mut prev: Option<Line<'_>> = None;
    for line in significant_lines(text) {
        let mut popped = None;
        while open.last().is_some_and(|o| o.col > line.indent) {
            popped = open.pop();
        }
        let top = open.last().copied().unwrap_or(Open {
            col: 0,
            line: 0,
            key: "",
        });
        if top.col < line.indent {
            if let Some(deeper) = popped {
                return Some(under_indented(&line, deeper, top));
            }
            if !prev_opens {
                if key_of(line.body).is_some() {
                    return prev.map(|p| over_indented(&line, &p));
                }
                // The continuation of a multi-line plain scalar.
                continue;
            }
            open.push(Open::at(&line, line.indent));
        } else if let Some(o) = open.last_mut() {
            *o = Open::at(&line, line.indent);
        }
        if let Some(col) = dash_content(line.body) {
            open.push(Open::at(&line, line.indent + col));
        }
        let body = line.body.trim_end();
        prev_opens = opens(body);
        prev = Some(line);
    }
    None
}

/// An open mapping or sequence: its column and the last line seen there.
#[derive(Debug, Clone, Copy)]
struct Open<'a> {
    col: usize,
    line: usize,
    key: &'a str,
}

impl<'a> Open<'a> {
    fn at(line: &Line<'a>, col: usize) -> Self {
        let key = if col == line.indent && line.body.starts_with('-') {
            "-"
        } else {
            key_of(line.body).unwrap_or("")
        };
        Open {
            col,
            line: line.no,
            key,
        }
    }

    fn describe(&self) -> String {
        match self.key {
            "" => format!("{} spaces like line {}", self.col, self.line),
            "-" => format!("{} spaces like the `-` on line {}", self.col, self.line),
            k => format!("{} spaces like `{k}` on line {}", self.col, self.line),
        }
    }
}

/// How a line is named in messages: `title`, or `- id` for a list item.
fn label(body: &str) -> String {
    match (key_of(body), body.starts_with("- ")) {
        (Some(k), true) => format!("- {k}"),
        (Some(k), false) => k.to_string(),
        (None, _) => "this line".to_string(),
    }
}

fn under_indented(line: &Line<'_>, deeper: Open<'_>, outer: Open<'_>) -> Problem {
    let key = label(line.body);
    let mut hint = format!(
        "keys of one mapping must line up: indent it {}",
        deeper.describe()
    );
    if outer.line > 0 {
        hint.push_str(&format!(", or {}", outer.describe()));
    }
    Problem {
        line: line.no,
        column: line.indent + 1,
        message: format!(
            "wrong indentation: `{key}` is indented {} spaces, which lines up with no key above it",
            line.indent
        ),
        hints: vec![hint],
    }
}

fn over_indented(line: &Line<'_>, prev: &Line<'_>) -> Problem {
    let key = label(line.body);
    let above = key_of(prev.body).unwrap_or("-");
    let above_col = prev.indent + dash_content(prev.body).unwrap_or(0);
    Problem {
        line: line.no,
        column: line.indent + 1,
        message: format!(
            "wrong indentation: `{key}` is indented {} spaces, more than `{above}` on line {} ({} spaces), which already has a value",
            line.indent, prev.no, above_col
        ),
        hints: vec![format!(
            "keys of one mapping must line up: indent `{key}` {above_col} spaces like `{above}`, or less to end that mapping"
        )],
    }
}

/// A `{` or `[` opened at or before `err_line` and never closed: the
/// parser reports where it noticed (often the next key, lines later); the
/// bracket is the place to fix.
pub fn unclosed_flow(text: &str, err_line: usize) -> Option<Problem> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        for (col, c) in strip_comment(raw).chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => open.push((i + 1, col + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    let &(line, column, c) = open.first().filter(|o| o.0 <= err_line)?;
    let close = if c == '{' { '}' } else { ']' };
    Some(Problem {
        line,
        column,
        message: format!(
            "this `{c}` is never closed: expected `,` or `{close}` before the line ends"
        ),
        hints: vec![format!(
            "close it with `{close}`, or write the items as indented lines instead"
        )],
    })
}

/// The line and column of the first key of the list item whose mapping
/// holds `line` (1-based), or `None` when it is not inside a list item.
pub fn item_start(text: &str, line: usize) -> Option<(usize, usize)> {
    let lines: Vec<Line<'_>> = significant_lines(text).filter(|l| l.no <= line).collect();
    let indent = lines.iter().rev().find(|l| l.no == line)?.indent;
    for l in lines.iter().rev() {
        if let Some(col) = dash_content(l.body)
            && l.indent + col == indent
        {
            return Some((l.no, indent + 1));
        }
        if l.indent < indent {
            return None;
        }
    }
    None
}

/// The key of the list an item (starting at `line`) belongs to:
/// `key_results` for a key result, say.
pub fn list_of(text: &str, line: usize) -> Option<&str> {
    let lines: Vec<Line<'_>> = significant_lines(text).filter(|l| l.no <= line).collect();
    let item = lines.iter().rev().find(|l| l.no == line)?;
    lines
        .iter()
        .rev()
        .skip(1)
        .find(|l| l.indent < item.indent || (l.indent == item.indent && l.body.ends_with(':')))
        .filter(|l| l.body.ends_with(':'))
        .and_then(|l| key_of(l.body))
}

/// Lines that carry structure: not blank, not comments, not the inside of a
/// block scalar or of a flow collection spread over several lines.
fn significant_lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut block: Option<usize> = None;
    let mut depth: i64 = 0;
    text.lines().enumerate().filter_map(move |(i, raw)| {
        let body = raw.trim_start_matches(' ');
        let indent = raw.len() - body.len();
        if body.trim().is_empty() {
            return None;
        }
        if let Some(b) = block {
            if indent > b {
                return None;
            }
            block = None;
        }
        let in_flow = depth > 0;
        depth += flow_depth_change(body);
        let body = strip_comment(body);
        if in_flow || body.is_empty() || body.starts_with('\t') || body == "---" || body == "..." {
            return None;
        }
        if opens_block_scalar(body) {
            block = Some(indent);
        }
        Some(Line {
            no: i + 1,
            indent,
            body,
        })
    })
}

/// The key a line starts with (`title` in `title: x`, `- id: a`).
fn key_of(body: &str) -> Option<&str> {
    let body = body.trim_start_matches("- ").trim_start();
    let end = body
        .find(": ")
        .or_else(|| body.ends_with(':').then(|| body.len() - 1))?;
    let key = body[..end].trim_end();
    let plain = !key.is_empty() && !key.starts_with(['{', '[', '#', '&', '*', '!']);
    plain.then_some(key)
}

/// Whether a line leaves its value to the lines below: `key:`, `-`, or
/// either followed only by an anchor or a tag (`- &base`, `key: !!map`).
fn opens(body: &str) -> bool {
    let mut b = body.trim_end();
    while let Some(i) = b.rfind(' ')
        && b[i + 1..].starts_with(['&', '!'])
    {
        b = b[..i].trim_end();
    }
    b.ends_with(':') || b == "-" || b.ends_with(" -")
}

/// For `- key: value` (or `-   key:`), the column of the key within the body.
fn dash_content(body: &str) -> Option<usize> {
    let rest = body.strip_prefix('-')?;
    let after = rest.trim_start_matches(' ');
    if after.is_empty() || after.len() == rest.len() {
        return None;
    }
    let col = body.len() - after.len();
    (key_of(after).is_some() || after.starts_with("- ")).then_some(col)
}

fn opens_block_scalar(body: &str) -> bool {
    let v = match body.rfind(": ") {
        Some(i) => body[i + 2..].trim(),
        None => body.strip_prefix("- ").unwrap_or("").trim(),
    };
    let mut chars = v.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '+' | '-' | '1'..='9'))
}

/// How much a line changes the depth of `[`/`{` outside quotes.
fn flow_depth_change(body: &str) -> i64 {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for c in strip_comment(body).chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// The line without a trailing ` # comment` (outside quotes), trimmed at the end.
fn strip_comment(body: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if prev == ' ' || prev == ':' => quote = Some(c),
            (None, '#') if prev == ' ' || prev == '\t' || i == 0 => {
                return body[..i].trim_end();
            }
            _ => {}
        }
        prev = c;
    }
    body.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_inside_quotes_is_text_and_after_them_a_comment() {
        assert_eq!(strip_comment(r#"title: "a # b""#), r#"title: "a # b""#);
        assert_eq!(strip_comment("title: 'a # b' # why"), "title: 'a # b'");
        assert_eq!(strip_comment("title: a#b # why"), "title: a#b");
        assert_eq!(strip_comment("# all comment"), "");
        // An apostrophe inside a word opens no quote; a quote right after
        // a colon does.
        assert_eq!(strip_comment("title: it's here # why"), "title: it's here");
        assert_eq!(strip_comment(r#"title:"a # b""#), r#"title:"a # b""#);
    }

    const GOOD: &str = "\
version: 1
objectives:
  - id: grow   # a comment
    title: Grow
    description: |
      A block scalar
        indented more, with\ttabs: and keys
    period: 2026-Q3
    key_results:
    - id: visitors
      title: A long title
        continued on the next line
      target: 100
      check_ins:
        - {date: 2026-08-01,
           value: 10}
  - id: second
    title: Second
";

    #[test]
    fn what_okr_writes_has_no_problem() {
        let t = "version: 1\nobjectives:\n  - id: grow\n    title: \"Grow: the audience, #1\"\n    description: |-\n      line one\n        indented: two\n      \tthree # not a comment\n    period: 2026-Q3\n    key_results:\n      - id: visitors\n        title: \"Visitors: \\\"all\\\"\"\n        target: 100\n";
        assert_eq!(tab_indent(t), None);
        assert_eq!(bad_indent(t), None);
    }

    #[test]
    fn the_examples_have_no_problem() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut stack = vec![dir];
        let mut n = 0;
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "yaml") {
                    let t = std::fs::read_to_string(&p).unwrap();
                    assert_eq!(bad_indent(&t), None, "{}", p.display());
                    assert_eq!(tab_indent(&t), None, "{}", p.display());
                    n += 1;
                }
            }
        }
        assert!(n >= 5);
    }

    #[test]
    fn anchors_tags_and_merge_keys_are_layout_too() {
        let t = "objectives:\n  - &base\n    id: grow\n    extra: !!map\n      a: 1\n  - <<: *base\n    id: more\n";
        assert_eq!(bad_indent(t), None);
    }

    #[test]
    fn a_good_file_has_no_problem() {
        assert_eq!(tab_indent(GOOD), None);
        assert_eq!(bad_indent(GOOD), None);
    }

    #[test]
    fn an_unclosed_bracket_is_found_where_it_opens() {
        let t = GOOD.replace("      target: 100", "      target: 100\n      check: {a: 1");
        let p = unclosed_flow(&t, 15).unwrap();
        assert_eq!((p.line, p.column), (14, 14), "{p:?}");
        assert!(p.message.starts_with("this `{` is never closed"), "{p:?}");
        assert_eq!(unclosed_flow(GOOD, 18), None);
        // Open at the error but closed later: not the problem.
        assert_eq!(unclosed_flow(GOOD, 15), None);
    }

    #[test]
    fn the_start_of_an_item_is_found() {
        assert_eq!(item_start(GOOD, 13), Some((10, 7)));
        assert_eq!(item_start(GOOD, 8), Some((3, 5)));
        assert_eq!(item_start(GOOD, 2), None);
        assert_eq!(list_of(GOOD, 10), Some("key_results"));
        assert_eq!(list_of(GOOD, 3), Some("objectives"));
        assert_eq!(list_of(GOOD, 15), Some("check_ins"));
    }

    #[test]
    fn a_tab_is_found_on_its_own_line() {
        let t = GOOD.replace("      target: 100", "\ttarget: 100");
        let p = tab_indent(&t).unwrap();
        assert_eq!((p.line, p.column), (13, 1));
        assert!(p.message.starts_with("indentation must use spaces"));
        assert!(
            p.hints[0].starts_with(
                "replace the tab with spaces: 6 spaces would line it up with `title` on line 11"
            ),
            "{p:?}"
        );
        let t = GOOD.replace("        - {date: 2026-08-01,", "\t- {date: 2026-08-01,");
        let p = tab_indent(&t).unwrap();
        assert!(
            p.hints[0].contains("8 spaces would put it under `check_ins` on line 14"),
            "{p:?}"
        );
        let t = GOOD.replace("      target: 100", "    \ttarget: 100");
        assert_eq!(tab_indent(&t).unwrap().column, 5);
    }

    #[test]
    fn a_key_indented_too_little_is_found() {
        let t = GOOD.replace("      target: 100", "     target: 100");
        let p = bad_indent(&t).unwrap();
        assert_eq!((p.line, p.column), (13, 6), "{p:?}");
        assert_eq!(
            p.message,
            "wrong indentation: `target` is indented 5 spaces, which lines up with no key above it"
        );
        assert_eq!(
            p.hints[0],
            "keys of one mapping must line up: indent it 6 spaces like `title` on line 11, or 4 spaces like the `-` on line 10"
        );
    }

    #[test]
    fn a_key_indented_too_much_is_found() {
        let t = GOOD.replace("    title: Second", "      title: Second");
        let p = bad_indent(&t).unwrap();
        assert_eq!((p.line, p.column), (18, 7), "{p:?}");
        assert_eq!(
            p.message,
            "wrong indentation: `title` is indented 6 spaces, more than `id` on line 17 (4 spaces), which already has a value"
        );
    }
}
