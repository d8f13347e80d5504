//! The subcommands: one file each, holding its clap `Args` and its `run`.
//!
//! A command gets a [`Ctx`] (where the workspace is, what day it is, where
//! output goes), changes the model and asks the store to save. It never
//! writes YAML and never reads the clock.

pub mod across;
pub mod add;
pub mod add_prompt;
pub mod autocommit;
pub mod check;
pub mod check_in;
pub mod check_in_round;
pub mod close;
pub mod completions;
pub mod config;
pub mod csv_io;
pub mod diff;
pub mod due;
pub mod edit;
pub mod edit_editor;
pub mod fetch;
pub mod git;
pub mod grade;
pub mod history;
pub mod init;
pub mod initiative;
pub mod kpi;
pub mod list;
pub mod log;
pub mod man;
pub mod merge_driver;
pub mod prefs;
pub mod refresh;
pub mod report;
pub mod rm;
pub mod rollover;
pub mod schema;
pub mod show;
pub mod sync;
pub mod tree;

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::model::id::{self, Lookup};
use crate::render::Style;
use crate::store::{self, Address, Item, Workspace};

/// Everything a command needs from the outside world.
#[derive(Debug)]
pub struct Ctx<W: Write, E: Write> {
    /// `-f`/`OKR_FILE`, if given.
    pub file: Option<PathBuf>,
    /// The directory to search for a workspace from.
    pub cwd: PathBuf,
    /// The one and only "today".
    pub today: NaiveDate,
    /// Colours or not.
    pub style: Style,
    /// Data output.
    pub out: W,
    /// Messages.
    pub err: E,
}

impl<W: Write, E: Write> Ctx<W, E> {
    /// Finds and reads the workspace for a read-only command.
    pub fn open(&self) -> Result<Workspace> {
        let root = store::discover(self.file.as_deref(), &self.cwd)?;
        Ok(Workspace::open(&root)?)
    }

    /// Finds and reads the workspace for a read-only command filtered by
    /// `period`: a fixed period skips files that cannot hold it.
    pub fn open_for(&self, period: Option<crate::model::PeriodSpec>) -> Result<Workspace> {
        let Some(crate::model::PeriodSpec::Fixed(p)) = period else {
            return self.open();
        };
        let root = store::discover(self.file.as_deref(), &self.cwd)?;
        let name = p.to_string();
        Ok(Workspace::open_period(&root, &name)?)
    }

    /// Finds and reads the workspace so that a `--dry-run` can change it in
    /// memory and check its edits, without locking it or writing anything.
    pub fn open_preview(&self) -> Result<Workspace> {
        let root = store::discover(self.file.as_deref(), &self.cwd)?;
        Ok(Workspace::from_texts(&root, store::read_texts(&root)?)?)
    }

    /// Finds, locks and reads the workspace for a command that changes it.
    pub fn open_locked(&self) -> Result<Workspace> {
        let root = store::discover(self.file.as_deref(), &self.cwd)?;
        Ok(Workspace::open_locked(&root)?)
    }

    /// Finds, locks and reads the workspace for a command on one ID,
    /// parsing only the files that may mention what `wanted` names
    /// ([`store::subset`]).
    pub fn open_locked_for(&self, wanted: store::subset::Wanted<'_>) -> Result<Workspace> {
        let root = store::discover(self.file.as_deref(), &self.cwd)?;
        Ok(Workspace::open_locked_for(&root, wanted)?)
    }

    /// Finds and reads the workspace for a read-only command on one ID,
    /// parsing only the files that may mention what `wanted` names.
    pub fn open_for_id(&self, wanted: store::subset::Wanted<'_>) -> Result<Workspace> {
        let root = store::discover(self.file.as_deref(), &self.cwd)?;
        Ok(Workspace::open_for(&root, wanted)?)
    }

    /// Prints a message for the user on stderr (never data).
    pub fn note(&mut self, msg: &str) -> Result<()> {
        // A closed stderr is no reason to fail a command that already worked.
        let _ = writeln!(self.err, "{}", crate::render::text::sanitize_multiline(msg));
        Ok(())
    }
}

/// Resolves a typed ID or unique prefix to its place in the workspace:
/// any kind of thing (objective, key result, KPI, initiative), since they
/// share one namespace; prefixes and did-you-mean look at every ID.
pub fn resolve_item(ws: &Workspace, query: &str) -> Result<Item> {
    match crate::model::qualified::resolve(query, ws.all_ids()) {
        Lookup::Found(id) => ws.item(&id).ok_or_else(|| Error::UnknownId {
            query: query.to_string(),
            suggestions: vec![],
        }),
        Lookup::Ambiguous(candidates) => Err(across::ambiguous(query, candidates)),
        Lookup::NotFound(suggestions) => Err(across::refuse_included(ws, query).unwrap_or(
            Error::UnknownId {
                query: query.to_string(),
                suggestions,
            },
        )),
    }
}

/// Resolves an ID that must name an objective or a key result.
pub fn resolve(ws: &Workspace, query: &str) -> Result<Address> {
    match resolve_item(ws, query)? {
        Item::Okr(a) => Ok(a),
        Item::Kpi(f, k) => Err(Error::invalid_with_hint(
            format!(
                "`{}` is a KPI, not an objective or key result",
                ws.files[f].doc.kpis[k].id
            ),
            "`okr show`, `okr edit` and `okr rm` take KPIs; `okr kpi check-in` records a value",
        )),
        Item::Initiative(a, _) => {
            let k = ws.key_result(a).map(|k| k.id.as_str()).unwrap_or_default();
            Err(Error::invalid_with_hint(
                format!("`{query}` is an initiative, not an objective or key result"),
                format!(
                    "it belongs to key result `{k}`; `okr show`, `okr edit` and `okr rm` take initiatives"
                ),
            ))
        }
    }
}

/// Resolves a KPI by ID or unique prefix among the KPIs (for `--kpi` and
/// `okr kpi check-in`): (file index, KPI index).
pub fn resolve_kpi(ws: &Workspace, query: &str) -> Result<(usize, usize)> {
    let ids = ws
        .files
        .iter()
        .flat_map(|f| f.doc.kpis.iter().map(|k| k.id.as_str()));
    let found = match crate::model::qualified::resolve(query, ids) {
        Lookup::Found(i) => i,
        Lookup::Ambiguous(candidates) => {
            return Err(Error::AmbiguousId {
                query: query.to_string(),
                candidates,
            });
        }
        Lookup::NotFound(_) if let Some(e) = across::refuse_included(ws, query) => {
            return Err(e);
        }
        Lookup::NotFound(s) => {
            return Err(Error::invalid_with_hint(
                format!("no KPI with ID `{query}`"),
                if s.is_empty() {
                    "add it with `okr kpi add`, or list them with `okr kpi list`".to_string()
                } else {
                    format!("did you mean {}?", s.join(" or "))
                },
            ));
        }
    };
    match ws.item(&found) {
        Some(Item::Kpi(f, k)) => Ok((f, k)),
        _ => Err(Error::invalid(format!("no KPI with ID `{query}`"))),
    }
}

/// Resolves an ID that must name an objective.
pub fn resolve_objective(ws: &Workspace, query: &str) -> Result<Address> {
    match resolve(ws, query)? {
        a @ Address::Objective(..) => Ok(a),
        Address::KeyResult(..) => {
            let obj = ws.objective(resolve(ws, query)?).id.clone();
            Err(Error::invalid_with_hint(
                format!("`{query}` is a key result, not an objective"),
                format!("its objective is `{obj}`"),
            ))
        }
    }
}

/// Resolves an ID that must name a key result.
pub fn resolve_key_result(ws: &Workspace, query: &str) -> Result<Address> {
    match resolve(ws, query)? {
        a @ Address::KeyResult(..) => Ok(a),
        a @ Address::Objective(..) => {
            let krs: Vec<String> = ws
                .objective(a)
                .key_results
                .iter()
                .map(|k| k.id.clone())
                .collect();
            let hint = if krs.is_empty() {
                "it has no key results yet: add one with `okr add kr`".to_string()
            } else {
                format!("its key results are {}", krs.join(", "))
            };
            Err(Error::invalid_with_hint(
                format!("`{query}` is an objective, not a key result"),
                hint,
            ))
        }
    }
}

/// The pace (today, calendar, thresholds) of a workspace.
pub fn pace(ws: &Workspace, today: NaiveDate) -> Result<crate::model::Pace> {
    Ok(crate::model::Pace::new(today, &ws.settings()?))
}

/// Everything as of `date` (`--as-of`, else today) on the workspace's
/// calendar: the one object every read command computes its numbers with.
pub fn as_of(ws: &Workspace, date: NaiveDate) -> Result<crate::model::asof::AsOf> {
    Ok(crate::model::asof::AsOf::new(date, &ws.settings()?))
}

/// The as-of date of a read command: `--as-of`, else today. A date after
/// today is allowed (a plan for a future day) but said out loud.
pub fn as_of_date<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    given: Option<NaiveDate>,
) -> Result<NaiveDate> {
    let date = given.unwrap_or(ctx.today);
    if date > ctx.today {
        ctx.note(&format!(
            "warning: --as-of {date} is after today ({}); check-ins dated up to {date} count",
            ctx.today
        ))?;
    }
    Ok(date)
}

/// Leaves `v` to the end of the process instead of freeing it, for what a
/// read-only command loaded and is done with just before it exits: the
/// system takes the pages back at once, where freeing a company's model
/// object by object (from the threads that decoded it) was a twentieth of a
/// warm `report --format json`. Only for memory: nothing that must run a
/// destructor (a lock, a file) may go here.
pub fn keep_until_exit<T>(v: T) {
    std::mem::forget(v);
}

/// Tells (on stderr) how many check-ins of `objectives` are dated after the
/// as-of date and therefore count nowhere.
pub fn note_later<'a, W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    asof: &crate::model::asof::AsOf,
    objectives: impl IntoIterator<Item = &'a crate::model::Objective>,
) -> Result<()> {
    note_later_krs(
        ctx,
        asof,
        objectives.into_iter().flat_map(|o| o.key_results.iter()),
    )
}

/// [`note_later`] for some key results.
pub fn note_later_krs<'a, W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    asof: &crate::model::asof::AsOf,
    krs: impl IntoIterator<Item = &'a crate::model::KeyResult>,
) -> Result<()> {
    let n: usize = krs.into_iter().map(|k| asof.later(k)).sum();
    note_later_count(ctx, asof, n)
}

/// Says (on stderr) that `n` check-ins are dated after the as-of date.
pub fn note_later_count<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    asof: &crate::model::asof::AsOf,
    n: usize,
) -> Result<()> {
    if n > 0 {
        let what = if n == 1 {
            "1 check-in is".to_string()
        } else {
            format!("{n} check-ins are")
        };
        ctx.note(&format!(
            "note: {what} dated after {} and not counted (use --as-of to look later)",
            asof.date()
        ))?;
    }
    Ok(())
}

/// Resolves a typed period (`2026-Q3`, `this-quarter` …) on the workspace's calendar.
pub fn resolve_period(
    ws: &Workspace,
    spec: crate::model::PeriodSpec,
    today: NaiveDate,
) -> Result<crate::model::Period> {
    Ok(spec.resolve(today, ws.settings()?.calendar()))
}

/// Refuses to change anything in a period closed by `okr close`, unless `force`.
pub fn ensure_open(ws: &Workspace, period: crate::model::Period, force: bool) -> Result<()> {
    if !force && ws.settings()?.is_closed(period) {
        return Err(Error::invalid_with_hint(
            format!("period {period} is closed"),
            "closed periods are read-only; pass --force to change it anyway",
        ));
    }
    Ok(())
}

/// Parses a `YYYY-MM-DD` date (for clap).
///
/// Strictly four-digit year 0001–9999, two-digit month and day: chrono
/// alone also takes `-2026-01-01`, `+12026-01-01`, `0000-01-01` and
/// `2026-8-1`, which would be written as YAML other tools read differently.
pub fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    let t = s.trim();
    let b = t.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let bad = || {
        format!(
            "`{s}` is not a date: use YYYY-MM-DD with a year from 0001 to 9999, e.g. 2026-08-01"
        )
    };
    if !shape || t.starts_with("0000") {
        return Err(bad());
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| bad())
}

/// Parses a fraction 0.0–1.0 (for clap).
pub fn parse_fraction(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{s}` is out of range: use a number from 0.0 to 1.0"
        )),
    }
}

/// Parses a finite number (for clap).
pub fn parse_number(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a number")),
    }
}

/// Parses a weight, a number greater than 0 (for clap).
pub fn parse_weight(s: &str) -> std::result::Result<f64, String> {
    match parse_number(s) {
        Ok(v) if v > 0.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is out of range: a weight is a number greater than 0"
        )),
    }
}

/// Every ID in use: objectives, key results, initiatives and KPIs. They
/// share one namespace so that any ID names exactly one thing.
fn taken_ids(ws: &Workspace) -> Vec<&str> {
    ws.all_ids().collect()
}

/// The ID for something new: `given` after checking it is valid and free,
/// else a free slug of `title`.
pub fn new_id(ws: &Workspace, given: Option<&str>, title: &str) -> Result<String> {
    let taken = taken_ids(ws);
    match given {
        Some(id) => {
            id::validate(id).map_err(Error::Usage)?;
            if taken.contains(&id) {
                return Err(Error::invalid_with_hint(
                    format!("ID `{id}` is already used in this workspace"),
                    "choose another with --id, or leave --id out to get a free one",
                ));
            }
            Ok(id.to_string())
        }
        None => Ok(id::unique_slug(title, |c| taken.contains(&c))),
    }
}

/// Refuses a metric whose start equals its target (progress is undefined).
pub fn check_metric(start: f64, target: f64) -> Result<()> {
    if start == target {
        return Err(Error::Usage(format!(
            "start and target are both {}: a metric needs a target different from its start",
            crate::model::format_number(start)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod date_tests {
    use super::parse_date;

    #[test]
    fn only_plain_four_digit_dates_are_taken() {
        assert_eq!(
            parse_date(" 2026-08-01 ").unwrap().to_string(),
            "2026-08-01"
        );
        assert_eq!(parse_date("0001-01-01").unwrap().to_string(), "0001-01-01");
        for bad in [
            "-2026-01-01",
            "+12026-01-01",
            "0000-01-01",
            "2026-8-1",
            "2026-02-30",
            "2026-08-01x",
            "２０２６-08-01",
        ] {
            let e = parse_date(bad).unwrap_err();
            assert!(e.contains("0001 to 9999"), "{bad}: {e}");
        }
    }
}
