//! What colour means, in one place.
//!
//! A colour in okr says one of two things: where something stands against
//! its pace (a status) or how good a grade is (its band). Both go through a
//! [`Tone`], and every renderer (terminal tables, plain lines, HTML) asks
//! this module for it, so `nps` cannot be a yellow bar beside a green
//! "on-track". Styles are [`anstyle`] values; nothing writes escape codes by
//! hand.

use anstyle::{AnsiColor, Effects};

use super::Style;
use crate::model::Status;
use crate::model::asof::KpiHealth;
use crate::model::grade::{self, Band};

/// The one colour scale: good, so-so, bad, and nothing to judge yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Done, on track, or a grade of 0.7 and above.
    Green,
    /// At risk, stale, or a grade from 0.4 to below 0.7.
    Yellow,
    /// Off track, or a grade below 0.4.
    Red,
    /// Not started: nothing to judge yet.
    Grey,
}

/// The tone of a status.
pub fn status_tone(s: Status) -> Tone {
    match s {
        Status::Done | Status::OnTrack => Tone::Green,
        Status::AtRisk | Status::Stale => Tone::Yellow,
        Status::OffTrack => Tone::Red,
        Status::NotStarted => Tone::Grey,
    }
}

/// The tone of a KPI's health: green inside its range, red outside, none
/// before its first reading.
pub fn kpi_tone(h: KpiHealth) -> Option<Tone> {
    match h {
        KpiHealth::Healthy => Some(Tone::Green),
        KpiHealth::Unhealthy => Some(Tone::Red),
        KpiHealth::NoData => None,
    }
}

/// The tone of a grade (0.0–1.0): its band (model::grade::band).
pub fn grade_tone(g: f64) -> Tone {
    match grade::band(g) {
        Band::Green => Tone::Green,
        Band::Yellow => Tone::Yellow,
        Band::Red => Tone::Red,
    }
}

/// The tone of a status given as text (report views keep statuses as
/// strings); an unknown word is grey.
pub fn status_name_tone(s: &str) -> Tone {
    s.parse().map(status_tone).unwrap_or(Tone::Grey)
}

impl Tone {
    /// The terminal style of this tone.
    pub fn ansi(self) -> anstyle::Style {
        let c = match self {
            Tone::Green => AnsiColor::Green,
            Tone::Yellow => AnsiColor::Yellow,
            Tone::Red => AnsiColor::Red,
            Tone::Grey => AnsiColor::BrightBlack,
        };
        anstyle::Style::new().fg_color(Some(c.into()))
    }

    /// The HTML class of this tone (the report's stylesheet defines them).
    pub fn css_class(self) -> &'static str {
        match self {
            Tone::Green => "s-green",
            Tone::Yellow => "s-yellow",
            Tone::Red => "s-red",
            Tone::Grey => "s-grey",
        }
    }
}

/// Bold, for titles.
pub fn bold() -> anstyle::Style {
    anstyle::Style::new().effects(Effects::BOLD)
}

/// `text` in `ansi` when `style` allows colour, else `text` unchanged.
pub fn paint(style: Style, ansi: anstyle::Style, text: &str) -> String {
    if style.color {
        format!("{}{text}{}", ansi.render(), ansi.render_reset())
    } else {
        text.to_string()
    }
}

/// The same style for a comfy-table cell (which draws its own escapes and
/// so measures widths correctly).
pub fn cell(mut c: comfy_table::Cell, ansi: anstyle::Style) -> comfy_table::Cell {
    use comfy_table::{Attribute, Color};
    if let Some(anstyle::Color::Ansi(a)) = ansi.get_fg_color() {
        c = c.fg(match a {
            AnsiColor::Green => Color::Green,
            AnsiColor::Yellow => Color::Yellow,
            AnsiColor::Red => Color::Red,
            _ => Color::DarkGrey,
        });
    }
    if ansi.get_effects().contains(Effects::BOLD) {
        c = c.add_attribute(Attribute::Bold);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_grade_share_one_scale() {
        assert_eq!(status_tone(Status::OnTrack), grade_tone(0.7));
        assert_eq!(status_tone(Status::AtRisk), grade_tone(0.5));
        assert_eq!(status_tone(Status::OffTrack), grade_tone(0.2));
        assert_eq!(status_name_tone("on-track"), Tone::Green);
        assert_eq!(status_name_tone("what"), Tone::Grey);
    }

    #[test]
    fn paint_uses_escapes_only_with_colour() {
        let on = Style {
            color: true,
            ascii: false,
            width: None,
        };
        let off = Style { color: false, ..on };
        assert_eq!(paint(off, Tone::Red.ansi(), "x"), "x");
        let p = paint(on, Tone::Red.ansi(), "x");
        assert!(p.starts_with("\x1b[") && p.contains('x') && p.ends_with("\x1b[0m"));
    }
}
