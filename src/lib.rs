//! `okr`: objectives and key results in plain YAML files.
//!
//! Layers, each importing only those before it:
//! - [`model`]: pure types, periods, progress (no I/O, no clock);
//! - [`store`]: finding, reading, locking and losslessly writing files;
//! - [`render`]: tables and JSON from the model;
//! - [`commands`]: one module per subcommand, tying the others together.
//!
//! [`par`] (work on every core) is a utility any layer may use.
//!
//! `main.rs` only calls [`main`].

pub mod cli;
pub mod commands;
pub mod error;
pub mod model;
pub mod par;
pub mod prompt;
pub mod render;
pub mod store;

use std::io::{self, IsTerminal, Write};

use cli::{Cli, ColorChoice, Command};
use commands::Ctx;
pub use error::{Error, Result};
use render::Style;

/// Parses the command line, runs the command and returns the exit code.
pub fn main() -> i32 {
    commands::completions::complete_if_asked();
    // Personal preferences: option > environment > user settings > default
    // (commands/prefs.rs, the same resolvers `okr config` shows).
    let user = store::user::load().unwrap_or_else(|e| {
        eprintln!(
            "warning: ignoring your user settings: {}",
            render::text::sanitize_multiline(&e.to_string())
        );
        store::user::UserSettings::default()
    });
    let user_src = commands::prefs::user_source();
    let env = &commands::prefs::process_env;
    let (mut cli, color_option) = match parse_command_line(&user, &user_src) {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    let stdout = io::stdout();
    let color = commands::prefs::color(color_option, &user, &user_src, env);
    let color = commands::prefs::use_color(&color, stdout.is_terminal());
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read the current directory: {e}");
            return error::EXIT_ERROR;
        }
    };
    match commands::across::in_include_file(cli.file.as_deref(), &cwd, cli.in_include.as_deref()) {
        Ok(file) => cli.file = file,
        Err(e) => {
            report(&e);
            return e.exit_code();
        }
    }
    // The only place the system clock is read.
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let terminal = render::width::terminal_size();
    let columns = std::env::var("COLUMNS").ok();
    let style = Style {
        color,
        ascii: cli.ascii || !render::spark::locale_is_utf8(|k| std::env::var_os(k)),
        width: render::width::output_width(cli.wide, terminal, columns.as_deref()),
    };
    if pages(&cli.command) {
        let pager = commands::prefs::pager(cli.no_pager, &user, &user_src, env).value;
        if !pager.is_empty() && terminal.is_some() {
            return run_paged(&cli, cwd, today, style, terminal, &pager);
        }
    }
    let mut ctx = Ctx {
        file: cli.file.clone(),
        cwd,
        today,
        style,
        // Nothing reaches a terminal raw, whichever renderer wrote it.
        out: io::BufWriter::new(render::text::TerminalGuard::new(
            stdout.lock(),
            stdout.is_terminal(),
            color,
        )),
        err: render::text::TerminalGuard::new(io::stderr(), io::stderr().is_terminal(), color),
    };
    let snapshot = match &cli.command {
        Command::MergeDriver(_) | Command::Git(_) | Command::Sync(_) | Command::Fetch(_) => None,
        // Read-only commands change no file: nothing to commit, nothing to read first.
        c if commands::autocommit::read_only(c) => None,
        _ => commands::autocommit::before(&ctx, cli.commit),
    };
    let result = run(&mut ctx, &cli.command)
        .and_then(|()| commands::autocommit::after(&mut ctx, snapshot))
        .and_then(|()| Ok(ctx.out.flush()?));
    match result {
        Ok(()) => 0,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    }
}

/// Parses the command line with the preferred output format as the default
/// of `--format`, asking for missing `okr add` arguments on a terminal. On
/// failure, reports it and returns the exit code.
fn parse_command_line(
    user: &store::user::UserSettings,
    user_src: &str,
) -> std::result::Result<(Cli, Option<ColorChoice>), i32> {
    let format = commands::prefs::format(user, user_src, &commands::prefs::process_env);
    // Built-in defaults stay each command's own (`report` has no fixed one).
    let format = Some(format.value).filter(|_| format.source != "default");
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let e = match parse(format.as_deref(), &argv) {
        Ok(parsed) => return Ok(parsed),
        Err(e) => e,
    };
    let retried = match commands::add_prompt::complete_missing(&e, &argv) {
        Ok(Some(completed)) => parse(format.as_deref(), &completed),
        Ok(None) => Err(e),
        Err(prompt::Interrupted) => {
            eprintln!("error: stopped: nothing was added");
            return Err(error::EXIT_INTERRUPTED);
        }
    };
    retried.map_err(|e| {
        let _ = e.print();
        if e.use_stderr() { error::EXIT_USAGE } else { 0 }
    })
}

/// Parses `argv` with `format` as the default of every `--format` that
/// offers it; also returns `--color` when it was given on the command line.
fn parse(
    format: Option<&str>,
    argv: &[std::ffi::OsString],
) -> std::result::Result<(Cli, Option<ColorChoice>), clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut cmd = match format {
        Some(f) => commands::prefs::with_default_format(Cli::command(), f),
        None => Cli::command(),
    };
    let mut matches = cmd.try_get_matches_from_mut(argv)?;
    let given = matches.value_source("color") == Some(clap::parser::ValueSource::CommandLine);
    let cli = Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut cmd))?;
    let color = given.then_some(cli.color);
    Ok((cli, color))
}

/// Whether a command's output goes through the pager on a terminal.
fn pages(command: &Command) -> bool {
    matches!(command, Command::Report(_) | Command::History(_))
}

/// Runs a command into memory, then shows its output through `pager` when
/// it is taller than the terminal (like git), else prints it.
fn run_paged(
    cli: &Cli,
    cwd: std::path::PathBuf,
    today: chrono::NaiveDate,
    style: Style,
    terminal: Option<(usize, usize)>,
    pager: &str,
) -> i32 {
    let mut ctx = Ctx {
        file: cli.file.clone(),
        cwd,
        today,
        style,
        out: Vec::new(),
        err: render::text::TerminalGuard::new(
            io::stderr(),
            io::stderr().is_terminal(),
            style.color,
        ),
    };
    let result = run(&mut ctx, &cli.command);
    // Bound for a terminal (through the pager or not): the one sanitiser.
    let text = std::mem::take(&mut ctx.out);
    let text =
        render::text::for_terminal(&String::from_utf8_lossy(&text), style.color).into_bytes();
    let lines = text.iter().filter(|&&b| b == b'\n').count();
    let shown = if render::width::should_page(cli.no_pager, terminal, lines) {
        render::width::page(pager, &text)
    } else {
        let mut out = io::stdout().lock();
        out.write_all(&text).and_then(|()| out.flush())
    };
    match result.and_then(|()| Ok(shown?)) {
        Ok(()) => 0,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    }
}

/// Runs one subcommand.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, command: &Command) -> Result<()> {
    match command {
        Command::Init(a) => commands::init::run(ctx, a),
        Command::Add(a) => commands::add::run(ctx, a),
        Command::CheckIn(a) => commands::check_in::run(ctx, a),
        Command::List(a) => commands::list::run(ctx, a),
        Command::Show(a) => commands::show::run(ctx, a),
        Command::Edit(a) => commands::edit::run(ctx, a),
        Command::Rm(a) => commands::rm::run(ctx, a),
        Command::Check(a) => commands::check::run(ctx, a),
        Command::Tree(a) => commands::tree::run(ctx, a),
        Command::Grade(a) => commands::grade::run(ctx, a),
        Command::Close(a) => commands::close::run(ctx, a),
        Command::Rollover(a) => commands::rollover::run(ctx, a),
        Command::Kpi(a) => commands::kpi::run(ctx, a),
        Command::Initiative(a) => commands::initiative::run(ctx, a),
        Command::Report(a) => commands::report::run(ctx, a),
        Command::History(a) => commands::history::run(ctx, a),
        Command::Git(a) => commands::git::run(ctx, a),
        Command::MergeDriver(a) => commands::merge_driver::run(ctx, a),
        Command::Diff(a) => commands::diff::run(ctx, a),
        Command::Log(a) => commands::log::run(ctx, a),
        Command::Sync(a) => commands::sync::run(ctx, a),
        Command::Completions(a) => commands::completions::run(ctx, a),
        Command::Man(a) => commands::man::run(ctx, a),
        Command::Schema(a) => commands::schema::run(ctx, a),
        Command::Config(a) => commands::config::run(ctx, a),
        Command::Due(a) => commands::due::run(ctx, a),
        Command::Export(a) => commands::csv_io::run_export(ctx, a),
        Command::Import(a) => commands::csv_io::run_import(ctx, a),
        Command::Refresh(a) => commands::refresh::run(ctx, a),
        Command::Trust(a) => commands::refresh::run_trust(ctx, a),
        Command::Fetch(a) => commands::fetch::run(ctx, a),
    }
}

fn report(e: &Error) {
    let mut err = io::stderr().lock();
    let label = match e.kind() {
        error::Kind::Internal => "internal error",
        _ => "error",
    };
    // Only a located error has lines of its own (the snippet); anything else
    // is one line, so a newline in a path cannot forge a second message.
    let text = match e {
        Error::Store(store::StoreError::Invalid { location, message }) => format!(
            "{}: {}\n{}",
            render::text::sanitize(&location.position()),
            render::text::sanitize(message),
            location.snippet_with(render::text::sanitize)
        ),
        _ => render::text::sanitize(&e.to_string()),
    };
    let _ = writeln!(err, "{label}: {text}");
    for h in e.hints() {
        let _ = writeln!(err, "hint: {}", render::text::sanitize_multiline(&h));
    }
}
