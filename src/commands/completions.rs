//! `okr completions SHELL`: print the shell script that registers completion.
//!
//! Completion is dynamic (clap_complete's `unstable-dynamic` engine): the
//! script calls `okr` back with `_OKR_COMPLETE=SHELL`, and `okr` answers from
//! the command definition *and* the workspace found from the current
//! directory (or `$OKR_FILE`), so IDs and periods are always current. The
//! value completers are attached here, by argument name, to the command that
//! clap derives, so the other command modules stay unaware of completion.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::Shells;

use crate::cli::Cli;
use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::store::{self, Workspace};

/// The environment variable through which the shell asks `okr` to complete.
pub const COMPLETE_VAR: &str = "_OKR_COMPLETE";

/// Print the shell script that enables tab completion
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Completes subcommands, options, and the IDs (objectives, key results, KPIs,
initiatives), owners and periods of the workspace found from the current
directory or $OKR_FILE. The script calls `okr` on your PATH.

Examples:
  echo 'source <(okr completions bash)' >> ~/.bashrc
  echo 'source <(okr completions zsh)' >> ~/.zshrc
  okr completions fish > ~/.config/fish/completions/okr.fish
  echo 'eval (okr completions elvish | slurp)' >> ~/.config/elvish/rc.elv
  okr completions powershell >> $PROFILE")]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell
    #[arg(value_parser = ["bash", "zsh", "fish", "elvish", "powershell"])]
    pub shell: String,
}

/// Runs `okr completions`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let shells = Shells::builtins();
    let Some(shell) = shells.completer(&args.shell) else {
        return Err(Error::Usage(format!("unknown shell `{}`", args.shell)));
    };
    shell.write_registration(COMPLETE_VAR, "okr", "okr", "okr", &mut ctx.out)?;
    Ok(())
}

/// Answers a completion request when the shell script asked for one, then
/// exits; otherwise returns and the command line is parsed as usual.
pub fn complete_if_asked() {
    clap_complete::CompleteEnv::with_factory(command)
        .var(COMPLETE_VAR)
        .complete();
}

/// The `okr` command with value completers attached to its arguments.
pub fn command() -> clap::Command {
    attach(Cli::command())
}

fn attach(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd;
    for name in names {
        cmd = cmd.mut_subcommand(name, attach);
    }
    // `mut_args` edits in place: `mut_arg` would move a positional to the end.
    cmd.mut_args(|a| match Kind::of(a.get_id().as_str(), a.is_positional()) {
        Some(kind) => a.add(ArgValueCandidates::new(move || kind.candidates())),
        None => a,
    })
}

/// What an argument names, judged by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    Objective,
    KeyResult,
    Kpi,
    Period,
    Owner,
}

impl Kind {
    fn of(id: &str, positional: bool) -> Option<Kind> {
        match id {
            // `--id` on add commands names something new: nothing to offer.
            "id" | "ids" if positional => Some(Kind::Any),
            "objective" | "parent" => Some(Kind::Objective),
            "key_result" | "key_results" => Some(Kind::KeyResult),
            "kpi" => Some(Kind::Kpi),
            "period" | "from" | "to" => Some(Kind::Period),
            "owner" => Some(Kind::Owner),
            _ => None,
        }
    }

    fn candidates(self) -> Vec<CompletionCandidate> {
        // A broken or missing workspace simply offers nothing.
        let Some(ws) = workspace() else {
            return match self {
                Kind::Period => relative_periods(),
                _ => Vec::new(),
            };
        };
        candidates(&ws, self)
    }
}

fn workspace() -> Option<Workspace> {
    let cwd = std::env::current_dir().ok()?;
    let file = std::env::var_os("OKR_FILE").map(std::path::PathBuf::from);
    let root = store::discover(file.as_deref(), &cwd).ok()?;
    Workspace::open(&root).ok()
}

fn candidate(value: &str, help: &str) -> CompletionCandidate {
    let help = crate::render::text::sanitize(help);
    CompletionCandidate::new(value).help(Some(help.into()))
}

fn relative_periods() -> Vec<CompletionCandidate> {
    [
        "this-quarter",
        "last-quarter",
        "next-quarter",
        "this-half",
        "last-half",
        "next-half",
        "this-year",
        "last-year",
        "next-year",
    ]
    .iter()
    .map(|p| CompletionCandidate::new(*p))
    .collect()
}

fn candidates(ws: &Workspace, kind: Kind) -> Vec<CompletionCandidate> {
    let mut out = Vec::new();
    let objectives = || ws.objectives();
    let krs = || objectives().flat_map(|o| o.key_results.iter());
    let kpis = || ws.files.iter().flat_map(|f| f.doc.kpis.iter());
    if matches!(kind, Kind::Any | Kind::Objective) {
        out.extend(objectives().map(|o| candidate(&o.id, &o.title)));
    }
    if matches!(kind, Kind::Any | Kind::KeyResult) {
        out.extend(krs().map(|k| candidate(&k.id, &k.title)));
    }
    if matches!(kind, Kind::Any | Kind::Kpi) {
        out.extend(kpis().map(|k| candidate(&k.id, &k.title)));
    }
    if kind == Kind::Any {
        let inits = krs().flat_map(|k| k.initiatives.iter());
        out.extend(inits.map(|i| candidate(&i.id, &i.title)));
    }
    if kind == Kind::Period {
        let mut periods: Vec<String> = objectives().map(|o| o.period.to_string()).collect();
        periods.sort();
        periods.dedup();
        out.extend(periods.iter().map(CompletionCandidate::new));
        out.extend(relative_periods());
    }
    if kind == Kind::Owner {
        let mut owners: Vec<&str> = objectives()
            .filter_map(|o| o.owner.as_deref())
            .chain(krs().filter_map(|k| k.owner.as_deref()))
            .collect();
        owners.sort_unstable();
        owners.dedup();
        out.extend(owners.iter().map(CompletionCandidate::new));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_not_completed_but_positional_ids_are() {
        assert_eq!(Kind::of("id", false), None);
        assert_eq!(Kind::of("id", true), Some(Kind::Any));
        assert_eq!(Kind::of("key_result", true), Some(Kind::KeyResult));
        assert_eq!(Kind::of("title", true), None);
    }

    #[test]
    fn every_id_argument_gets_a_completer() {
        let cmd = command();
        let show = cmd.find_subcommand("show").and_then(|s| {
            s.get_arguments()
                .find(|a| a.get_id() == "id")
                .map(|a| a.get::<ArgValueCandidates>().is_some())
        });
        assert_eq!(show, Some(true));
    }
}
