//! `okr export csv` and `okr import csv FILE`: a spreadsheet's way in and out.
//!
//! One sheet, one row per objective, key result and (with `--check-ins`)
//! check-in, with named columns (docs/csv.md). Rows become model values
//! through the model's own serde readers, so an imported key result is
//! checked exactly like one read from a file. Import is all or nothing: every
//! row is read and checked first, and a bad row stops it before anything is
//! written, naming its row number (as a spreadsheet shows it) and column.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::commands::{Ctx, new_id};
use crate::error::{Error, Result};
use crate::model::{CheckIn, KeyResult, Objective, format_number};
use crate::store::{Address, Workspace};

/// The columns of `okr export csv`, in order.
pub const COLUMNS: [&str; 28] = [
    "type",
    "objective_id",
    "objective",
    "description",
    "objective_owner",
    "level",
    "period",
    "kind",
    "parent",
    "kr_id",
    "key_result",
    "owner",
    "start",
    "target",
    "at_least",
    "at_most",
    "unit",
    "milestone",
    "weight",
    "stretch",
    "kpi",
    "grade",
    "grade_note",
    "date",
    "value",
    "confidence",
    "note",
    "author",
];

/// The key-result fields with a column of their own (besides `kr_id` and
/// `key_result`): the same names in the same order as in [`COLUMNS`].
const KR_FIELDS: [&str; 12] = [
    "owner",
    "start",
    "target",
    "at_least",
    "at_most",
    "unit",
    "milestone",
    "weight",
    "stretch",
    "kpi",
    "grade",
    "grade_note",
];

/// Columns read as numbers.
const NUMBERS: [&str; 7] = [
    "start",
    "target",
    "at_least",
    "at_most",
    "weight",
    "grade",
    "confidence",
];
/// Columns read as yes/no.
const FLAGS: [&str; 2] = ["milestone", "stretch"];

/// Other names a spreadsheet user might give a column (compared without
/// case, spaces, `_` or `-`).
const ALIASES: [(&str, &str); 22] = [
    ("objectiveid", "objective_id"),
    ("objectivetitle", "objective"),
    ("goal", "objective"),
    ("objectiveowner", "objective_owner"),
    ("quarter", "period"),
    ("krid", "kr_id"),
    ("keyresultid", "kr_id"),
    ("keyresult", "key_result"),
    ("keyresulttitle", "key_result"),
    ("kr", "key_result"),
    ("krowner", "owner"),
    ("baseline", "start"),
    ("startvalue", "start"),
    ("targetvalue", "target"),
    ("atleast", "at_least"),
    ("minimum", "at_least"),
    ("atmost", "at_most"),
    ("maximum", "at_most"),
    ("gradenote", "grade_note"),
    ("current", "value"),
    ("currentvalue", "value"),
    ("comment", "note"),
];

/// The canonical column a header names, if any.
pub fn canonical_column(header: &str) -> Option<&'static str> {
    let key: String = header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    COLUMNS
        .iter()
        .copied()
        .find(|c| c.replace('_', "") == key)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == key).map(|(_, c)| *c))
}

// ---------- export ----------

/// Writes the workspace as CSV.
pub fn export<W: Write>(ws: &Workspace, check_ins: bool, out: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS).map_err(csv_err)?;
    for o in ws.objectives() {
        let ov = to_map(o)?;
        let mut row = Row::new("objective");
        for (col, key) in [
            ("objective_id", "id"),
            ("objective", "title"),
            ("description", "description"),
            ("objective_owner", "owner"),
            ("level", "level"),
            ("period", "period"),
            ("kind", "kind"),
            ("parent", "parent"),
        ] {
            row.set(col, ov.get(key));
        }
        row.set("kind", Some(&Value::String(o.kind.as_str().to_string())));
        w.write_record(row.cells()).map_err(csv_err)?;
        for k in &o.key_results {
            write_kr(&mut w, o, k, check_ins)?;
        }
    }
    w.flush()?;
    Ok(())
}

fn write_kr<W: Write>(
    w: &mut csv::Writer<W>,
    o: &Objective,
    k: &KeyResult,
    check_ins: bool,
) -> Result<()> {
    let kv = to_map(k)?;
    let mut row = Row::new("key_result");
    row.set("objective_id", Some(&Value::String(o.id.clone())));
    row.set("kr_id", kv.get("id"));
    row.set("key_result", kv.get("title"));
    for col in KR_FIELDS {
        row.set(col, kv.get(col));
    }
    w.write_record(row.cells()).map_err(csv_err)?;
    if check_ins {
        for c in &k.check_ins {
            let cv = to_map(c)?;
            let mut row = Row::new("check_in");
            row.set("objective_id", Some(&Value::String(o.id.clone())));
            row.set("kr_id", Some(&Value::String(k.id.clone())));
            for col in ["date", "value", "confidence", "note", "author"] {
                row.set(col, cv.get(col));
            }
            w.write_record(row.cells()).map_err(csv_err)?;
        }
    }
    Ok(())
}

struct Row(Vec<String>);

impl Row {
    fn new(kind: &str) -> Self {
        let mut cells = vec![String::new(); COLUMNS.len()];
        cells[0] = kind.to_string();
        Row(cells)
    }
    fn set(&mut self, col: &str, v: Option<&Value>) {
        let Some(i) = COLUMNS.iter().position(|c| *c == col) else {
            return;
        };
        self.0[i] = match v {
            None | Some(Value::Null) | Some(Value::Bool(false)) => String::new(),
            Some(Value::Bool(true)) => "true".to_string(),
            Some(Value::Number(n)) => n.as_f64().map(format_number).unwrap_or_default(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
    }
    fn cells(&self) -> impl Iterator<Item = String> + '_ {
        self.0.iter().map(|c| escape_formula(c))
    }
}

/// A cell a spreadsheet could run as a formula gets a leading `'`.
fn escape_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn unescape_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn to_map<T: serde::Serialize>(v: &T) -> Result<Map<String, Value>> {
    match serde_json::to_value(v).map_err(std::io::Error::from)? {
        Value::Object(m) => Ok(m),
        _ => Err(Error::invalid("cannot export this value")),
    }
}

fn csv_err(e: csv::Error) -> Error {
    Error::invalid(format!("CSV: {e}"))
}

// ---------- import ----------

/// What an import creates, in order.
#[derive(Debug, Default)]
pub struct Plan {
    /// New objectives.
    pub objectives: Vec<Objective>,
    /// New key results: (objective ID, key result).
    pub key_results: Vec<(String, KeyResult)>,
    /// New check-ins: (key result ID, check-in).
    pub check_ins: Vec<(String, CheckIn)>,
}

/// One cell problem: spreadsheet row (header = 1) and column.
fn at(row: usize, col: Option<&str>, msg: impl std::fmt::Display) -> Error {
    match col {
        Some(c) => Error::invalid(format!("row {row}, column {c}: {msg}")),
        None => Error::invalid(format!("row {row}: {msg}")),
    }
}

/// Reads a CSV text into a plan against `ws` (which it changes in memory
/// only: call save() to write). Every row is checked before any is applied.
pub fn import(ws: &mut Workspace, text: &str, today: chrono::NaiveDate) -> Result<Plan> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = r.headers().map_err(csv_err)?.clone();
    let mut cols: Vec<Option<&'static str>> = Vec::new();
    for h in &headers {
        let c = canonical_column(h);
        if c.is_some() && cols.contains(&c) {
            return Err(at(1, Some(h), "this column appears twice"));
        }
        cols.push(c);
    }
    if !cols.contains(&Some("objective"))
        && !cols.contains(&Some("objective_id"))
        && !cols.contains(&Some("kr_id"))
    {
        return Err(Error::invalid_with_hint(
            "the sheet has no `Objective` (or `objective_id`) column",
            format!(
                "the columns okr reads are listed in docs/csv.md: {}",
                COLUMNS.join(", ")
            ),
        ));
    }
    let settings = ws.settings()?;
    let default_period = settings
        .default_period
        .unwrap_or_else(|| settings.calendar().quarter_of(today));
    let mut plan = Plan::default();
    let mut titles: HashMap<String, String> = ws
        .objectives()
        .map(|o| (o.title.trim().to_lowercase(), o.id.clone()))
        .collect();
    for (i, rec) in r.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| at(row, None, e))?;
        let mut cells: HashMap<&str, String> = HashMap::new();
        for (c, v) in cols.iter().zip(rec.iter()) {
            let v = unescape_formula(v.trim()).to_string();
            if let (Some(c), false) = (c, v.is_empty()) {
                cells.insert(c, v);
            }
        }
        if cells.is_empty() {
            continue;
        }
        import_row(
            ws,
            &mut plan,
            &mut titles,
            &cells,
            row,
            default_period,
            today,
        )?;
    }
    Ok(plan)
}

fn kind_of(cells: &HashMap<&str, String>, row: usize) -> Result<&'static str> {
    if let Some(t) = cells.get("type") {
        return match t.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "objective" => Ok("objective"),
            "key_result" | "kr" => Ok("key_result"),
            "check_in" | "checkin" => Ok("check_in"),
            _ => Err(at(
                row,
                Some("type"),
                format!("`{t}` is not objective, key_result or check_in"),
            )),
        };
    }
    let has = |c: &str| cells.contains_key(c);
    let measured = ["target", "milestone", "at_least", "at_most"]
        .iter()
        .any(|c| has(c));
    let kr = has("key_result") || has("kr_id");
    Ok(if kr && measured {
        "key_result"
    } else if kr && has("value") {
        "check_in"
    } else if has("key_result") {
        // Reads as a key result, so its missing target is the error shown.
        "key_result"
    } else {
        "objective"
    })
}

fn import_row(
    ws: &mut Workspace,
    plan: &mut Plan,
    titles: &mut HashMap<String, String>,
    cells: &HashMap<&str, String>,
    row: usize,
    default_period: crate::model::Period,
    today: chrono::NaiveDate,
) -> Result<()> {
    match kind_of(cells, row)? {
        "objective" => {
            objective_for(ws, plan, titles, cells, row, default_period, true)?;
        }
        "key_result" => {
            let oid = objective_for(ws, plan, titles, cells, row, default_period, false)?;
            let title = cells
                .get("key_result")
                .ok_or_else(|| at(row, Some("key_result"), "a key result needs a title"))?;
            let id = new_id(ws, cells.get("kr_id").map(String::as_str), title)
                .map_err(|e| at(row, Some("kr_id"), e))?;
            let mut m = Map::new();
            m.insert("id".into(), Value::String(id.clone()));
            m.insert("title".into(), Value::String(title.clone()));
            for col in KR_FIELDS {
                put(&mut m, col, col, cells, row)?;
            }
            let kr: KeyResult =
                serde_json::from_value(Value::Object(m)).map_err(|e| at(row, None, e))?;
            add_kr(ws, &oid, kr.clone())?;
            plan.key_results.push((oid, kr));
            if cells.contains_key("value") {
                check_in_for(ws, plan, &id, cells, row, today)?;
            }
        }
        _ => {
            let id = kr_for(ws, cells, row)?;
            check_in_for(ws, plan, &id, cells, row, today)?;
        }
    }
    Ok(())
}

/// Copies a cell into `m` as the model expects it (number, flag or text).
fn put(
    m: &mut Map<String, Value>,
    col: &str,
    key: &str,
    cells: &HashMap<&str, String>,
    row: usize,
) -> Result<()> {
    let Some(v) = cells.get(col) else {
        return Ok(());
    };
    let value = if NUMBERS.contains(&col) {
        let n = v
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| at(row, Some(col), format!("`{v}` is not a number")))?;
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    } else if FLAGS.contains(&col) {
        match v.to_lowercase().as_str() {
            "true" | "yes" | "y" | "x" | "1" => Value::Bool(true),
            "false" | "no" | "n" | "0" => Value::Bool(false),
            _ => return Err(at(row, Some(col), format!("`{v}` is not yes or no"))),
        }
    } else {
        Value::String(v.clone())
    };
    m.insert(key.to_string(), value);
    Ok(())
}

/// The objective a row names (by ID, else by title), created when new.
fn objective_for(
    ws: &mut Workspace,
    plan: &mut Plan,
    titles: &mut HashMap<String, String>,
    cells: &HashMap<&str, String>,
    row: usize,
    default_period: crate::model::Period,
    explicit: bool,
) -> Result<String> {
    let given_id = cells.get("objective_id");
    let title = cells.get("objective");
    if let Some(id) = given_id
        && ws.has_id(id)
    {
        if explicit && plan.objectives.iter().all(|o| &o.id != id) {
            return Err(at(
                row,
                Some("objective_id"),
                format!("objective `{id}` already exists"),
            ));
        }
        return match ws.address(id) {
            Some(Address::Objective(..)) => Ok(id.clone()),
            _ => Err(at(
                row,
                Some("objective_id"),
                format!("`{id}` is not an objective"),
            )),
        };
    }
    if given_id.is_none()
        && let Some(t) = title
        && let Some(id) = titles.get(&t.trim().to_lowercase())
    {
        return Ok(id.clone());
    }
    let title = title.ok_or_else(|| at(row, Some("objective"), "a new objective needs a title"))?;
    let id = new_id(ws, given_id.map(String::as_str), title)
        .map_err(|e| at(row, Some("objective_id"), e))?;
    let mut m = Map::new();
    m.insert("id".into(), Value::String(id.clone()));
    m.insert("title".into(), Value::String(title.clone()));
    m.insert("period".into(), Value::String(default_period.to_string()));
    for (col, key) in [
        ("description", "description"),
        ("objective_owner", "owner"),
        ("level", "level"),
        ("period", "period"),
        ("kind", "kind"),
        ("parent", "parent"),
    ] {
        put(&mut m, col, key, cells, row)?;
    }
    for key in ["level", "kind"] {
        if let Some(Value::String(s)) = m.get_mut(key) {
            *s = s.to_lowercase();
        }
    }
    let o: Objective = serde_json::from_value(Value::Object(m)).map_err(|e| at(row, None, e))?;
    if let Some(p) = &o.parent
        && !ws.has_id(p)
    {
        return Err(at(
            row,
            Some("parent"),
            format!("no objective `{p}` (a parent must come first)"),
        ));
    }
    titles.insert(o.title.trim().to_lowercase(), id.clone());
    let fi = target_file(ws);
    ws.files[fi].doc.objectives.push(o.clone());
    plan.objectives.push(o);
    Ok(id)
}

/// The file new objectives go to: the one holding settings, else the first.
fn target_file(ws: &Workspace) -> usize {
    ws.files
        .iter()
        .position(|f| f.doc.settings.is_some())
        .unwrap_or(0)
}

fn add_kr(ws: &mut Workspace, objective: &str, kr: KeyResult) -> Result<()> {
    let Some(addr) = ws.address(objective) else {
        return Err(Error::invalid(format!("no objective `{objective}`")));
    };
    ws.objective_mut(addr).key_results.push(kr);
    Ok(())
}

fn kr_for(ws: &Workspace, cells: &HashMap<&str, String>, row: usize) -> Result<String> {
    if let Some(id) = cells.get("kr_id") {
        return match ws.address(id) {
            Some(Address::KeyResult(..)) => Ok(id.clone()),
            _ => Err(at(row, Some("kr_id"), format!("no key result `{id}`"))),
        };
    }
    let t = cells
        .get("key_result")
        .map(|t| t.trim().to_lowercase())
        .unwrap_or_default();
    ws.objectives()
        .flat_map(|o| o.key_results.iter())
        .find(|k| k.title.trim().to_lowercase() == t)
        .map(|k| k.id.clone())
        .ok_or_else(|| {
            at(
                row,
                Some("key_result"),
                "a check-in row needs the kr_id or title of a key result",
            )
        })
}

fn check_in_for(
    ws: &mut Workspace,
    plan: &mut Plan,
    kr: &str,
    cells: &HashMap<&str, String>,
    row: usize,
    today: chrono::NaiveDate,
) -> Result<()> {
    let mut m = Map::new();
    m.insert("date".into(), Value::String(today.to_string()));
    for col in ["date", "value", "confidence", "note", "author"] {
        put(&mut m, col, col, cells, row)?;
    }
    if !m.contains_key("value") {
        return Err(at(row, Some("value"), "a check-in needs a value"));
    }
    let c: CheckIn = serde_json::from_value(Value::Object(m)).map_err(|e| at(row, None, e))?;
    let addr = ws
        .address(kr)
        .ok_or_else(|| at(row, Some("kr_id"), format!("no key result `{kr}`")))?;
    let Some(k) = ws.key_result_mut(addr) else {
        return Err(at(
            row,
            Some("kr_id"),
            format!("`{kr}` is not a key result"),
        ));
    };
    if let Err(e) = crate::commands::check_in::parse_value(&k.measure, &c.value.to_string()) {
        return Err(at(row, Some("value"), e));
    }
    k.check_ins.push(c.clone());
    plan.check_ins.push((kr.to_string(), c));
    Ok(())
}

// ---------- commands ----------

/// Write objectives, key results and check-ins as CSV
#[derive(Debug, clap::Args)]
#[command(after_help = "\
One row per objective, key result and (with --check-ins) check-in; the
`type` column says which. Columns are documented in docs/csv.md. Cells a
spreadsheet could run as a formula (starting with = + - @) get a leading '.

Examples:
  okr export csv > okrs.csv
  okr export csv --check-ins -o history.csv")]
pub struct ExportArgs {
    /// The format (only csv)
    #[arg(value_parser = ["csv"])]
    pub format: String,
    /// Also write every check-in
    #[arg(long)]
    pub check_ins: bool,
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `okr export`.
pub fn run_export<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &ExportArgs) -> Result<()> {
    let ws = ctx.open()?;
    match &args.output {
        None => export(&ws, args.check_ins, &mut ctx.out),
        Some(p) => {
            let mut buf = Vec::new();
            export(&ws, args.check_ins, &mut buf)?;
            let p = ctx.cwd.join(p);
            crate::store::fsio::write_atomic(&p, &buf)?;
            ctx.note(&format!("Wrote {}", p.display()))
        }
    }
}

/// Create objectives, key results and check-ins from a CSV sheet
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Reads the columns of `okr export csv` and the names a spreadsheet would use
(Objective, Key result, Target, Start, Unit, Owner, Current …), in any
order; docs/csv.md lists them. Objectives are matched by ID, else by title,
and created when new. All or nothing: when any row is invalid, nothing is
written and the error names the row and column.

Examples:
  okr import csv okrs.csv --dry-run
  okr import csv okrs.csv")]
pub struct ImportArgs {
    /// The format (only csv)
    #[arg(value_parser = ["csv"])]
    pub format: String,
    /// The CSV file (- for stdin)
    #[arg(value_name = "FILE")]
    pub sheet: PathBuf,
    /// Show what would be created and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `okr import`.
pub fn run_import<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &ImportArgs) -> Result<()> {
    let text = if args.sheet.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        let p = ctx.cwd.join(&args.sheet);
        std::fs::read_to_string(&p).map_err(|e| crate::store::StoreError::io(&p, e))?
    };
    let mut ws = if args.dry_run {
        ctx.open_preview()?
    } else {
        ctx.open_locked()?
    };
    let plan = import(&mut ws, &text, ctx.today)?;
    ws.pending_writes()?;
    for o in &plan.objectives {
        writeln!(ctx.out, "objective\t{}\t{}", o.id, o.title)?;
    }
    for (o, k) in &plan.key_results {
        writeln!(ctx.out, "key_result\t{}\t{}\t{o}", k.id, k.title)?;
    }
    for (k, c) in &plan.check_ins {
        writeln!(ctx.out, "check_in\t{k}\t{}\t{}", c.date, c.value)?;
    }
    let summary = format!(
        "{}, {}, {}",
        crate::render::plural::count(plan.objectives.len(), "objective"),
        crate::render::plural::count(plan.key_results.len(), "key result"),
        crate::render::plural::count(plan.check_ins.len(), "check-in")
    );
    if args.dry_run {
        return ctx.note(&format!(
            "Dry run: would create {summary}; nothing written."
        ));
    }
    ws.save()?;
    ctx.note(&format!("Imported {summary}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_result_fields_are_a_run_of_the_export_columns() {
        let at = COLUMNS.iter().position(|c| *c == KR_FIELDS[0]).unwrap();
        assert_eq!(&COLUMNS[at..at + KR_FIELDS.len()], &KR_FIELDS[..]);
    }
}
