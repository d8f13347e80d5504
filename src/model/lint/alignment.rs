//! Rules on IDs and alignment: every ID names one thing, and `parent:` links
//! form a tree within periods.

use std::collections::HashSet;

use super::{Ctx, Finding, PathStep, key, kr_path, obj_path, with};

/// `duplicate-id`: an ID used twice across objectives, key results,
/// initiatives and KPIs of the workspace.
pub(super) fn duplicate_id(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut seen: HashSet<&str> = HashSet::new();
    let dup = |id: &str, f: usize, path: Vec<PathStep>, out: &mut Vec<Finding>| {
        out.push(Finding::new(
            "duplicate-id",
            f,
            path,
            format!("ID `{id}` is used more than once"),
        ));
    };
    for &(f, doc) in ctx.docs {
        for (oi, o) in doc.objectives.iter().enumerate() {
            if !seen.insert(&o.id) {
                dup(&o.id, f, with(obj_path(oi), &[key("id")]), out);
            }
            for (ki, k) in o.key_results.iter().enumerate() {
                if !seen.insert(&k.id) {
                    dup(&k.id, f, with(kr_path(oi, ki), &[key("id")]), out);
                }
                for (ii, i) in k.initiatives.iter().enumerate() {
                    if !seen.insert(&i.id) {
                        let at = [key("initiatives"), PathStep::Index(ii), key("id")];
                        dup(&i.id, f, with(kr_path(oi, ki), &at), out);
                    }
                }
            }
        }
        for (xi, x) in doc.kpis.iter().enumerate() {
            if !seen.insert(&x.id) {
                dup(
                    &x.id,
                    f,
                    vec![key("kpis"), PathStep::Index(xi), key("id")],
                    out,
                );
            }
        }
    }
}

/// `unknown-parent`: `parent:` names no objective.
pub(super) fn unknown_parent(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o) in ctx.objectives() {
        if let Some(p) = &o.parent
            && ctx.objective(p).is_none()
        {
            out.push(Finding::new(
                "unknown-parent",
                f,
                with(obj_path(oi), &[key("parent")]),
                if p.contains(super::super::qualified::SEP) {
                    format!(
                        "objective `{}` names parent `{p}`, which no include provides (settings.includes, docs/includes.md)",
                        o.id
                    )
                } else {
                    format!(
                        "objective `{}` names parent `{p}`, which does not exist",
                        o.id
                    )
                },
            ));
        }
    }
}

/// `parent-period`: the parent's period does not contain the child's.
pub(super) fn parent_period(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o) in ctx.objectives() {
        let Some(p) = &o.parent else { continue };
        if let Some(parent) = ctx.objective(p)
            && !ctx.cal.within(o.period, parent.period)
        {
            out.push(Finding::new(
                "parent-period",
                f,
                with(obj_path(oi), &[key("parent")]),
                format!(
                    "objective `{}` ({}) aligns to `{p}` ({}), whose period does not contain it",
                    o.id, o.period, parent.period
                ),
            ));
        }
    }
}

/// `parent-cycle`: walking up the parents comes back to the objective.
pub(super) fn parent_cycle(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (f, oi, o) in ctx.objectives() {
        let Some(p) = &o.parent else { continue };
        let mut cur = Some(p.as_str());
        let mut steps = 0;
        while let Some(c) = cur {
            if c == o.id {
                out.push(Finding::new(
                    "parent-cycle",
                    f,
                    with(obj_path(oi), &[key("parent")]),
                    format!("objective `{}` is its own ancestor through `{p}`", o.id),
                ));
                break;
            }
            steps += 1;
            if steps > ctx.objectives.len() {
                break;
            }
            cur = ctx.objective(c).and_then(|x| x.parent.as_deref());
        }
    }
}
