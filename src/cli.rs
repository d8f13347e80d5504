//! The command line: global options and the list of subcommands.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::commands::{self, parse_date};

/// When to use colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

/// Track objectives and key results in plain YAML files
#[derive(Debug, Parser)]
#[command(
    name = "okr",
    version,
    about,
    long_about = "Track objectives and key results in plain YAML files, kept in git next to your code.",
    after_help = "\
The workspace is -f PATH, else $OKR_FILE, else the nearest okrs.yaml or okrs/
in this directory or a parent.

Examples:
  okr init --period 2026-Q3
  o=$(okr add objective \"Increase brand awareness\" --owner marketing)
  k=$(okr add kr \"$o\" \"Website visitors\" --start 100000 --target 1000000)
  okr check-in \"$k\" 550000 --confidence 0.7 --note \"campaign launched\"
  okr list"
)]
pub struct Cli {
    /// Workspace file or directory [env: OKR_FILE] [default: nearest okrs.yaml or okrs/]
    #[arg(
        short = 'f',
        long = "file",
        global = true,
        value_name = "PATH",
        env = "OKR_FILE",
        hide_env = true
    )]
    pub file: Option<PathBuf>,
    /// Take this date as today, YYYY-MM-DD [env: OKR_TODAY] [default: the system date]
    #[arg(long, global = true, value_name = "DATE", env = "OKR_TODAY", hide_env = true, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Draw bars and sparklines with ASCII only [default: when the locale is not UTF-8]
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Show every column in full, however wide [default: fit the terminal, or $COLUMNS]
    #[arg(long, global = true)]
    pub wide: bool,
    /// Never page `report` and `history` output [default: page on a terminal, see `okr config`]
    #[arg(long, global = true)]
    pub no_pager: bool,
    /// Commit the files a write command changed to git [default: settings.git.autocommit]
    #[arg(long, global = true)]
    pub commit: bool,
    /// Run the command in the local include NAME (a `path:` include that is
    /// a writable checkout) instead of this workspace (docs/includes.md)
    #[arg(long, global = true, value_name = "NAME")]
    pub in_include: Option<String>,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create okrs.yaml with a short commented header
    Init(commands::init::Args),
    /// Add an objective or a key result
    Add(commands::add::Args),
    /// Record a new value, confidence and note for a key result
    #[command(name = "check-in", visible_alias = "checkin")]
    CheckIn(commands::check_in::Args),
    /// List objectives and key results with their progress
    #[command(visible_alias = "ls")]
    List(commands::list::Args),
    /// Show one objective, key result, KPI or initiative in full
    Show(commands::show::Args),
    /// Change fields of an objective, key result, KPI or initiative
    Edit(commands::edit::Args),
    /// Remove an objective, key result, KPI, initiative or check-in
    Rm(commands::rm::Args),
    /// Validate the workspace against the OKR method's rules
    Check(commands::check::Args),
    /// Print the alignment tree (company → team → personal) with roll-ups
    Tree(commands::tree::Args),
    /// Grade a key result from 0.0 to 1.0
    Grade(commands::grade::Args),
    /// Grade every ungraded key result of a period and print its scorecard
    Close(commands::close::Args),
    /// Copy unfinished objectives and key results into another period
    Rollover(commands::rollover::Args),
    /// Add, check in and list KPIs (standing health metrics)
    Kpi(commands::kpi::Args),
    /// Link work items (initiatives) to key results and track them
    Initiative(commands::initiative::Args),
    /// Report where the OKRs stand: progress, status, trend and forecast
    Report(commands::report::Args),
    /// Show every check-in of a key result with its trend, pace and forecast
    History(commands::history::Args),
    /// Set up git to merge OKR files by their model
    Git(commands::git::Args),
    /// Merge three versions of an OKR file (called by git)
    #[command(name = "merge-driver")]
    MergeDriver(commands::merge_driver::Args),
    /// Show what changed in the OKRs between two versions
    Diff(commands::diff::Args),
    /// Show the git history of an objective, a key result or the workspace
    Log(commands::log::Args),
    /// Pull the team's OKR changes, then push yours
    Sync(commands::sync::Args),
    /// Print the shell script that enables tab completion
    Completions(commands::completions::Args),
    /// Write man pages for okr and every subcommand into a directory
    Man(commands::man::Args),
    /// Print the JSON Schema of the workspace file format
    Schema(commands::schema::Args),
    /// Show the effective settings and where each comes from, or change one
    Config(commands::config::Args),
    /// List the key results waiting for a check-in
    Due(commands::due::Args),
    /// Write objectives, key results and check-ins as CSV
    Export(commands::csv_io::ExportArgs),
    /// Create objectives, key results and check-ins from a CSV sheet
    Import(commands::csv_io::ImportArgs),
    /// Run key results' source commands and record their values as check-ins
    Refresh(commands::refresh::Args),
    /// Allow the workspace's source commands to run
    Trust(commands::refresh::TrustArgs),
    /// Fetch the remote includes and show what changed in each
    Fetch(commands::fetch::Args),
}
