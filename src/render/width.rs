//! How much room output has, and making tables fit it.
//!
//! A table read in an 80-column terminal must not shred IDs and statuses
//! into fragments: only free text (titles, notes, owners) may be wrapped at
//! word boundaries or shortened with `…`; IDs, statuses, numbers and dates
//! keep their whole width, and when even that is too much the least useful
//! columns are left out (`--wide` shows them all). The columns' widths are
//! decided here once and handed to comfy-table as absolute constraints, so
//! comfy-table only wraps and truncates within them.
//!
//! The width is the terminal's when stdout is one, else `COLUMNS` when set,
//! else unlimited. The pager (chosen in commands/prefs.rs) is used the
//! way git uses it: only on a terminal, only when the text is taller than
//! the screen.

use std::io::{self, IsTerminal, Write};
use std::process::{Command, Stdio};

use comfy_table::{
    Cell as TCell, CellAlignment, ColumnConstraint, ContentArrangement, LineStyle, Row, Table,
    TableStyle, Width,
};
use unicode_width::UnicodeWidthStr;

use super::Style;

/// The size of the terminal stdout is, or `None` when it is not one.
pub fn terminal_size() -> Option<(usize, usize)> {
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, h)| (w.0 as usize, h.0 as usize))
}

/// The width output may take: `None` for no limit.
///
/// `--wide` lifts the limit; on a terminal its width counts (`COLUMNS` when
/// its size cannot be read); elsewhere `COLUMNS` when it is set.
pub fn output_width(
    wide: bool,
    terminal: Option<(usize, usize)>,
    columns: Option<&str>,
) -> Option<usize> {
    if wide {
        return None;
    }
    let env = columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    match terminal {
        Some((w, _)) if w > 0 => Some(w),
        _ => env,
    }
}

/// Display width of `s` in terminal cells.
pub fn text_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// `s` shortened to `width` cells, ending in `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if UnicodeWidthStr::width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
    out.push('…');
    out
}

/// How a column may give up width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never narrower than its widest cell (IDs, statuses, numbers, dates).
    Keep,
    /// May break at spaces into two lines (`690,000 / 1,000,000 visitors`):
    /// never narrower than the widest half of a cell.
    Split,
    /// Free text wrapped at word boundaries, cut with `…` past the row's
    /// height; never narrower than `min`.
    Wrap(usize),
    /// Free text on one line, cut with `…`; never narrower than `min`.
    Cut(usize),
}

/// A column of a [`Grid`].
#[derive(Debug, Clone)]
pub struct Col {
    header: String,
    fit: Fit,
    hide: Option<u8>,
    right: bool,
    least: usize,
}

impl Col {
    /// A column with this header and fit.
    pub fn new(header: &str, fit: Fit) -> Col {
        Col {
            header: header.to_string(),
            fit,
            hide: None,
            right: false,
            least: 0,
        }
    }

    /// Never narrower than `n` cells, so that lists of fields line up
    /// from one view to the next.
    pub fn at_least(mut self, n: usize) -> Col {
        self.least = n;
        self
    }

    /// Left out when the table does not fit: rank 1 goes first.
    pub fn hide(mut self, rank: u8) -> Col {
        self.hide = Some(rank);
        self
    }

    /// Right-aligned (numbers).
    pub fn right(mut self) -> Col {
        self.right = true;
        self
    }
}

/// One cell: its text and, when coloured, its style.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    text: String,
    ansi: Option<anstyle::Style>,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ansi: None,
        }
    }

    /// The cell in `ansi` (drawn only when colour is on).
    pub fn styled(mut self, ansi: anstyle::Style) -> Cell {
        self.ansi = Some(ansi);
        self
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::new(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::new(s)
    }
}

/// A table that fits the output width: every terminal table in okr is one.
#[derive(Debug, Clone)]
pub struct Grid {
    style: Style,
    cols: Vec<Col>,
    rows: Vec<Vec<Cell>>,
    header: bool,
    max_lines: usize,
}

/// Cells a column takes beside its content: one space of padding before it
/// and the one-space junction after it.
const PAD: usize = 2;

impl Grid {
    /// A table with these columns and a header row.
    pub fn new(style: Style, cols: Vec<Col>) -> Grid {
        Grid {
            style,
            cols,
            rows: Vec::new(),
            header: true,
            max_lines: 2,
        }
    }

    /// No header row (key/value lists).
    pub fn without_header(mut self) -> Grid {
        self.header = false;
        self
    }

    /// At most `n` lines per row when the width is limited [default: 2].
    pub fn max_lines(mut self, n: usize) -> Grid {
        self.max_lines = n.max(1);
        self
    }

    /// Adds a row (missing cells are empty).
    pub fn row(&mut self, cells: Vec<Cell>) -> &mut Grid {
        self.rows.push(cells);
        self
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn cells(&self, i: usize) -> impl Iterator<Item = &str> {
        self.rows
            .iter()
            .map(move |r| r.get(i).map(|c| c.text.as_str()).unwrap_or(""))
    }

    /// Widest cell (or header word) of column `i`: what it needs on one line.
    fn need(&self, i: usize) -> usize {
        // A header may wrap at its spaces, so only its longest word counts.
        let body = self.cells(i).map(text_width).max().unwrap_or(0);
        let head = match self.cols[i].fit {
            Fit::Split if self.header => text_width(&self.cols[i].header),
            _ => self.header_word(i),
        };
        body.max(head).max(self.cols[i].least)
    }

    fn header_word(&self, i: usize) -> usize {
        if !self.header {
            return 0;
        }
        self.cols[i]
            .header
            .split_whitespace()
            .map(UnicodeWidthStr::width)
            .max()
            .unwrap_or(0)
    }

    /// The narrowest column `i` may be.
    fn min(&self, i: usize) -> usize {
        let need = self.need(i);
        let least = match self.cols[i].fit {
            Fit::Keep => need,
            // A split column keeps its header on one line: three lines of
            // header over two-line cells read badly.
            Fit::Split => self
                .cells(i)
                .flat_map(|c| c.lines())
                .map(half_width)
                .max()
                .unwrap_or(0)
                .max(if self.header {
                    text_width(&self.cols[i].header)
                } else {
                    0
                }),
            Fit::Wrap(m) | Fit::Cut(m) => m,
        };
        least
            .max(self.header_word(i))
            .max(self.cols[i].least)
            .min(need)
    }

    /// Column widths for `width`, `None` for a hidden column.
    fn widths(&self, width: usize) -> Vec<Option<usize>> {
        let n = self.cols.len();
        let need: Vec<usize> = (0..n).map(|i| self.need(i)).collect();
        let min: Vec<usize> = (0..n).map(|i| self.min(i)).collect();
        let mut shown = vec![true; n];
        let mut order: Vec<(u8, usize)> = (0..n)
            .filter_map(|i| self.cols[i].hide.map(|r| (r, i)))
            .collect();
        order.sort();
        let mut order = order.into_iter();
        loop {
            let vis: Vec<usize> = (0..n).filter(|&i| shown[i]).collect();
            let room = width.saturating_sub(PAD * vis.len());
            let total = |w: &[usize]| vis.iter().map(|&i| w[i]).sum::<usize>();
            if total(&need) <= room {
                return (0..n).map(|i| shown[i].then_some(need[i])).collect();
            }
            if total(&min) <= room {
                let w = (0..n).map(|i| shown[i].then_some(min[i])).collect();
                return self.grow(w, &need, room);
            }
            match order.next() {
                Some((_, i)) => shown[i] = false,
                None => return (0..n).map(|i| shown[i].then_some(min[i])).collect(),
            }
        }
    }

    /// Shares the room left over the minimum: split columns first (one
    /// line reads better), then free text in proportion to what it wants.
    fn grow(&self, mut w: Vec<Option<usize>>, need: &[usize], room: usize) -> Vec<Option<usize>> {
        let used = |w: &[Option<usize>]| w.iter().flatten().sum::<usize>();
        let mut spare = room.saturating_sub(used(&w));
        let free_min: usize = (0..w.len())
            .filter(|&i| matches!(self.cols[i].fit, Fit::Wrap(_) | Fit::Cut(_)))
            .filter_map(|i| w[i])
            .sum();
        for i in 0..w.len() {
            if let (Fit::Split, Some(cur)) = (self.cols[i].fit, w[i]) {
                let more = need[i] - cur;
                // Keep 16 cells of extra room for free text before widening.
                if spare >= more + 16.min(free_min) {
                    w[i] = Some(need[i]);
                    spare -= more;
                }
            }
        }
        let free: Vec<usize> = (0..w.len())
            .filter(|&i| matches!(self.cols[i].fit, Fit::Wrap(_) | Fit::Cut(_)) && w[i].is_some())
            .collect();
        let want: usize = free
            .iter()
            .map(|&i| need[i] - w[i].unwrap_or(0))
            .sum::<usize>()
            .max(1);
        let mut given = 0;
        for (k, &i) in free.iter().enumerate() {
            let cur = w[i].unwrap_or(0);
            let extra = if k + 1 == free.len() {
                spare - given
            } else {
                spare * (need[i] - cur) / want
            };
            let extra = extra.min(need[i] - cur);
            given += extra;
            w[i] = Some(cur + extra);
        }
        w
    }

    /// The table as text, each line ending in `\n`, fitted to the style's width.
    pub fn render(&self) -> String {
        let mut t = Table::new();
        t.load_style(
            TableStyle::new().header_separator(
                LineStyle::none()
                    .fill(if self.style.ascii { '-' } else { '─' })
                    .junction(' '),
            ),
        );
        t.set_truncation_indicator(if self.style.ascii { "..." } else { "…" });
        if self.style.color {
            // The style already weighed NO_COLOR and `--color`; crossterm
            // must not veto `--color always` by reading NO_COLOR again.
            crossterm::style::force_color_output(true);
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        let widths = match self.style.width {
            Some(w) => {
                t.set_content_arrangement(ContentArrangement::Dynamic);
                t.set_width(w.min(u16::MAX as usize) as u16);
                Some(self.widths(w))
            }
            None => {
                t.set_content_arrangement(ContentArrangement::Disabled);
                None
            }
        };
        if self.header {
            let bold = super::style::bold();
            t.set_header(self.cols.iter().map(|c| {
                let cell = TCell::new(&c.header);
                if self.style.color {
                    super::style::cell(cell, bold)
                } else {
                    cell
                }
            }));
        }
        for r in &self.rows {
            let mut row = Row::from(r.iter().enumerate().map(|(i, c)| {
                let text = match (self.cols.get(i).map(|c| c.fit), &widths) {
                    (Some(Fit::Cut(_)), Some(w)) => match w[i] {
                        Some(w) => c
                            .text
                            .lines()
                            .map(|l| truncate(l, w))
                            .collect::<Vec<_>>()
                            .join("\n"),
                        None => c.text.clone(),
                    },
                    _ => c.text.clone(),
                };
                let mut cell = TCell::new(text);
                if self.cols.get(i).is_some_and(|c| c.right) {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                match (c.ansi, self.style.color) {
                    (Some(a), true) => super::style::cell(cell, a),
                    _ => cell,
                }
            }));
            if widths.is_some() {
                row.max_height(self.max_lines);
            }
            t.add_row(row);
        }
        for (col, c) in t.column_iter_mut().zip(&self.cols) {
            col.set_padding((1, 0));
            if c.least > 0 && widths.is_none() {
                let w = (c.least + 1).min(u16::MAX as usize) as u16;
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
            }
        }
        if let Some(w) = &widths {
            for (i, col) in t.column_iter_mut().enumerate() {
                col.set_constraint(match w.get(i).copied().flatten() {
                    Some(w) => ColumnConstraint::Absolute(Width::Fixed(
                        (w + 1).min(u16::MAX as usize) as u16,
                    )),
                    None => ColumnConstraint::Hidden,
                });
            }
        }
        let mut s = String::new();
        for line in t.lines() {
            s.push_str(&trim_end_styled(&line));
            s.push('\n');
        }
        s
    }
}

/// `line` without trailing spaces, also those inside a closing colour
/// sequence (a coloured last cell is padded before its reset), so that
/// colour never changes what a line holds.
fn trim_end_styled(line: &str) -> String {
    let mut rest = line.trim_end();
    let mut tail = Vec::new();
    while let Some(i) = rest.rfind('\x1b') {
        let esc = &rest[i..];
        let params = esc.strip_prefix("\x1b[").and_then(|e| e.strip_suffix('m'));
        if !params.is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit() || b == b';')) {
            break;
        }
        tail.push(esc);
        rest = rest[..i].trim_end();
    }
    let mut out = rest.to_string();
    out.extend(tail.into_iter().rev());
    out
}

/// Width of the wider half when `s` breaks at the space nearest its middle
/// (or its only word).
fn half_width(s: &str) -> usize {
    let total = UnicodeWidthStr::width(s);
    let best = s
        .match_indices(' ')
        .map(|(i, _)| {
            let (a, b) = (s[..i].trim_end(), s[i..].trim_start());
            UnicodeWidthStr::width(a).max(UnicodeWidthStr::width(b))
        })
        .min();
    best.unwrap_or(total)
}

/// Whether text of `lines` lines should go through the pager: only on a
/// terminal of `rows` rows that it overflows, and not with `--no-pager`.
pub fn should_page(no_pager: bool, terminal: Option<(usize, usize)>, lines: usize) -> bool {
    !no_pager && terminal.is_some_and(|(_, rows)| rows > 0 && lines >= rows)
}

/// Shows `text` through `command` (run by `sh -c`, as git does) and waits
/// for it. Falls back to printing it when the pager cannot start or does
/// not exist.
pub fn page(command: &str, text: &[u8]) -> io::Result<()> {
    let child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env(
            "LESS",
            std::env::var("LESS").unwrap_or_else(|_| "FRX".into()),
        )
        .stdin(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(_) => return io::stdout().write_all(text),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The reader quitting early (`q` in less) is not an error.
        match stdin.write_all(text) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    // 127: the shell found no such pager; show the text rather than lose it.
    if child.wait()?.code() == Some(127) {
        return io::stdout().write_all(text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(width: Option<usize>) -> Style {
        Style {
            color: false,
            ascii: false,
            width,
        }
    }

    fn sample(width: Option<usize>) -> String {
        let mut g = Grid::new(
            style(width),
            vec![
                Col::new("ID", Fit::Keep),
                Col::new("Title", Fit::Wrap(12)),
                Col::new("Owner", Fit::Cut(6)).hide(2),
                Col::new("Current / target", Fit::Split),
                Col::new("Last check-in", Fit::Keep).hide(1),
            ],
        );
        g.row(vec![
            "recommendation-score".into(),
            "Recommendation score of 8 or higher in the quarterly survey of every customer".into(),
            "customer-experience".into(),
            "690,000 / 1,000,000 visitors".into(),
            "2026-11-20".into(),
        ]);
        g.render()
    }

    #[test]
    fn width_comes_from_the_terminal_then_columns() {
        assert_eq!(output_width(false, Some((80, 24)), Some("120")), Some(80));
        assert_eq!(output_width(false, None, Some("120")), Some(120));
        assert_eq!(output_width(false, None, Some("x")), None);
        assert_eq!(output_width(false, None, None), None);
        assert_eq!(output_width(true, Some((80, 24)), Some("100")), None);
    }

    #[test]
    fn a_narrow_table_keeps_ids_whole_and_fits() {
        for w in [56, 60, 80, 100] {
            let s = sample(Some(w));
            for line in s.lines() {
                assert!(text_width(line) <= w, "{w}: {line:?}\n{s}");
            }
            assert!(s.contains("recommendation-score"), "{w}:\n{s}");
            assert!(s.contains("1,000,000"), "{w}:\n{s}");
            let body = s.lines().skip_while(|l| !l.starts_with('─')).skip(1);
            assert!(body.count() <= 2, "{w}:\n{s}");
        }
    }

    #[test]
    fn unlimited_width_shows_everything_on_one_line() {
        let s = sample(None);
        assert_eq!(s.lines().count(), 3, "{s}");
        assert!(s.contains("every customer") && s.contains("customer-experience"));
    }

    #[test]
    fn free_text_is_cut_with_an_ellipsis() {
        assert_eq!(truncate("customer-experience", 9), "customer…");
        assert_eq!(truncate("short", 9), "short");
        let s = sample(Some(60));
        assert!(s.contains('…'), "{s}");
    }

    #[test]
    fn trailing_spaces_go_also_inside_colour() {
        assert_eq!(
            trim_end_styled("a \x1b[31m b   \x1b[0m  "),
            "a \x1b[31m b\x1b[0m"
        );
        assert_eq!(trim_end_styled("x  \x1b[39m\x1b[0m"), "x\x1b[39m\x1b[0m");
        assert_eq!(trim_end_styled("plain  "), "plain");
    }

    #[test]
    fn the_pager_is_used_only_on_an_overflowing_terminal() {
        assert!(should_page(false, Some((80, 24)), 30));
        assert!(!should_page(false, Some((80, 24)), 10));
        assert!(!should_page(true, Some((80, 24)), 30));
        assert!(!should_page(false, None, 300));
    }
}
