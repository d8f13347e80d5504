//! `okr git setup`: make git merge OKR files with `okr merge-driver`.
//!
//! Two pieces are needed and both are written idempotently: a line in the
//! repository's `.gitattributes` (committed, so every clone marks the same
//! files) and the `merge.okr.*` entries in the clone's own git config (git
//! never takes drivers from the repository, so each clone runs setup once).

use std::io::Write;
use std::path::Path;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::store::{self, fsio, git::Git};

/// Set up git for OKR files
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do
    #[command(subcommand)]
    pub command: GitCommand,
}

/// The `okr git` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum GitCommand {
    /// Register okr's merge driver for the workspace's files
    #[command(after_help = "\
Adds the workspace's files to .gitattributes with `merge=okr` and sets
merge.okr.name and merge.okr.driver in this clone's git config (.git/config).
Running it again changes nothing. Commit .gitattributes so other clones
mark the same files; each clone runs `okr git setup` once for the config.
The driver then works in `git merge`, `git rebase`, `git cherry-pick` and
`okr sync`.

Exit status with --check: 0 when everything is in place, 1 when not.

Examples:
  okr git setup
  okr git setup --check
  okr -f okrs/ git setup")]
    Setup(SetupArgs),
}

/// Options of `okr git setup`.
#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    /// Only report whether the setup is in place; change nothing
    #[arg(long)]
    pub check: bool,
}

/// Runs `okr git`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    match &args.command {
        GitCommand::Setup(a) => setup(ctx, a),
    }
}

/// The git config entries of the driver.
fn driver_config() -> Vec<(&'static str, String)> {
    vec![
        (
            "merge.okr.name",
            "okr: merge OKR files by their model".to_string(),
        ),
        (
            "merge.okr.driver",
            format!("{} merge-driver %O %A %B %P", okr_command()),
        ),
    ]
}

/// How git should start okr: this very executable, so a build outside PATH
/// works too.
fn okr_command() -> String {
    match std::env::current_exe() {
        Ok(p) => shell_quote(&p.display().to_string()),
        Err(_) => "okr".to_string(),
    }
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The `.gitattributes` lines for a workspace at `rel` (relative to the top).
pub fn attribute_lines(rel: &str, is_dir: bool) -> Vec<String> {
    let esc = rel.replace(' ', "[[:space:]]");
    if is_dir {
        let dir = if esc.is_empty() {
            String::new()
        } else {
            format!("/{esc}/**/")
        };
        vec![
            format!("{dir}*.yaml merge=okr"),
            format!("{dir}*.yml merge=okr"),
        ]
    } else {
        vec![format!("/{esc} merge=okr")]
    }
}

fn setup<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &SetupArgs) -> Result<()> {
    let root = store::discover(ctx.file.as_deref(), &ctx.cwd)?;
    let git = Git::open(&root)?;
    let rel = git.relative(&root)?;
    let wanted = attribute_lines(&rel, root.is_dir());
    let attrs = git.top().join(".gitattributes");
    let existing = std::fs::read_to_string(&attrs).unwrap_or_default();
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|l| !existing.lines().any(|e| e.trim() == l.as_str()))
        .collect();
    let mut config_missing = Vec::new();
    for (key, value) in driver_config() {
        if git.config_get(key)?.as_deref() != Some(value.as_str()) {
            config_missing.push((key, value));
        }
    }
    if args.check {
        return report_check(ctx, &missing, &config_missing);
    }
    if !missing.is_empty() {
        let mut text = existing.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for l in &missing {
            text.push_str(l);
            text.push('\n');
        }
        fsio::write_atomic(&attrs, text.as_bytes())?;
        ctx.note(&format!(
            "added to {}: {}",
            display(&attrs),
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
    }
    for (key, value) in &config_missing {
        git.config_set(key, value)?;
        ctx.note(&format!("git config {key} = {value}"))?;
    }
    if missing.is_empty() && config_missing.is_empty() {
        ctx.note("okr's merge driver is already set up")?;
    } else if !missing.is_empty() {
        ctx.note("commit .gitattributes so that every clone merges OKR files with okr")?;
    }
    Ok(())
}

fn report_check<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    missing: &[&String],
    config_missing: &[(&str, String)],
) -> Result<()> {
    if missing.is_empty() && config_missing.is_empty() {
        writeln!(ctx.out, "okr merge driver: set up")?;
        return Ok(());
    }
    writeln!(ctx.out, "okr merge driver: not set up")?;
    for l in missing {
        writeln!(ctx.out, "  .gitattributes lacks `{l}`")?;
    }
    for (key, _) in config_missing {
        writeln!(ctx.out, "  git config lacks {key} (or it differs)")?;
    }
    Err(Error::Exit {
        message: "okr's merge driver is not set up: run `okr git setup`".to_string(),
        code: 1,
    })
}

fn display(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lines_for_a_file_and_a_directory() {
        assert_eq!(
            attribute_lines("okrs.yaml", false),
            ["/okrs.yaml merge=okr"]
        );
        assert_eq!(
            attribute_lines("team okrs", true),
            [
                "/team[[:space:]]okrs/**/*.yaml merge=okr",
                "/team[[:space:]]okrs/**/*.yml merge=okr"
            ]
        );
        assert_eq!(attribute_lines("", true)[0], "*.yaml merge=okr");
    }
}
