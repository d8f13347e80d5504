//! Rules on KPIs and the key results that name them.

use super::{Ctx, Finding, PathStep, key, kr_path, with};

/// `kpi-range`: a KPI without a healthy range, or with an empty one.
pub(super) fn kpi_range(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for &(f, doc) in ctx.docs {
        for (xi, x) in doc.kpis.iter().enumerate() {
            let bad = match (x.at_least, x.at_most) {
                (None, None) => {
                    "has no healthy range: add `at_least:` and/or `at_most:`".to_string()
                }
                (Some(lo), Some(hi)) if lo > hi => format!("has at_least {lo} above at_most {hi}"),
                _ => continue,
            };
            out.push(Finding::new(
                "kpi-range",
                f,
                vec![key("kpis"), PathStep::Index(xi), key("id")],
                format!("KPI `{}` {bad}", x.id),
            ));
        }
    }
}

/// `unknown-kpi`: a key result naming a KPI that does not exist.
pub(super) fn unknown_kpi(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, _, ki, k) in ctx.key_results() {
        if let Some(x) = &k.kpi
            && !ctx.kpis.contains(x.as_str())
        {
            out.push(Finding::new(
                "unknown-kpi",
                f,
                with(kr_path(oi, ki), &[key("kpi")]),
                format!(
                    "key result `{}` names KPI `{x}`, which does not exist",
                    k.id
                ),
            ));
        }
    }
}
