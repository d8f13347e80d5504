//! `okr rm`: remove an objective (with its key results), a key result, a
//! KPI, an initiative, or one check-in of a key result or KPI.

use std::io::Write;

use chrono::NaiveDate;

use crate::commands::{Ctx, ensure_open, parse_date, resolve_item};
use crate::error::{Error, Result};
use crate::render::plural::count;
use crate::store::{Address, Item, Workspace};

/// Remove an objective, key result, KPI, initiative or check-in
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Like every command, rm takes an ID or a unique prefix of one; what was
removed is named on stderr. Git keeps the history if you need it back.

With --check-in DATE it removes the check-in of that date from a key result
or KPI instead. When several check-ins share the date it removes none and
lists them, numbered in file order; pick one with --index N.

Examples:
  okr rm website-visitors
  okr rm brand --force     # even though other objectives align to it
  okr rm uptime --force    # a KPI, even though key results name it
  okr rm website-visitors --check-in 2026-08-14
  okr rm website-visitors --check-in 2026-08-14 --index 2")]
pub struct Args {
    /// The objective, key result, KPI or initiative (ID or unique prefix)
    pub id: String,
    /// Remove the check-in of this date (YYYY-MM-DD) of a key result or KPI
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub check_in: Option<NaiveDate>,
    /// Which of several check-ins on that date, counted from 1 in file order
    #[arg(long, value_name = "N", requires = "check_in")]
    pub index: Option<usize>,
    /// Remove an objective even if other objectives name it as their parent,
    /// a KPI even if key results name it (they are unlinked), or anything
    /// when its period is closed
    #[arg(long)]
    pub force: bool,
}

/// Runs `okr rm`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let mut ws = ctx.open_locked()?;
    let item = resolve_item(&ws, &args.id)?;
    if let Item::Okr(a) | Item::Initiative(a, _) = item {
        ensure_open(&ws, ws.objective(a).period, args.force)?;
    }
    let message = match (item, args.check_in) {
        (_, Some(date)) => remove_check_in(&mut ws, item, date, args.index)?,
        (Item::Okr(addr), None) => remove_okr(&mut ws, addr, args.force)?,
        (Item::Kpi(f, k), None) => remove_kpi(&mut ws, f, k, args.force)?,
        (Item::Initiative(addr, i), None) => {
            let Some(kr) = ws.key_result_mut(addr) else {
                return Err(Error::invalid("not a key result"));
            };
            let removed = kr.initiatives.remove(i);
            format!("Removed initiative {} from {}", removed.id, kr.id)
        }
    };
    ws.save()?;
    ctx.note(&message)
}

fn remove_okr(ws: &mut Workspace, addr: Address, force: bool) -> Result<String> {
    Ok(match addr {
        Address::Objective(f, o) => {
            let obj = &ws.files[f].doc.objectives[o];
            let children: Vec<String> = ws
                .objectives()
                .filter(|c| c.parent.as_deref() == Some(obj.id.as_str()))
                .map(|c| c.id.clone())
                .collect();
            if !children.is_empty() && !force {
                return Err(Error::invalid_with_hint(
                    format!("{} is the parent of {}", obj.id, children.join(", ")),
                    "align those elsewhere first (okr edit ID --parent P), or pass --force",
                ));
            }
            let n = obj.key_results.len();
            let removed = ws.files[f].doc.objectives.remove(o);
            let krs = count(n, "key result");
            format!("Removed objective {} and its {krs}", removed.id)
        }
        Address::KeyResult(f, o, k) => {
            let krs = &mut ws.files[f].doc.objectives[o].key_results;
            let removed = krs.remove(k);
            format!("Removed key result {}", removed.id)
        }
    })
}

fn remove_kpi(ws: &mut Workspace, f: usize, k: usize, force: bool) -> Result<String> {
    let id = ws.files[f].doc.kpis[k].id.clone();
    let linked = crate::commands::show::key_results_of(ws, &id);
    if !linked.is_empty() && !force {
        return Err(Error::invalid_with_hint(
            format!("key results name KPI {id}: {}", linked.join(", ")),
            "pass --force to remove it anyway and unlink them",
        ));
    }
    let n = linked.len();
    for file in &mut ws.files {
        for kr in file
            .doc
            .objectives
            .iter_mut()
            .flat_map(|o| o.key_results.iter_mut())
            .filter(|kr| kr.kpi.as_deref() == Some(id.as_str()))
        {
            kr.kpi = None;
        }
    }
    ws.files[f].doc.kpis.remove(k);
    Ok(if n == 0 {
        format!("Removed KPI {id}")
    } else {
        format!("Removed KPI {id} and unlinked {}", count(n, "key result"))
    })
}

/// Removes the check-in of `date` (the `index`-th of that date, from 1).
fn remove_check_in(
    ws: &mut Workspace,
    item: Item,
    date: NaiveDate,
    index: Option<usize>,
) -> Result<String> {
    // (id, descriptions of every check-in, their dates)
    let (id, lines, dates): (String, Vec<String>, Vec<NaiveDate>) = match item {
        Item::Okr(addr) => match ws.key_result(addr) {
            Some(k) => (
                k.id.clone(),
                k.check_ins.iter().map(describe_kr_check_in).collect(),
                k.check_ins.iter().map(|c| c.date).collect(),
            ),
            None => {
                return Err(Error::invalid_with_hint(
                    format!(
                        "`{}` is an objective: it has no check-ins",
                        ws.objective(addr).id
                    ),
                    "name one of its key results",
                ));
            }
        },
        Item::Kpi(f, k) => {
            let kpi = &ws.files[f].doc.kpis[k];
            (
                kpi.id.clone(),
                kpi.check_ins
                    .iter()
                    .map(|c| describe(&crate::model::format_number(c.value), c.note.as_deref()))
                    .collect(),
                kpi.check_ins.iter().map(|c| c.date).collect(),
            )
        }
        Item::Initiative(..) => {
            return Err(Error::Usage(
                "--check-in applies to a key result or a KPI, not an initiative".into(),
            ));
        }
    };
    let on_date: Vec<usize> = (0..dates.len()).filter(|i| dates[*i] == date).collect();
    let pos = pick(&id, date, &on_date, &lines, index)?;
    let desc = lines[pos].clone();
    match item {
        Item::Okr(addr) => {
            if let Some(k) = ws.key_result_mut(addr) {
                k.check_ins.remove(pos);
            }
        }
        Item::Kpi(f, k) => {
            ws.files[f].doc.kpis[k].check_ins.remove(pos);
        }
        Item::Initiative(..) => {}
    }
    Ok(format!("Removed the check-in of {date} from {id}: {desc}"))
}

/// The position (in all check-ins) of the one to remove.
fn pick(
    id: &str,
    date: NaiveDate,
    on_date: &[usize],
    lines: &[String],
    index: Option<usize>,
) -> Result<usize> {
    match (on_date, index) {
        ([], _) => Err(Error::invalid_with_hint(
            format!("{id} has no check-in on {date}"),
            format!("`okr show {id}` lists its check-ins"),
        )),
        ([only], None | Some(1)) => Ok(*only),
        (_, Some(n)) if n >= 1 && n <= on_date.len() => Ok(on_date[n - 1]),
        (_, Some(n)) => Err(Error::Usage(format!(
            "--index {n} is out of range: {id} has {} on {date}, numbered 1 to {}",
            count(on_date.len(), "check-in"),
            on_date.len()
        ))),
        (_, None) => {
            let list: Vec<String> = on_date
                .iter()
                .enumerate()
                .map(|(n, i)| format!("  {}. {}", n + 1, lines[*i]))
                .collect();
            Err(Error::invalid_with_hint(
                format!(
                    "{id} has {} on {date}; nothing removed:\n{}",
                    count(on_date.len(), "check-in"),
                    list.join("\n")
                ),
                format!("pick one with --index N, e.g. `okr rm {id} --check-in {date} --index 1`"),
            ))
        }
    }
}

fn describe_kr_check_in(c: &crate::model::CheckIn) -> String {
    describe(&c.value.to_string(), c.note.as_deref())
}

fn describe(value: &str, note: Option<&str>) -> String {
    match note {
        Some(n) => format!("value {value} ({})", crate::render::text::sanitize(n)),
        None => format!("value {value}"),
    }
}
