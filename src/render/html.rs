//! `okr report --format html`: one self-contained page.
//!
//! Everything is inline: the styles, and for each key result a small SVG
//! chart of its check-ins against the pace line and the target. There is no
//! script, no font, no image and no link to fetch, and a Content Security
//! Policy forbids loading anything, so the page opens offline and prints
//! as it shows. Every piece of user text is escaped (after control
//! characters are made visible), so nothing from a file becomes markup.

use std::fmt::Write;

use chrono::NaiveDate;

use super::history::pace_value;
use super::percent;
use super::report::{
    KrView, ObjectiveView, Report, counts, filters_text, forecast_text, grade_text, kpi_text,
    objective_facts, short_number, span_text, trend_text,
};
use super::text::sanitize;
use crate::model::forecast::day_of;
use crate::model::history;
use crate::model::{Measure, format_number};

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
  --green: #1a7f37; --yellow: #bf8700; --red: #cf222e; --grey: #8c959f; --blue: #0969da; --orange: #bc4c00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: var(--ink); background: var(--bg); margin: 0 auto; padding: 24px; max-width: 1100px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 4px; }
.muted { color: var(--muted); }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin: 16px 0 24px; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .n { font-size: 22px; font-weight: 600; }
.objective { border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 0 0 20px; break-inside: avoid; }
.bar { display: inline-block; width: 120px; height: 10px; background: #eaeef2; border-radius: 5px; overflow: hidden; vertical-align: middle; }
.bar > span { display: block; height: 100%; }
.s-green { background: var(--green); } .s-yellow { background: var(--yellow); } .s-red { background: var(--red); } .s-grey { background: var(--grey); }
.t-green { color: var(--green); } .t-yellow { color: var(--yellow); } .t-red { color: var(--red); } .t-grey { color: var(--grey); }
table { border-collapse: collapse; width: 100%; margin: 12px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: var(--soft); }
td.num { text-align: right; white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px; break-inside: avoid; }
figcaption { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
svg { display: block; width: 100%; height: auto; }
svg text { font: 10px system-ui, sans-serif; fill: var(--muted); }
.legend { font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 14px; height: 0; border-top: 2px solid; vertical-align: middle; margin: 0 4px 0 10px; }
@media print { body { padding: 0; max-width: none; } .objective, figure { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#;

/// The CSS class of a status: the same tone as on a terminal
/// (render::style); none without a status.
fn band_class(status: Option<&str>) -> &'static str {
    status.map_or("s-grey", |s| super::style::status_name_tone(s).css_class())
}

/// A status in its tone's text colour (`t-…`, the same tone as the bar).
fn status_html(st: &str) -> String {
    let class = super::style::status_name_tone(st)
        .css_class()
        .replacen("s-", "t-", 1);
    format!("<span class=\"{class}\">{}</span>", escape(st))
}

/// A grade in its band's text colour.
fn grade_html(g: f64) -> String {
    let class = super::style::grade_tone(g)
        .css_class()
        .replacen("s-", "t-", 1);
    format!("<span class=\"{class}\">{}</span>", escape(&grade_text(g)))
}

fn bar(status: Option<&str>, p: f64) -> String {
    let p = p.clamp(0.0, 1.0);
    format!(
        r#"<span class="bar" role="img" aria-label="{pc}"><span class="{}" style="width:{:.1}%"></span></span> {pc}"#,
        band_class(status),
        p * 100.0,
        pc = percent(p)
    )
}

/// The report as one HTML page.
pub fn render(r: &Report<'_>) -> String {
    let mut s = String::new();
    let title = format!("OKR report, {}", r.as_of);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"generator\" content=\"okr\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let _ = writeln!(
        s,
        "<header>\n<h1>OKR report</h1>\n<p class=\"muted\">As of {}",
        r.as_of
    );
    let f = filters_text(&r.filters);
    if !f.is_empty() {
        let _ = write!(s, " · {}", escape(&f));
    }
    s.push_str("</p>\n</header>\n");
    summary(&mut s, r);
    for o in &r.objectives {
        objective(&mut s, r, o);
    }
    if !r.kpis_out_of_range.is_empty() {
        s.push_str("<section class=\"objective\">\n<h2>KPIs out of range</h2>\n<ul>\n");
        for k in &r.kpis_out_of_range {
            let _ = writeln!(s, "<li>{}</li>", escape(&kpi_text(k)));
        }
        s.push_str("</ul>\n</section>\n");
    }
    if r.objectives.is_empty() {
        s.push_str("<p>No objectives match.</p>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

fn summary(s: &mut String, r: &Report<'_>) {
    let sm = &r.summary;
    s.push_str("<section class=\"summary\" aria-label=\"Summary\">\n");
    let card = |s: &mut String, label: &str, n: String, more: String| {
        let _ = writeln!(
            s,
            "<div class=\"card\"><div class=\"muted\">{label}</div><div class=\"n\">{n}</div><div class=\"muted\">{more}</div></div>"
        );
    };
    card(
        s,
        "Objectives",
        sm.objectives.to_string(),
        super::plural::count(sm.key_results, "key result"),
    );
    card(
        s,
        "Average progress",
        bar(None, sm.average_progress),
        String::new(),
    );
    card(
        s,
        "Committed",
        sm.committed.objectives.to_string(),
        format!("average {}", percent(sm.committed.average_progress)),
    );
    card(
        s,
        "Aspirational",
        sm.aspirational.objectives.to_string(),
        format!("average {}", percent(sm.aspirational.average_progress)),
    );
    card(
        s,
        "Forecast",
        format!("{} reach target", sm.forecast_reaching_target),
        format!(
            "{} short, {} without forecast",
            sm.forecast_short_of_target, sm.without_forecast
        ),
    );
    if !sm.objectives_by_status.is_empty() {
        card(
            s,
            "By status",
            String::new(),
            format!(
                "objectives: {}<br>key results: {}",
                escape(&counts(&sm.objectives_by_status)),
                escape(&counts(&sm.key_results_by_status))
            ),
        );
    }
    s.push_str("</section>\n");
}

fn objective(s: &mut String, r: &Report<'_>, o: &ObjectiveView<'_>) {
    let _ = writeln!(
        s,
        "<section class=\"objective\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>",
        escape(&o.objective.title),
        escape(&objective_facts(o))
    );
    let mut line = format!("<p>Progress {}", bar(o.status.as_deref(), o.progress));
    if let Some(st) = &o.status {
        let _ = write!(line, " · status <strong>{}</strong>", status_html(st));
    }
    if let Some(g) = o.grade {
        let _ = write!(line, " · grade {}", grade_html(g));
    }
    line.push_str("</p>\n");
    s.push_str(&line);
    if let Some(d) = &o.objective.description {
        // Each line of a multi-line description on its own line.
        let lines: Vec<String> = d.trim_end().lines().map(escape).collect();
        let _ = writeln!(s, "<p>{}</p>", lines.join("<br>\n"));
    }
    if o.key_results.is_empty() {
        s.push_str("<p class=\"muted\">No key results.</p>\n</section>\n");
        return;
    }
    let with_status = r.has_status();
    let with_grade = r.has_grade();
    s.push_str("<table>\n<thead><tr><th>Key result</th><th>Start → current → target</th><th>Progress</th><th>Attainment</th><th>Confidence</th>");
    if with_status {
        s.push_str("<th>Status</th>");
    }
    if with_grade {
        s.push_str("<th>Grade</th>");
    }
    s.push_str("<th>Trend</th><th>Forecast</th></tr></thead>\n<tbody>\n");
    for k in &o.key_results {
        let mut title = escape(&k.kr.title);
        if k.kr.stretch {
            title.push_str(" <em>stretch</em>");
        }
        let _ = write!(
            s,
            "<tr><td>{title}<br><span class=\"muted\">{}{}</span></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            escape(&k.kr.id),
            k.owner
                .map(|w| format!(" · {}", escape(w)))
                .unwrap_or_default(),
            escape(&span_text(k, "→")),
            bar(k.status.as_deref(), k.progress.progress),
            percent(k.progress.attainment),
            k.progress.confidence.map(percent).unwrap_or_default()
        );
        if with_status {
            let _ = write!(
                s,
                "<td>{}</td>",
                k.status.as_deref().map(status_html).unwrap_or_default()
            );
        }
        if with_grade {
            let _ = write!(
                s,
                "<td class=\"num\">{}</td>",
                k.grade.map(grade_html).unwrap_or_default()
            );
        }
        let _ = writeln!(
            s,
            "<td>{}</td><td>{}</td></tr>",
            escape(&trend_text(k.trend.as_ref())),
            escape(&forecast_text(&k.forecast, k.kr))
        );
    }
    s.push_str("</tbody>\n</table>\n");
    s.push_str(
        "<p class=\"legend\">Charts:<i style=\"border-color:#0969da\"></i>check-ins<i style=\"border-color:#8c959f;border-top-style:dashed\"></i>pace<i style=\"border-color:#1a7f37;border-top-style:dotted\"></i>target<i style=\"border-color:#bc4c00;border-top-style:dashed\"></i>forecast</p>\n<div class=\"charts\">\n",
    );
    for k in &o.key_results {
        let _ = writeln!(
            s,
            "<figure>\n<figcaption>{} ({})</figcaption>\n{}</figure>",
            escape(&k.kr.title),
            escape(&k.kr.id),
            chart(o, k, r.as_of)
        );
    }
    s.push_str("</div>\n</section>\n");
}

const W: f64 = 320.0;
const H: f64 = 150.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 22.0;

/// A small SVG chart of a key result's check-ins in its period, with the
/// pace line, the target and the forecast line.
pub fn chart(o: &ObjectiveView<'_>, k: &KrView<'_>, as_of: NaiveDate) -> String {
    // The period's bounds on the workspace's fiscal calendar, as computed
    // for the report: never calendar quarters.
    let (start, end) = (o.start, o.end);
    let measure = &k.kr.measure;
    let (v0, target) = match measure {
        Measure::Metric { start, target, .. } => (*start, *target),
        Measure::Milestone => (0.0, 1.0),
    };
    let points: Vec<(f64, f64)> = history::sorted(k.kr, Some(as_of))
        .into_iter()
        .filter(|c| start <= c.date && c.date <= end)
        .map(|c| (day_of(start, c.date), history::number(c.value)))
        .collect();
    let span = day_of(start, end).max(1.0);
    let fc = k.forecast.as_ref().ok();
    // The line of the forecast, from the first check-in used to the end.
    let fline = fc.and_then(|f| {
        let first = points.first()?.0;
        let at_first = f.value - f.slope_per_day * (span - first);
        Some(((first, at_first), (span, f.value)))
    });
    let mut lo = v0.min(target);
    let mut hi = v0.max(target);
    for &(_, v) in &points {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if let Some(((_, a), (_, b))) = fline {
        lo = lo.min(a).min(b);
        hi = hi.max(a).max(b);
    }
    if hi - lo < 1e-12 {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.05;
    let (lo, hi) = (lo - pad, hi + pad);
    let x = |d: f64| LEFT + (d / span).clamp(0.0, 1.0) * (W - LEFT - RIGHT);
    let y = |v: f64| TOP + (1.0 - (v - lo) / (hi - lo)) * (H - TOP - BOTTOM);
    let label = |v: f64| match measure {
        Measure::Metric { .. } => compact(v),
        Measure::Milestone => percent(v),
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">",
        escape(&format!(
            "{}: check-ins against pace and target",
            k.kr.title
        ))
    );
    // Axes and labels.
    let _ = writeln!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#d1d9e0\"/><line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{b}\" stroke=\"#d1d9e0\"/>",
        b = H - BOTTOM,
        r = W - RIGHT
    );
    let _ = writeln!(
        s,
        "<text x=\"{LEFT}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        H - 6.0,
        start,
        W - RIGHT,
        H - 6.0,
        end
    );
    for v in [v0, target] {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 4.0,
            y(v) + 3.0,
            escape(&label(v))
        );
    }
    // Target and pace.
    let _ = writeln!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{ty:.1}\" x2=\"{}\" y2=\"{ty:.1}\" stroke=\"#1a7f37\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"><title>target {}</title></line>",
        W - RIGHT,
        escape(&label(target)),
        ty = y(target)
    );
    let pace_end = pace_value(measure, start, end, end);
    let _ = writeln!(
        s,
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#8c959f\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>pace</title></line>",
        x(0.0),
        y(v0),
        x(span),
        y(pace_end)
    );
    // Today (or the as-of day) when it falls in the period.
    if start <= as_of && as_of <= end {
        let ax = x(day_of(start, as_of));
        let _ = writeln!(
            s,
            "<line x1=\"{ax:.1}\" y1=\"{TOP}\" x2=\"{ax:.1}\" y2=\"{}\" stroke=\"#d1d9e0\" stroke-dasharray=\"1 2\"><title>{as_of}</title></line>",
            H - BOTTOM
        );
    }
    if let Some(((x1, y1), (x2, y2))) = fline {
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#bc4c00\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"><title>forecast {}</title></line>",
            x(x1),
            y(y1),
            x(x2),
            y(y2),
            escape(&forecast_text(&k.forecast, k.kr))
        );
    }
    // Check-ins.
    if points.len() > 1 {
        let pts: Vec<String> = points
            .iter()
            .map(|&(d, v)| format!("{:.1},{:.1}", x(d), y(v)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\"/>",
            pts.join(" ")
        );
    }
    for &(d, v) in &points {
        let date = start + chrono::Duration::days(d as i64);
        let _ = writeln!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#0969da\"><title>{date}: {}</title></circle>",
            x(d),
            y(v),
            escape(&label(v))
        );
    }
    if points.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">no check-ins yet</text>",
            (LEFT + W - RIGHT) / 2.0,
            (TOP + H - BOTTOM) / 2.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A short axis label: 1.2M, 35k, 4.6.
fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", short_number(v / 1e6))
    } else if a >= 1e4 {
        format!("{}k", short_number(v / 1e3))
    } else {
        format_number((v * 100.0).round() / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<b>\"x\" & 'y'</b>"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("a\x1b[2J"), "a\\e[2J");
    }

    #[test]
    fn compact_labels() {
        assert_eq!(compact(1_010_000.0), "1.01M");
        assert_eq!(compact(35_000.0), "35k");
        assert_eq!(compact(4.6), "4.6");
    }
}
