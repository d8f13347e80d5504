//! `okr report --format markdown`: for a wiki page or a pull request.
//!
//! A heading per objective and a table of its key results, progress as a
//! text bar in code spans (so it lines up in any font). Every piece of user
//! text is escaped: inline Markdown punctuation is backslash-escaped, `<`, `>` and
//! `&` become entities (so no raw HTML reaches the page), and control
//! characters are made visible.

use super::report::{
    Report, counts, filters_text, forecast_text, grade_text, kpi_text, objective_facts, span_text,
    trend_text,
};
use super::text::sanitize;
use super::{bar, percent};

const BAR_WIDTH: usize = 10;

/// Escapes user text for Markdown (inline, including table cells).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Inline emphasis, code, links, tables and strikethrough. Block
            // markers (`-`, `+`, `1.`, `#`) only act at the start of a line,
            // and user text never starts one here.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn progress(p: f64) -> String {
    format!("`{}` {}", bar(p, BAR_WIDTH), percent(p))
}

/// The report as Markdown.
pub fn render(r: &Report<'_>) -> String {
    let mut s = String::new();
    s.push_str(&format!("# OKR report, {}\n\n", r.as_of));
    let f = filters_text(&r.filters);
    if !f.is_empty() {
        s.push_str(&format!("Filters: {}\n\n", escape(&f)));
    }
    let sm = &r.summary;
    s.push_str("## Summary\n\n");
    s.push_str("| | Objectives | Key results | Average progress |\n|---|---:|---:|---|\n");
    s.push_str(&format!(
        "| All | {} | {} | {} |\n",
        sm.objectives,
        sm.key_results,
        progress(sm.average_progress)
    ));
    for (name, k) in [
        ("Committed", &sm.committed),
        ("Aspirational", &sm.aspirational),
    ] {
        s.push_str(&format!(
            "| {name} | {} | {} | {} |\n",
            k.objectives,
            k.key_results,
            progress(k.average_progress)
        ));
    }
    s.push('\n');
    if !sm.objectives_by_status.is_empty() {
        s.push_str(&format!(
            "Objectives by status: {}. Key results by status: {}.\n\n",
            escape(&counts(&sm.objectives_by_status)),
            escape(&counts(&sm.key_results_by_status))
        ));
    }
    s.push_str(&forecast_line(
        sm.forecast_reaching_target,
        sm.forecast_short_of_target,
        sm.without_forecast,
    ));
    let with_status = r.has_status();
    let with_grade = r.has_grade();
    for o in &r.objectives {
        s.push_str(&format!("\n## {}\n\n", escape(&o.objective.title)));
        let mut line = format!(
            "{} · progress {}",
            escape(&objective_facts(o)),
            progress(o.progress)
        );
        if let Some(st) = &o.status {
            line.push_str(&format!(" · status {}", escape(st)));
        }
        if let Some(g) = o.grade {
            line.push_str(&format!(" · grade {}", grade_text(g)));
        }
        s.push_str(&line);
        s.push_str("\n\n");
        if o.key_results.is_empty() {
            s.push_str("No key results.\n");
            continue;
        }
        let mut head = vec![
            "Key result",
            "Start → current → target",
            "Progress",
            "Attainment",
            "Confidence",
        ];
        if with_status {
            head.push("Status");
        }
        if with_grade {
            head.push("Grade");
        }
        head.extend(["Trend", "Forecast"]);
        s.push_str(&format!("| {} |\n", head.join(" | ")));
        let align: Vec<&str> = head
            .iter()
            .map(|h| {
                if matches!(*h, "Attainment" | "Confidence" | "Grade") {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        s.push_str(&format!("|{}|\n", align.join("|")));
        for k in &o.key_results {
            let mut title = format!("{} ({})", escape(&k.kr.title), escape(&k.kr.id));
            if k.kr.stretch {
                title.push_str(" *stretch*");
            }
            let mut cells = vec![
                title,
                escape(&span_text(k, "→")),
                progress(k.progress.progress),
                percent(k.progress.attainment),
                k.progress.confidence.map(percent).unwrap_or_default(),
            ];
            if with_status {
                cells.push(k.status.as_deref().map(escape).unwrap_or_default());
            }
            if with_grade {
                cells.push(k.grade.map(grade_text).unwrap_or_default());
            }
            cells.push(escape(&trend_text(k.trend.as_ref())));
            cells.push(escape(&forecast_text(&k.forecast, k.kr)));
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    if !r.kpis_out_of_range.is_empty() {
        s.push_str("\n## KPIs out of range\n\n");
        for k in &r.kpis_out_of_range {
            s.push_str(&format!("- {}\n", escape(&kpi_text(k))));
        }
    }
    s
}

/// `Forecast: 1 key result reaches its target, 2 fall short, 0 have too few
/// check-ins to forecast.`, in English for any counts.
fn forecast_line(reaching: usize, short: usize, without: usize) -> String {
    use super::plural::{count, noun_or};
    format!(
        "Forecast: {} {} target, {short} {} short, {without} {} too few check-ins to forecast.\n",
        count(reaching, "key result"),
        noun_or(reaching, "reaches its", "reach their"),
        noun_or(short, "falls", "fall"),
        noun_or(without, "has", "have"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<script>"), "&lt;script&gt;");
        assert_eq!(escape("*x*"), "\\*x\\*");
        assert_eq!(escape("\x1b[2J"), "\\\\e\\[2J");
    }
}
