//! `okr due`: the key results waiting for a check-in (model/due.rs has the
//! rule), one line each; `--count` for a shell prompt.

use std::io::Write;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::model::due::{self, Whose};
use crate::model::{KeyResult, Objective};
use crate::render::{percent, value_with_unit};
use crate::store::{Workspace, identity, user};

/// List the key results waiting for a check-in
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Due: in an objective whose period contains today, not done, not graded,
owned by you (the key result's owner, else its objective's), and not checked
in during the last settings.cadence_days days [default: 7]. \"You\" is the
user setting `name`, else `git config user.name`, else $USER.

Each line: ID, title, current value and date of the last check-in.

Examples:
  okr due
  okr due --owner marketing
  okr due --all --count          # e.g. in a shell prompt")]
pub struct Args {
    /// Whose key results [default: yours]
    #[arg(long, conflicts_with = "all")]
    pub owner: Option<String>,
    /// Everyone's key results
    #[arg(long)]
    pub all: bool,
    /// Print only the number of due key results
    #[arg(long)]
    pub count: bool,
}

/// Runs `okr due`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let ws = ctx.open()?;
    let me = owner(ctx, args.owner.as_deref(), args.all)?;
    let whose = me.as_deref().map_or(Whose::All, Whose::Owner);
    let list = due_list(&ws, whose, ctx.today)?;
    if args.count {
        writeln!(ctx.out, "{}", list.len())?;
        return Ok(());
    }
    for (_, k) in &list {
        writeln!(ctx.out, "{}", line(k))?;
    }
    if list.is_empty() {
        let who = me.map_or_else(|| "anyone".to_string(), |m| format!("`{m}`"));
        ctx.note(&format!("Nothing due for {who}."))?;
    }
    Ok(())
}

/// The owner a due list is for: `--owner`, nobody with `--all`, else "me".
pub fn owner<W: Write, E: Write>(
    ctx: &Ctx<W, E>,
    given: Option<&str>,
    all: bool,
) -> Result<Option<String>> {
    if all {
        return Ok(None);
    }
    if let Some(o) = given {
        return Ok(Some(o.to_string()));
    }
    let u = user::load()?;
    match identity::me(u.name.as_deref(), &ctx.cwd) {
        Some(i) => Ok(Some(i.name)),
        None => Err(Error::invalid_with_hint(
            "cannot tell who you are",
            "set one with `okr config set name NAME --user`, or pass --owner or --all",
        )),
    }
}

/// The due key results of a workspace.
pub fn due_list<'a>(
    ws: &'a Workspace,
    whose: Whose<'_>,
    today: chrono::NaiveDate,
) -> Result<Vec<(&'a Objective, &'a KeyResult)>> {
    Ok(due::due(ws.objectives(), whose, today, &ws.settings()?))
}

fn line(k: &KeyResult) -> String {
    let p = k.progress();
    let last = match p.last_check_in {
        Some(d) => format!("{} on {d}", value_with_unit(&k.measure, p.current)),
        None => "no check-in yet".to_string(),
    };
    let s = crate::render::text::sanitize;
    format!(
        "{}\t{}\t{} ({})",
        s(&k.id),
        s(&k.title),
        s(&last),
        percent(p.progress)
    )
}

/// The author of a check-in given without `--author`: "me", if known.
pub fn default_author(cwd: &std::path::Path) -> Option<String> {
    let u = user::load().ok()?;
    identity::me(u.name.as_deref(), cwd).map(|i| i.name)
}
