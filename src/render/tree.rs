//! `okr tree` for a terminal: one line per objective under its parent.
//!
//! Each line keeps its branch drawing, ID, progress and status whole; only
//! the title gives way (shortened with `…`) when the line would pass the
//! output width, and the `[level owner, period]` facts go before the title
//! is squeezed below a readable size.

use super::style::{paint, status_tone};
use super::text::sanitize;
use super::width::{text_width, truncate};
use super::{Style, percent};
use crate::model::tree::Node;

/// The narrowest a title is squeezed to before the facts are left out.
const MIN_TITLE: usize = 24;

/// The tree of `roots` as text; `own_rule` shows the children's mean
/// beside a parent (the `own` roll-up).
pub fn to_text(style: Style, roots: &[Node<'_>], own_rule: bool) -> String {
    let mut s = String::new();
    for r in roots {
        lines(style, &mut s, r, "", "", own_rule);
    }
    s
}

fn lines(style: Style, out: &mut String, n: &Node<'_>, prefix: &str, branch: &str, own_rule: bool) {
    let o = n.objective;
    let owner = o
        .owner
        .as_deref()
        .map(|w| format!(" {}", sanitize(w)))
        .unwrap_or_default();
    let beside = match (own_rule, n.children_progress) {
        (true, Some(c)) => format!("  (children {})", percent(c)),
        (false, _) if (n.rolled - n.own).abs() > 1e-9 => format!("  (own {})", percent(n.own)),
        _ => String::new(),
    };
    let head = format!("{prefix}{branch}{}  ", sanitize(&o.id));
    let mut facts = format!("  [{}{owner}, {}]", o.level, o.period);
    let pct = percent(n.rolled);
    let status = n.status.as_str();
    let tail = |facts: &str| format!("{facts}  {pct}  {status}{beside}");
    let mut title = sanitize(&o.title);
    if let Some(w) = style.width {
        let room = |facts: &str| w.saturating_sub(text_width(&head) + text_width(&tail(facts)));
        if room(&facts) < MIN_TITLE.min(text_width(&title)) {
            facts.clear();
        }
        title = truncate(&title, room(&facts).max(1));
    }
    let tone = status_tone(n.status).ansi();
    out.push_str(&format!(
        "{head}{title}{facts}  {}  {}{beside}\n",
        paint(style, tone, &pct),
        paint(style, tone, status)
    ));
    let child_prefix = format!(
        "{prefix}{}",
        match branch {
            "├── " => "│   ",
            "└── " => "    ",
            _ => "",
        }
    );
    for (i, c) in n.children.iter().enumerate() {
        let b = if i + 1 == n.children.len() {
            "└── "
        } else {
            "├── "
        };
        lines(style, out, c, &child_prefix, b, own_rule);
    }
}
