//! `okr edit`: change fields of an objective, key result, KPI or initiative
//! without an editor.

use std::io::Write;

use crate::commands::{
    Ctx, check_metric, ensure_open, parse_number, parse_weight, resolve_item, resolve_objective,
};
use crate::error::{Error, Result};
use crate::model::{
    Initiative, InitiativeStatus, Kind, Kpi, Level, Measure, PeriodSpec, format_number,
};
use crate::store::{Address, Item, Workspace};

/// Change fields of an objective, key result, KPI or initiative
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Only the fields you name change; everything else in the file, comments
included, stays as it is. Objective fields: --title --description --owner
--level --period --kind --parent --no-parent. Key result fields: --title
--owner --start --target --unit --weight --stretch --no-stretch. KPI fields:
--title --owner --unit --at-least --at-most. Initiative fields: --title
--owner --link --status.

Examples:
  okr edit brand --owner growth --period 2026-Q4
  okr edit website-visitors --target 1200000
  okr edit churn --stretch
  okr edit uptime --at-least 99.95
  okr edit launch-the-referral --status doing --link ACME-42
  okr edit website-visitors       # no field options: opens $VISUAL/$EDITOR at its line")]
pub struct Args {
    /// The objective, key result, KPI or initiative (ID or unique prefix)
    pub id: String,
    /// New title
    #[arg(long, allow_hyphen_values = true)]
    pub title: Option<String>,
    /// New description (objectives; empty to remove)
    #[arg(long, allow_hyphen_values = true)]
    pub description: Option<String>,
    /// New owner (empty to remove)
    #[arg(long)]
    pub owner: Option<String>,
    /// New level: company, team or personal (objectives)
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<Level>,
    /// New period, e.g. 2026-Q4 or next-quarter (objectives)
    #[arg(long)]
    pub period: Option<PeriodSpec>,
    /// committed or aspirational (objectives)
    #[arg(long, value_name = "KIND")]
    pub kind: Option<Kind>,
    /// Align to this objective (objectives)
    #[arg(long, conflicts_with = "no_parent")]
    pub parent: Option<String>,
    /// Remove the alignment (objectives)
    #[arg(long)]
    pub no_parent: bool,
    /// New start value (metric key results)
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub start: Option<f64>,
    /// New target value (metric key results)
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub target: Option<f64>,
    /// New unit (metric key results; empty to remove)
    #[arg(long)]
    pub unit: Option<String>,
    /// New weight, greater than 0 (key results)
    #[arg(long, value_parser = parse_weight)]
    pub weight: Option<f64>,
    /// Mark as a stretch goal (key results)
    #[arg(long, conflicts_with = "no_stretch")]
    pub stretch: bool,
    /// Mark as not a stretch goal (key results)
    #[arg(long)]
    pub no_stretch: bool,
    /// Healthy when the value is at least this (KPIs)
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub at_least: Option<f64>,
    /// Healthy when the value is at most this (KPIs)
    #[arg(long, allow_negative_numbers = true, value_parser = parse_number)]
    pub at_most: Option<f64>,
    /// A URL or an issue reference (initiatives; empty to remove)
    #[arg(long)]
    pub link: Option<String>,
    /// todo, doing or done (initiatives)
    #[arg(long, value_name = "STATUS")]
    pub status: Option<InitiativeStatus>,
    /// Change it even though its period is closed
    #[arg(long)]
    pub force: bool,
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Runs `okr edit`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, a: &Args) -> Result<()> {
    if let Some(t) = &a.title
        && t.trim().is_empty()
    {
        return Err(Error::Usage("the title cannot be empty".into()));
    }
    let in_editor = other_field(a, &[]).is_none();
    // A field edit parses only the files that mention the ID or the new
    // parent; the editor can change anything, so it checks every file.
    let mut queries = vec![a.id.as_str()];
    queries.extend(a.parent.as_deref());
    let mut ws = if in_editor {
        ctx.open_locked()?
    } else {
        ctx.open_locked_for(crate::store::subset::Wanted {
            queries: &queries,
            more: &[],
        })?
    };
    let item = resolve_item(&ws, &a.id)?;
    if in_editor {
        // No field options: edit the file itself.
        return super::edit_editor::run(ctx, ws, item);
    }
    let (_changed, id) = match item {
        Item::Okr(addr) => {
            ensure_open(&ws, ws.objective(addr).period, a.force)?;
            if let Some(f) = okr_only_fields(a) {
                return Err(refuse(f, "an objective or key result"));
            }
            let changed = match addr {
                Address::Objective(..) => edit_objective(&mut ws, addr, a, ctx.today)?,
                Address::KeyResult(..) => edit_key_result(&mut ws, addr, a)?,
            };
            let id = match ws.key_result(addr) {
                Some(k) => k.id.clone(),
                None => ws.objective(addr).id.clone(),
            };
            (changed, id)
        }
        Item::Kpi(f, k) => (
            edit_kpi(&mut ws.files[f].doc.kpis[k], a)?,
            ws.files[f].doc.kpis[k].id.clone(),
        ),
        Item::Initiative(addr, i) => {
            ensure_open(&ws, ws.objective(addr).period, a.force)?;
            let Some(kr) = ws.key_result_mut(addr) else {
                return Err(Error::invalid("not a key result"));
            };
            let init = &mut kr.initiatives[i];
            (edit_initiative(init, a)?, init.id.clone())
        }
    };
    let written = ws.save()?;
    if written.is_empty() {
        ctx.note(&format!("{id} already had those values; nothing changed"))
    } else {
        ctx.note(&format!("Updated {id}"))
    }
}

fn refuse(field: &str, what: &str) -> Error {
    Error::Usage(format!("--{field} does not apply to {what}"))
}

/// The first KPI or initiative option given, if any.
fn okr_only_fields(a: &Args) -> Option<&'static str> {
    [
        (a.at_least.is_some(), "at-least"),
        (a.at_most.is_some(), "at-most"),
        (a.link.is_some(), "link"),
        (a.status.is_some(), "status"),
    ]
    .into_iter()
    .find(|(set, _)| *set)
    .map(|(_, name)| name)
}

/// The first option given that is not one of `allowed`.
fn other_field(a: &Args, allowed: &[&str]) -> Option<&'static str> {
    [
        (a.title.is_some(), "title"),
        (a.description.is_some(), "description"),
        (a.owner.is_some(), "owner"),
        (a.level.is_some(), "level"),
        (a.period.is_some(), "period"),
        (a.kind.is_some(), "kind"),
        (a.parent.is_some(), "parent"),
        (a.no_parent, "no-parent"),
        (a.start.is_some(), "start"),
        (a.target.is_some(), "target"),
        (a.unit.is_some(), "unit"),
        (a.weight.is_some(), "weight"),
        (a.stretch, "stretch"),
        (a.no_stretch, "no-stretch"),
        (a.at_least.is_some(), "at-least"),
        (a.at_most.is_some(), "at-most"),
        (a.link.is_some(), "link"),
        (a.status.is_some(), "status"),
    ]
    .into_iter()
    .find(|(set, name)| *set && !allowed.contains(name))
    .map(|(_, name)| name)
}

fn edit_kpi(k: &mut Kpi, a: &Args) -> Result<bool> {
    if let Some(f) = other_field(a, &["title", "owner", "unit", "at-least", "at-most"]) {
        return Err(refuse(f, "a KPI"));
    }
    let lo = a.at_least.or(k.at_least);
    let hi = a.at_most.or(k.at_most);
    if let (Some(lo), Some(hi)) = (lo, hi)
        && lo > hi
    {
        return Err(Error::Usage(format!(
            "at least {} is above at most {}: a healthy range needs at_least <= at_most",
            format_number(lo),
            format_number(hi)
        )));
    }
    if let Some(t) = &a.title {
        k.title = t.trim().to_string();
    }
    if let Some(w) = &a.owner {
        k.owner = optional(w);
    }
    if let Some(u) = &a.unit {
        k.unit = optional(u);
    }
    k.at_least = lo;
    k.at_most = hi;
    Ok(other_field(a, &[]).is_some())
}

fn edit_initiative(i: &mut Initiative, a: &Args) -> Result<bool> {
    if let Some(f) = other_field(a, &["title", "owner", "link", "status"]) {
        return Err(refuse(f, "an initiative"));
    }
    if let Some(t) = &a.title {
        i.title = t.trim().to_string();
    }
    if let Some(w) = &a.owner {
        i.owner = optional(w);
    }
    if let Some(l) = &a.link {
        i.link = optional(l);
    }
    if let Some(s) = a.status {
        i.status = s;
    }
    Ok(other_field(a, &[]).is_some())
}

fn edit_objective(
    ws: &mut Workspace,
    addr: Address,
    a: &Args,
    today: chrono::NaiveDate,
) -> Result<bool> {
    for (set, name) in [
        (a.start.is_some(), "start"),
        (a.target.is_some(), "target"),
        (a.unit.is_some(), "unit"),
        (a.weight.is_some(), "weight"),
        (a.stretch, "stretch"),
        (a.no_stretch, "no-stretch"),
    ] {
        if set {
            return Err(refuse(name, "an objective"));
        }
    }
    let parent = match &a.parent {
        // A parent in an include (`company:goal`) is written as typed.
        Some(p) if crate::model::qualified::workspace_of(p).is_some() => {
            Some(Some(super::across::check_parent(ws, p)?))
        }
        Some(p) => {
            let paddr = resolve_objective(ws, p)?;
            let pid = ws.objective(paddr).id.clone();
            check_no_cycle(ws, &ws.objective(addr).id, &pid)?;
            Some(Some(pid))
        }
        None if a.no_parent => Some(None),
        None => None,
    };
    let period = match a.period {
        Some(spec) => Some(spec.resolve(today, ws.settings()?.calendar())),
        None => None,
    };
    if let Some(p) = period {
        ensure_open(ws, p, a.force)?;
    }
    let o = ws.objective_mut(addr);
    let mut changed = false;
    if let Some(t) = &a.title {
        o.title = t.trim().to_string();
        changed = true;
    }
    if let Some(d) = &a.description {
        o.description = optional(d);
        changed = true;
    }
    if let Some(w) = &a.owner {
        o.owner = optional(w);
        changed = true;
    }
    if let Some(l) = a.level {
        o.level = l;
        changed = true;
    }
    if let Some(p) = period {
        o.period = p;
        changed = true;
    }
    if let Some(k) = a.kind {
        o.kind = k;
        changed = true;
    }
    if let Some(p) = parent {
        o.parent = p;
        changed = true;
    }
    Ok(changed)
}

/// Refuses to make `id` align to `parent` when that would close a loop.
fn check_no_cycle(ws: &Workspace, id: &str, parent: &str) -> Result<()> {
    let mut cur = Some(parent.to_string());
    let mut steps = 0;
    while let Some(p) = cur {
        if p == id {
            return Err(Error::invalid(format!(
                "`{id}` cannot align to `{parent}`: that would make a cycle"
            )));
        }
        steps += 1;
        if steps > 10_000 {
            break;
        }
        cur = ws
            .objectives()
            .find(|o| o.id == p)
            .and_then(|o| o.parent.clone());
    }
    Ok(())
}

fn edit_key_result(ws: &mut Workspace, addr: Address, a: &Args) -> Result<bool> {
    for (set, name) in [
        (a.description.is_some(), "description"),
        (a.level.is_some(), "level"),
        (a.period.is_some(), "period"),
        (a.kind.is_some(), "kind"),
        (a.parent.is_some(), "parent"),
        (a.no_parent, "no-parent"),
    ] {
        if set {
            return Err(refuse(name, "a key result"));
        }
    }
    let objective_owner = ws.objective(addr).owner.clone();
    let Some(k) = ws.key_result_mut(addr) else {
        return Ok(false);
    };
    let mut changed = false;
    if let Some(t) = &a.title {
        k.title = t.trim().to_string();
        changed = true;
    }
    if let Some(w) = &a.owner {
        k.owner = optional(w).filter(|w| objective_owner.as_ref() != Some(w));
        changed = true;
    }
    if a.start.is_some() || a.target.is_some() || a.unit.is_some() {
        let Measure::Metric {
            start,
            target,
            unit,
        } = &mut k.measure
        else {
            return Err(Error::Usage(format!(
                "`{}` is a milestone: --start, --target and --unit apply to metrics",
                k.id
            )));
        };
        let new_start = a.start.unwrap_or(*start);
        let new_target = a.target.unwrap_or(*target);
        check_metric(new_start, new_target)?;
        *start = new_start;
        *target = new_target;
        if let Some(u) = &a.unit {
            *unit = optional(u);
        }
        changed = true;
    }
    if let Some(w) = a.weight {
        k.weight = (w != 1.0).then_some(w);
        changed = true;
    }
    if a.stretch || a.no_stretch {
        k.stretch = a.stretch;
        changed = true;
    }
    Ok(changed)
}
