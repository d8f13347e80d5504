//! `okr show` of a KPI or an initiative: the same layout as a key result's
//! (title, then one `key  value` line per field, then the check-ins).

use crate::model::{Initiative, KeyResult, Kpi, Objective, format_number};
use crate::render::Style;
use crate::render::text::sanitize;

fn field(s: &mut String, key: &str, v: &str) {
    s.push_str(&format!("  {key:<12}{v}\n"));
}

fn opt(v: Option<&str>) -> String {
    v.map(sanitize).unwrap_or_default()
}

/// A KPI in full: range, latest value, the key results that name it and
/// every reading, oldest first as written.
pub fn show_kpi(
    _style: Style,
    k: &Kpi,
    key_results: &[&str],
    asof: &crate::model::asof::AsOf,
) -> String {
    let unit = k
        .unit
        .as_deref()
        .map(|u| format!(" {}", sanitize(u)))
        .unwrap_or_default();
    let mut s = format!("{}\n", sanitize(&k.title));
    field(&mut s, "id", &sanitize(&k.id));
    field(&mut s, "kind", "KPI");
    field(&mut s, "owner", &opt(k.owner.as_deref()));
    field(&mut s, "healthy", &format!("{}{unit}", k.range_text()));
    let latest = match asof.kpi_latest(k) {
        Some(c) => format!(
            "{}{unit} on {} ({})",
            format_number(c.value),
            c.date,
            if k.is_healthy(c.value) {
                "healthy"
            } else {
                "unhealthy"
            }
        ),
        None => "no check-ins yet".to_string(),
    };
    field(&mut s, "latest", &latest);
    field(
        &mut s,
        "moves",
        &key_results
            .iter()
            .map(|id| sanitize(id))
            .collect::<Vec<_>>()
            .join(", "),
    );
    if !k.check_ins.is_empty() {
        s.push_str("\n  Date         Value         Note\n");
        for c in &k.check_ins {
            s.push_str(&format!(
                "  {:<12} {:<13} {}\n",
                c.date.to_string(),
                format!("{}{unit}", format_number(c.value)),
                opt(c.note.as_deref())
            ));
        }
    }
    s
}

/// An initiative in full, with the key result and objective it serves.
pub fn show_initiative(_style: Style, i: &Initiative, o: &Objective, k: &KeyResult) -> String {
    let mut s = format!("{}\n", sanitize(&i.title));
    field(&mut s, "id", &sanitize(&i.id));
    field(&mut s, "kind", "initiative");
    field(&mut s, "status", i.status.as_str());
    field(&mut s, "owner", &opt(i.owner.as_deref()));
    field(&mut s, "link", &opt(i.link.as_deref()));
    field(
        &mut s,
        "key result",
        &format!("{} ({})", sanitize(&k.title), sanitize(&k.id)),
    );
    field(
        &mut s,
        "objective",
        &format!("{} ({})", sanitize(&o.title), sanitize(&o.id)),
    );
    field(&mut s, "period", &o.period.to_string());
    s
}
