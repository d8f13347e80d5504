//! `okr kpi list` for a terminal, on the same fitted table as the rest.

use super::style::kpi_tone;
use super::text::sanitize;
use super::width::{Cell, Col, Fit, Grid};
use super::{Style, range_text, with_unit};
use crate::model::Kpi;
use crate::model::asof::AsOf;

/// The KPI table as of `asof`, each KPI's health coloured by its tone.
pub fn table(style: Style, kpis: &[&Kpi], asof: &AsOf) -> String {
    let mut t = Grid::new(
        style,
        vec![
            Col::new("ID", Fit::Keep),
            Col::new("KPI", Fit::Wrap(16)),
            Col::new("Owner", Fit::Cut(10)).hide(2),
            Col::new("Healthy", Fit::Split).hide(3),
            Col::new("Latest", Fit::Keep),
            Col::new("Date", Fit::Keep).hide(1),
            Col::new("Status", Fit::Keep),
        ],
    );
    for k in kpis {
        let unit = k.unit.as_deref();
        let health = asof.kpi_health(k);
        let latest = asof.kpi_latest(k);
        let c = Cell::new(health.as_str());
        t.row(vec![
            Cell::new(sanitize(&k.id)),
            Cell::new(sanitize(&k.title)),
            Cell::new(sanitize(k.owner.as_deref().unwrap_or(""))),
            Cell::new(sanitize(&range_text(k.at_least, k.at_most, unit))),
            Cell::new(
                latest
                    .map(|c| sanitize(&with_unit(unit, c.value)))
                    .unwrap_or_default(),
            ),
            Cell::new(
                latest
                    .map(|c| c.date.to_string())
                    .unwrap_or_else(|| "never".into()),
            ),
            match kpi_tone(health) {
                Some(tone) => c.styled(tone.ansi()),
                None => c,
            },
        ]);
    }
    t.render()
}
