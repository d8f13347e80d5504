//! `okr close`: grade what is ungraded, print the scorecard, mark the period closed.

use std::io::Write;

use serde::Serialize;

use crate::commands::list::Format;
use crate::commands::{Ctx, resolve_period};
use crate::error::{Error, Result};
use crate::model::grade::{ObjectiveGrade, Scorecard, band, proposal, scorecard};
use crate::model::{Period, PeriodSpec, Settings};

/// Grade every ungraded key result of a period and print its scorecard
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Every key result of the period without a grade gets its proposal: its
progress on the period's last day. Nothing is asked, so it runs the same in a
script. The scorecard lists committed objectives (expected to reach 1.0; less
is a miss to explain) apart from aspirational ones (0.7 is success), with
bands 0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green, and flags an average
aspirational grade above 0.85: targets may be too timid. Afterwards the
period is read-only: changing it needs --force. Closing a period that has
not ended yet (today is on or before its last day) also needs --force.

Examples:
  okr close 2026-Q3
  okr close last-quarter --format json
  okr close this-quarter --force   # early, before its last day")]
pub struct Args {
    /// The period: 2026-Q3, 2026-H1, 2026, last-quarter …
    pub period: PeriodSpec,
    /// Close it before it has ended, or again when it is closed (grades
    /// what is still ungraded)
    #[arg(long)]
    pub force: bool,
    /// Output format of the scorecard
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `okr close`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let mut ws = ctx.open_locked()?;
    let period = resolve_period(&ws, args.period, ctx.today)?;
    let settings = ws.settings()?;
    if settings.is_closed(period) && !args.force {
        return Err(Error::invalid_with_hint(
            format!("period {period} is already closed"),
            "pass --force to close it again",
        ));
    }
    let end = settings.calendar().end(period);
    if ctx.today <= end && !args.force {
        return Err(Error::invalid_with_hint(
            format!("period {period} has not ended yet: it runs until {end}"),
            "grades are final once it is closed; pass --force to close it early",
        ));
    }
    let mut graded = 0;
    for f in &mut ws.files {
        for o in f.doc.objectives.iter_mut().filter(|o| o.period == period) {
            for k in o.key_results.iter_mut().filter(|k| k.grade.is_none()) {
                k.grade = Some(proposal(k, end.min(ctx.today)));
                graded += 1;
            }
        }
    }
    if !ws.objectives().any(|o| o.period == period) {
        return Err(Error::invalid_with_hint(
            format!("no objectives in {period}"),
            "run `okr list` to see the periods in use",
        ));
    }
    if !settings.is_closed(period) {
        let holder = ws
            .files
            .iter()
            .position(|f| f.doc.settings.is_some())
            .unwrap_or(0);
        if let Some(f) = ws.files.get_mut(holder) {
            f.doc
                .settings
                .get_or_insert_with(Settings::default)
                .closed
                .push(period);
        }
    }
    ws.save()?;
    let card = scorecard(
        ws.objectives().filter(|o| o.period == period),
        end.min(ctx.today),
    );
    let text = match args.format {
        Format::Json => crate::render::json::to_string(&card_json(period, &card)),
        Format::Table => crate::render::close::card_text(ctx.style, period, &card),
    };
    ctx.out.write_all(text.as_bytes())?;
    if ctx.today <= end {
        ctx.note(&format!("note: {period} runs until {end}; closed early"))?;
    }
    ctx.note(&format!(
        "Closed {period}: graded {}",
        crate::render::plural::count(graded, "key result")
    ))
}

#[derive(Debug, Serialize)]
struct CardJson<'a> {
    version: u32,
    period: String,
    committed: GroupJson<'a>,
    aspirational: GroupJson<'a>,
    too_timid: bool,
}

#[derive(Debug, Serialize)]
struct GroupJson<'a> {
    average: Option<f64>,
    objectives: Vec<ObjJson<'a>>,
}

#[derive(Debug, Serialize)]
struct ObjJson<'a> {
    id: &'a str,
    title: &'a str,
    grade: f64,
    band: &'static str,
    miss: bool,
    key_results: Vec<KrJson<'a>>,
}

#[derive(Debug, Serialize)]
struct KrJson<'a> {
    id: &'a str,
    title: &'a str,
    grade: f64,
    band: &'static str,
    note: Option<&'a str>,
}

fn group<'a>(v: &[ObjectiveGrade<'a>], average: Option<f64>) -> GroupJson<'a> {
    GroupJson {
        average,
        objectives: v
            .iter()
            .map(|o| ObjJson {
                id: &o.objective.id,
                title: &o.objective.title,
                grade: o.grade,
                band: band(o.grade).as_str(),
                miss: o.miss,
                key_results: o
                    .key_results
                    .iter()
                    .map(|(k, g)| KrJson {
                        id: &k.id,
                        title: &k.title,
                        grade: *g,
                        band: band(*g).as_str(),
                        note: k.grade_note.as_deref(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn card_json<'a>(period: Period, card: &Scorecard<'a>) -> CardJson<'a> {
    CardJson {
        version: crate::render::json::JSON_VERSION,
        period: period.to_string(),
        committed: group(&card.committed, card.committed_average()),
        aspirational: group(&card.aspirational, card.aspirational_average()),
        too_timid: card.too_timid(),
    }
}
