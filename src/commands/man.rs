//! `okr man DIR`: write the manual pages, generated from the command line
//! definition itself (clap_mangen) so that they can never drift from `--help`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

use crate::cli::Cli;
use crate::commands::Ctx;
use crate::error::Result;
use crate::store::{StoreError, fsio};

/// Write man pages for okr and every subcommand into a directory
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Writes okr.1 and one page per subcommand (okr-check-in.1, okr-kpi-add.1 …)
into DIR, creating it when needed, and prints the path of each page.

Examples:
  okr man ~/.local/share/man/man1     # then: man okr-check-in
  okr man /tmp/okr-man/man1 && MANPATH=/tmp/okr-man: man okr")]
pub struct Args {
    /// Directory to write the pages into (usually a man1 directory)
    pub dir: PathBuf,
}

/// Runs `okr man`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let dir = if args.dir.is_absolute() {
        args.dir.clone()
    } else {
        ctx.cwd.join(&args.dir)
    };
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut written = Vec::new();
    write_pages(&cmd, &dir, &mut written)?;
    for p in written {
        writeln!(ctx.out, "{}", p.display())?;
    }
    Ok(())
}

fn write_pages(cmd: &clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> Result<()> {
    let man = clap_mangen::Man::new(cmd.clone());
    let path = dir.join(man.get_filename());
    let mut page = Vec::new();
    man.render(&mut page)?;
    fsio::write_atomic(&path, &page)?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir, written)?;
    }
    Ok(())
}
