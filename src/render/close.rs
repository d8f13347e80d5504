//! The scorecard `okr close` prints, on the fitted table, each grade in
//! its band's colour (render::style).

use super::Style;
use super::style::grade_tone;
use super::text::sanitize;
use super::width::{Cell, Col, Fit, Grid};
use crate::model::Period;
use crate::model::grade::{ASPIRATIONAL_SUCCESS, ObjectiveGrade, Scorecard, TIMID_ABOVE, band};

fn grid(style: Style) -> Grid {
    Grid::new(
        style,
        vec![
            Col::new("ID", Fit::Keep),
            Col::new("Title", Fit::Wrap(16)),
            Col::new("Grade", Fit::Keep).right(),
            Col::new("Band", Fit::Keep),
            Col::new("", Fit::Keep),
        ],
    )
}

fn graded(g: f64) -> [Cell; 2] {
    let tone = grade_tone(g).ansi();
    [
        Cell::new(format!("{g:.2}")).styled(tone),
        Cell::new(band(g).as_str()).styled(tone),
    ]
}

fn objective_rows(style: Style, t: &mut Grid, o: &ObjectiveGrade<'_>, committed: bool) {
    let verdict = if committed {
        if o.miss { "miss: explain" } else { "" }
    } else if o.grade >= ASPIRATIONAL_SUCCESS {
        "success"
    } else {
        ""
    };
    let [g, b] = graded(o.grade);
    t.row(vec![
        Cell::new(sanitize(&o.objective.id)),
        Cell::new(sanitize(&o.objective.title)),
        g,
        b,
        Cell::new(verdict),
    ]);
    for (k, grade) in &o.key_results {
        let [g, b] = graded(*grade);
        t.row(vec![
            Cell::new(format!("  {}", sanitize(&k.id))),
            Cell::new(format!(
                "{}{}",
                super::table::indent(style),
                sanitize(&k.title)
            )),
            g,
            b,
            Cell::new(""),
        ]);
    }
}

fn section(style: Style, s: &mut String, objectives: &[ObjectiveGrade<'_>], committed: bool) {
    if objectives.is_empty() {
        s.push_str("  none\n");
        return;
    }
    let mut t = grid(style);
    for o in objectives {
        objective_rows(style, &mut t, o, committed);
    }
    s.push_str(&t.render());
}

/// The scorecard of `period` as text.
pub fn card_text(style: Style, period: Period, card: &Scorecard<'_>) -> String {
    let mut s = format!("Scorecard {period}\n\n");
    s.push_str("Committed objectives (expected to reach 1.0; less is a miss to explain)\n");
    section(style, &mut s, &card.committed, true);
    if let Some(a) = card.committed_average() {
        s.push_str(&format!("  average {a:.2}\n"));
    }
    s.push_str("\nAspirational objectives (0.7 is success)\n");
    section(style, &mut s, &card.aspirational, false);
    if let Some(a) = card.aspirational_average() {
        s.push_str(&format!("  average {a:.2}\n"));
        if card.too_timid() {
            s.push_str(&format!(
                "\nAverage aspirational grade {a:.2} is above {TIMID_ABOVE}: targets may be too timid.\n"
            ));
        }
    }
    s
}
