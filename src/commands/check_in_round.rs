//! The weekly check-in round: `okr check-in` without a key result, on a
//! terminal, walks through the key results that are due (model/due.rs).
//!
//! Answers are collected from a workspace read without the lock (a round
//! can take minutes and must not block other `okr` processes); at the end
//! the workspace is locked, read again, every answer applied and saved in
//! one atomic write. Ctrl-C, or any error, leaves every file untouched.

use std::io::Write;

use crate::commands::check_in::{Args, parse_value};
use crate::commands::{Ctx, due, ensure_open, resolve_key_result};
use crate::error::{Error, Result};
use crate::model::due::Whose;
use crate::model::{CheckIn, KeyResult, Measure, Objective, Pace, format_number};
use crate::prompt::{Interrupted, Prompter, Question};
use crate::render::{percent, value_with_unit};

/// One answer of the round.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The key result's ID.
    pub id: String,
    /// The check-in to append.
    pub check_in: CheckIn,
}

/// Runs the round when `okr check-in` has no key result: on a terminal,
/// asks; otherwise a usage error naming the missing arguments.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    if !crate::prompt::interactive() {
        return Err(Error::Usage(
            "okr check-in needs KEY_RESULT and VALUE when not on a terminal, e.g. `okr check-in visitors 550000`".to_string(),
        ));
    }
    run_with(ctx, args, &mut crate::prompt::Terminal)
}

/// The round with any prompter.
pub fn run_with<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    args: &Args,
    prompter: &mut dyn Prompter,
) -> Result<()> {
    let ws = ctx.open()?;
    let me = due::owner(ctx, args.owner.as_deref(), false)?;
    let author = args.author.clone().or_else(|| me.clone());
    let whose = me.as_deref().map_or(Whose::All, Whose::Owner);
    let list = due::due_list(&ws, whose, ctx.today)?;
    if list.is_empty() {
        let who = me.unwrap_or_default();
        return ctx.note(&format!(
            "Nothing due for `{who}`: every key result is checked in."
        ));
    }
    let pace = crate::commands::pace(&ws, ctx.today)?;
    let date = args.date.unwrap_or(ctx.today);
    let total = list.len();
    ctx.note(&format!(
        "{total} key results due. Enter skips one; Ctrl-C stops and saves nothing."
    ))?;
    let mut answers = Vec::new();
    for (i, (o, k)) in list.into_iter().enumerate() {
        ctx.note(&format!("\n[{}/{total}] {}", i + 1, header(&pace, o, k)))?;
        match ask(prompter, k, date, author.as_deref()) {
            Ok(Some(c)) => answers.push(Answer {
                id: k.id.clone(),
                check_in: c,
            }),
            Ok(None) => {}
            Err(Interrupted) => {
                return Err(Error::Exit {
                    message: "check-in round interrupted: nothing was written".to_string(),
                    code: crate::error::EXIT_INTERRUPTED,
                });
            }
        }
    }
    drop(ws);
    save(ctx, args, &answers)?;
    summary(ctx, &answers, total)
}

/// Who, what, where it stands: one line, then one of numbers.
fn header(pace: &Pace, o: &Objective, k: &KeyResult) -> String {
    let p = k.progress();
    let a = pace.key_result(o, k);
    let last = match p.last_check_in {
        Some(d) => format!("{} on {d}", value_with_unit(&k.measure, p.current)),
        None => "no check-in yet".to_string(),
    };
    let target = match &k.measure {
        Measure::Metric { target, unit, .. } => {
            let u = unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            format!("{}{u}", format_number(*target))
        }
        Measure::Milestone => "done".to_string(),
    };
    format!(
        "{} — {}\n  last: {last} · target: {target} · progress {} (pace {}) · {}",
        k.id,
        k.title,
        percent(a.progress),
        percent(a.expected),
        a.status.as_str()
    )
}

/// Asks value, confidence and note for one key result; `None` when skipped.
fn ask(
    prompter: &mut dyn Prompter,
    k: &KeyResult,
    date: chrono::NaiveDate,
    author: Option<&str>,
) -> std::result::Result<Option<CheckIn>, Interrupted> {
    let p = k.progress();
    let last_value = p.last_check_in.map(|_| p.current.to_string());
    let check_value = |s: &str| {
        parse_value(&k.measure, s)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let hint = match k.measure {
        Measure::Metric { .. } => "a number; Enter skips this key result",
        Measure::Milestone => "done, todo or a score 0.0–1.0; Enter skips",
    };
    let raw = prompter.ask(&Question {
        message: "New value:",
        default: None,
        placeholder: last_value.as_deref(),
        help: Some(hint),
        check: Some(&check_value),
    })?;
    if raw.is_empty() {
        return Ok(None);
    }
    let Ok(value) = parse_value(&k.measure, &raw) else {
        return Ok(None);
    };
    let last_conf = p.confidence.map(format_number);
    let check_conf = |s: &str| match s.parse::<f64>() {
        Ok(c) if (0.0..=1.0).contains(&c) => Ok(()),
        _ => Err("use a number from 0.0 to 1.0".to_string()),
    };
    let conf = prompter.ask(&Question {
        message: "Confidence (0.0–1.0):",
        default: last_conf.as_deref(),
        placeholder: None,
        help: None,
        check: Some(&check_conf),
    })?;
    let note = prompter.ask(&Question {
        message: "Note (optional):",
        ..Question::new("")
    })?;
    Ok(Some(CheckIn {
        date,
        value,
        confidence: conf.parse().ok(),
        note: Some(note).filter(|n| !n.is_empty()),
        author: author.map(str::to_string),
    }))
}

/// Applies every answer to a freshly locked workspace and saves once.
fn save<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args, answers: &[Answer]) -> Result<()> {
    if answers.is_empty() {
        return Ok(());
    }
    let mut ws = ctx.open_locked()?;
    for a in answers {
        let addr = resolve_key_result(&ws, &a.id)?;
        ensure_open(&ws, ws.objective(addr).period, args.force)?;
        let Some(kr) = ws.key_result_mut(addr) else {
            return Err(Error::invalid("not a key result"));
        };
        kr.check_ins.push(a.check_in.clone());
    }
    ws.save()?;
    Ok(())
}

fn summary<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    answers: &[Answer],
    total: usize,
) -> Result<()> {
    ctx.note(&format!(
        "\nRecorded {} check-in{}, skipped {}.",
        answers.len(),
        if answers.len() == 1 { "" } else { "s" },
        total - answers.len()
    ))?;
    for a in answers {
        let c = &a.check_in;
        let conf = c
            .confidence
            .map(|x| format!(", confidence {}", format_number(x)))
            .unwrap_or_default();
        ctx.note(&format!("  {}: {}{conf}", a.id, c.value))?;
    }
    Ok(())
}
