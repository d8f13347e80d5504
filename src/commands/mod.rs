//! The subcommands: one file each, holding its clap `Args` and its `run`.
//!
//! A command gets a [`Ctx`] (where the workspace is, what day it is, where
//! output goes), changes the model and asks the store to save. It never
//! writes YAML and never reads the clock.

pub mod add;
pub mod add_prompt;
pub mod check;
pub mod check_in;
pub mod check_in_round;
pub mod close;
pub mod completions;
pub mod config;
pub mod csv_io;
pub mod due;
pub mod edit;
pub mod edit_editor;
pub mod grade;
pub mod history;
pub mod init;
pub mod initiative;
pub mod kpi;
pub mod list;
pub mod man;
pub mod refresh;
pub mod report;
pub mod rm;
pub mod rollover;
pub mod schema;
pub mod show;
pub mod tree;

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::model::id::{self, Lookup};
use crate::render::Style;
use crate::store::{self, Address, Workspace};

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

    /// Finds, locks and reads the workspace for a command that changes it.
    pub fn open_locked(&self) -> Result<Workspace> {
        let root = store::discover(self.file.as_deref(), &self.cwd)?;
        Ok(Workspace::open_locked(&root)?)
    }

    /// Prints a message for the user on stderr (never data).
    pub fn note(&mut self, msg: &str) -> Result<()> {
        // A closed stderr is no reason to fail a command that already worked.
        let _ = writeln!(self.err, "{}", crate::render::text::sanitize_multiline(msg));
        Ok(())
    }
}

/// Resolves a typed ID or unique prefix to its place in the workspace.
pub fn resolve(ws: &Workspace, query: &str) -> Result<Address> {
    match id::resolve(query, ws.ids()) {
        Lookup::Found(id) => ws.address(&id).ok_or_else(|| Error::UnknownId {
            query: query.to_string(),
            suggestions: vec![],
        }),
        Lookup::Ambiguous(candidates) => Err(Error::AmbiguousId {
            query: query.to_string(),
            candidates,
        }),
        Lookup::NotFound(suggestions) => Err(Error::UnknownId {
            query: query.to_string(),
            suggestions,
        }),
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
pub fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date: use YYYY-MM-DD, e.g. 2026-08-01"))
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
    let initiatives = ws
        .objectives()
        .flat_map(|o| o.key_results.iter())
        .flat_map(|k| k.initiatives.iter().map(|i| i.id.as_str()));
    let kpis = ws
        .files
        .iter()
        .flat_map(|f| f.doc.kpis.iter().map(|k| k.id.as_str()));
    ws.ids().chain(initiatives).chain(kpis).collect()
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
        None => Ok(id::unique(&id::slugify(title), |c| taken.contains(&c))),
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
