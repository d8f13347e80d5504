//! `okr init`: start a workspace.

use std::io::Write;
use std::path::PathBuf;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::model::{Calendar, Document, PeriodSpec, Settings, okr::month_number};
use crate::store::{self, DEFAULT_DIR, DEFAULT_FILE, StoreError, fsio};

/// Create okrs.yaml with a short commented header
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Creates ./okrs.yaml (or the file named by -f/OKR_FILE). Refuses to overwrite
an existing workspace. The file starts with a yaml-language-server modeline
naming okr.schema.json, which is written beside it (unless one exists) so
editors validate and complete the file; refresh it with `okr schema`.

Examples:
  okr init --period 2026-Q3
  okr init --period this-quarter --fiscal-year-start february
  okr -f team/okrs.yaml init")]
pub struct Args {
    /// Default period for new objectives, e.g. 2026-Q3, 2026-H1 or 2026
    /// [default: the quarter today falls in, decided when adding]
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<PeriodSpec>,
    /// Month the fiscal year starts in, 1–12 or a name like february [default: january]
    #[arg(long, value_name = "MONTH", value_parser = parse_month)]
    pub fiscal_year_start: Option<u32>,
}

fn parse_month(s: &str) -> std::result::Result<u32, String> {
    month_number(s)
        .ok_or_else(|| format!("`{s}` is not a month: use 1 to 12 or a name like february"))
}

/// Runs `okr init`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let target = match &ctx.file {
        Some(f) => {
            let p = if f.is_absolute() {
                f.clone()
            } else {
                ctx.cwd.join(f)
            };
            if p.is_dir() { p.join(DEFAULT_FILE) } else { p }
        }
        None => {
            let dir = ctx.cwd.join(DEFAULT_DIR);
            if dir.is_dir() {
                return Err(exists(dir));
            }
            ctx.cwd.join(DEFAULT_FILE)
        }
    };
    if target.exists() || target.is_symlink() {
        return Err(exists(target));
    }
    let mut doc = Document::new();
    doc.settings = Some(Settings {
        default_period: args.period.map(|p| {
            let cal = args
                .fiscal_year_start
                .and_then(Calendar::starting_in)
                .unwrap_or_default();
            p.resolve(ctx.today, cal)
        }),
        fiscal_year_start: args.fiscal_year_start.filter(|m| *m != 1),
        ..Settings::default()
    });
    // No `settings: {}` noise when nothing was set.
    doc.settings = doc.settings.filter(|s| *s != Settings::default());
    let text = store::canonical(&doc).map_err(Error::invalid)?;
    let text = format!("{}{text}", super::schema::modeline());
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    }
    fsio::replace(&target, fsio::Expect::Absent, text.as_bytes())?;
    super::schema::write_beside(&target)?;
    let period = doc
        .settings
        .as_ref()
        .and_then(|s| s.default_period)
        .map(|p| format!(" (default period {p})"))
        .unwrap_or_default();
    ctx.note(&format!("Created {}{period}", target.display()))?;
    ctx.note("Next: okr add objective \"Delight our customers\" --owner you")
}

fn exists(path: PathBuf) -> Error {
    Error::invalid_with_hint(
        format!("{} already exists", path.display()),
        "okr init never overwrites a workspace; use -f PATH to create one elsewhere",
    )
}
