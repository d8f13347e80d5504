//! `okr config`: the effective settings and where each value comes from;
//! `okr config set KEY VALUE [--user]` changes one.
//!
//! Precedence, highest first: command-line option > environment >
//! workspace > user settings > built-in default. Workspace keys live in the
//! workspace's `settings:` and are written through the store's save();
//! personal keys live in the user settings file (store/user.rs).

use std::io::Write;

use crate::commands::{Ctx, prefs};
use crate::error::{Error, Result};
use crate::model::{self, Period, Rollup, Settings, okr::month_number};
use crate::store::{Workspace, identity, user};

/// Show the effective settings and where each comes from, or change one
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Workspace keys: default_period, fiscal_year_start, cadence_days, rollup,
pace.at_risk_gap, pace.off_track_gap, pace.at_risk_confidence,
pace.off_track_confidence, pace.stale_after_days, git.autocommit.
User keys (--user): name, color, pager, format. See docs/settings.md.

Precedence: option > environment > workspace > user settings > default.

Examples:
  okr config
  okr config --format json
  okr config set cadence_days 14
  okr config set name \"Ada Lovelace\" --user")]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// What to change
    #[command(subcommand)]
    pub action: Option<Action>,
}

/// Output formats of `okr config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// KEY  VALUE  SOURCE, aligned.
    Table,
    /// `[{"key", "value", "source"}]`.
    Json,
}

/// `okr config` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Set one setting, keeping the rest of the file as it is
    Set {
        /// The key, e.g. cadence_days or pace.at_risk_gap
        key: String,
        /// The new value
        value: String,
        /// Change your user settings instead of the workspace's
        #[arg(long)]
        user: bool,
    },
}

/// Workspace keys with their defaults, in display order.
pub const WORKSPACE_KEYS: [(&str, &str); 10] = [
    ("default_period", "the quarter today falls in"),
    ("fiscal_year_start", "1"),
    ("cadence_days", "7"),
    ("rollup", "own"),
    ("pace.at_risk_gap", "0.1"),
    ("pace.off_track_gap", "0.25"),
    ("pace.at_risk_confidence", "0.5"),
    ("pace.off_track_confidence", "0.3"),
    ("pace.stale_after_days", "14"),
    ("git.autocommit", "false"),
];

/// One effective setting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Its effective value.
    pub value: String,
    /// Where the value comes from.
    pub source: String,
}

/// Runs `okr config`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    match &args.action {
        Some(Action::Set { key, value, user }) => set(ctx, key, value, *user),
        None => show(ctx, args.format),
    }
}

fn show<W: Write, E: Write>(ctx: &mut Ctx<W, E>, format: Format) -> Result<()> {
    // Outside a workspace the user settings still show.
    let ws = ctx.open().ok();
    let entries = effective(ws.as_ref(), &user::load()?, &ctx.cwd)?;
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut ctx.out, &entries).map_err(std::io::Error::from)?;
            writeln!(ctx.out)?;
        }
        Format::Table => {
            let kw = entries.iter().map(|e| e.key.len()).max().unwrap_or(0);
            let vw = entries
                .iter()
                .map(|e| e.value.chars().count())
                .max()
                .unwrap_or(0);
            for e in &entries {
                let value = crate::render::text::sanitize(&e.value);
                writeln!(ctx.out, "{:kw$}  {value:vw$}  {}", e.key, e.source)?;
            }
        }
    }
    Ok(())
}

/// Every setting's effective value and source.
pub fn effective(
    ws: Option<&Workspace>,
    u: &user::UserSettings,
    cwd: &std::path::Path,
) -> Result<Vec<Entry>> {
    let settings = match ws {
        Some(ws) => ws.settings()?,
        None => Settings::default(),
    };
    let file = ws.and_then(settings_file).map_or_else(
        || "workspace".to_string(),
        |p| format!("workspace ({})", p.display()),
    );
    let mut out = Vec::new();
    for (key, default) in WORKSPACE_KEYS {
        let (value, source) = match workspace_value(&settings, key) {
            Some(v) => (v, file.clone()),
            None => (default.to_string(), "default".to_string()),
        };
        out.push(entry(key, value, source));
    }
    let user_src = prefs::user_source();
    let me = identity::me(u.name.as_deref(), cwd);
    out.push(match me {
        Some(i) if i.source == "user settings" => entry("name", i.name, user_src.clone()),
        Some(i) => entry("name", i.name, i.source.to_string()),
        None => entry("name", String::new(), "default (unknown)".into()),
    });
    // The same resolvers lib.rs runs commands with (no option given here).
    let env = &prefs::process_env;
    for (key, r) in [
        ("color", prefs::color(None, u, &user_src, env)),
        ("pager", prefs::pager(false, u, &user_src, env)),
        ("format", prefs::format(u, &user_src, env)),
    ] {
        out.push(entry(key, r.value, r.source));
    }
    Ok(out)
}

fn entry(key: &str, value: String, source: String) -> Entry {
    Entry {
        key: key.to_string(),
        value,
        source,
    }
}

/// The file whose `settings:` the workspace uses.
fn settings_file(ws: &Workspace) -> Option<&std::path::Path> {
    ws.files
        .iter()
        .find(|f| f.doc.settings.is_some())
        .map(|f| f.path.as_path())
}

fn workspace_value(s: &Settings, key: &str) -> Option<String> {
    let n = |v: Option<f64>| v.map(model::format_number);
    let p = s.pace.clone().unwrap_or_default();
    match key {
        "default_period" => s.default_period.map(|p| p.to_string()),
        "fiscal_year_start" => s.fiscal_year_start.map(|m| m.to_string()),
        "cadence_days" => s.cadence_days.map(|d| d.to_string()),
        "rollup" => s.rollup.map(|r| r.as_str().to_string()),
        "pace.at_risk_gap" => n(p.at_risk_gap),
        "pace.off_track_gap" => n(p.off_track_gap),
        "pace.at_risk_confidence" => n(p.at_risk_confidence),
        "pace.off_track_confidence" => n(p.off_track_confidence),
        "pace.stale_after_days" => p.stale_after_days.map(|d| d.to_string()),
        "git.autocommit" => s
            .git
            .as_ref()
            .and_then(|g| g.autocommit)
            .map(|b| b.to_string()),
        _ => None,
    }
}

fn set<W: Write, E: Write>(ctx: &mut Ctx<W, E>, key: &str, value: &str, user: bool) -> Result<()> {
    if user {
        check_user_value(key, value)?;
        let path = user::set(key, value)?;
        return ctx.note(&format!("Set {key} = {value} in {}", path.display()));
    }
    if user::KEYS.contains(&key) {
        return Err(Error::invalid_with_hint(
            format!("`{key}` is a user setting"),
            format!("set it with `okr config set {key} VALUE --user`"),
        ));
    }
    let mut ws = ctx.open_locked()?;
    let mut settings = ws.settings()?;
    apply(&mut settings, key, value)?;
    let i = ws
        .files
        .iter()
        .position(|f| f.doc.settings.is_some())
        .unwrap_or(0);
    let Some(file) = ws.files.get_mut(i) else {
        return Err(Error::invalid("the workspace has no file to hold settings"));
    };
    file.doc.settings = Some(settings);
    let path = file.path.clone();
    ws.save()?;
    ctx.note(&format!("Set {key} = {value} in {}", path.display()))
}

fn check_user_value(key: &str, value: &str) -> Result<()> {
    let ok = match key {
        "name" | "pager" => !value.trim().is_empty(),
        "color" => ["auto", "always", "never"].contains(&value),
        "format" => {
            let known = prefs::known_formats(&<crate::cli::Cli as clap::CommandFactory>::command());
            if !known.iter().any(|f| f == value) {
                return Err(Error::Usage(format!(
                    "`{value}` is not an output format of any command: use one of {}",
                    known.join(", ")
                )));
            }
            true
        }
        _ => {
            return Err(Error::Usage(format!(
                "unknown user setting `{key}`: use one of {}",
                user::KEYS.join(", ")
            )));
        }
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!("`{value}` is not a valid {key}")))
    }
}

/// Sets `key` in `s` from its text form, with the range in the error.
pub fn apply(s: &mut Settings, key: &str, value: &str) -> Result<()> {
    let usage = |m: String| Error::Usage(m);
    let fraction = |v: &str| match v.trim().parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(usage(format!(
            "`{v}` is out of range for {key}: use 0.0 to 1.0"
        ))),
    };
    let days = |v: &str| match v.trim().parse::<u32>() {
        Ok(d) if d > 0 => Ok(d),
        _ => Err(usage(format!(
            "`{v}` is not valid for {key}: use a whole number of days, 1 or more"
        ))),
    };
    let mut pace = s.pace.clone().unwrap_or_default();
    match key {
        "default_period" => {
            s.default_period = Some(value.parse::<Period>().map_err(|e| usage(e.to_string()))?);
        }
        "fiscal_year_start" => {
            let m = month_number(value).ok_or_else(|| {
                usage(format!(
                    "`{value}` is not a month: use 1 to 12 or a name like february"
                ))
            })?;
            s.fiscal_year_start = Some(m);
        }
        "cadence_days" => s.cadence_days = Some(days(value)?),
        "rollup" => {
            s.rollup = Some(match value.trim() {
                "own" => Rollup::Own,
                "children" => Rollup::Children,
                "blend" => Rollup::Blend,
                _ => {
                    return Err(usage(format!(
                        "`{value}` is not a rollup: use own, children or blend"
                    )));
                }
            });
        }
        "pace.at_risk_gap" => pace.at_risk_gap = Some(fraction(value)?),
        "pace.off_track_gap" => pace.off_track_gap = Some(fraction(value)?),
        "pace.at_risk_confidence" => pace.at_risk_confidence = Some(fraction(value)?),
        "pace.off_track_confidence" => pace.off_track_confidence = Some(fraction(value)?),
        "pace.stale_after_days" => pace.stale_after_days = Some(days(value)?),
        "git.autocommit" => {
            let on = match value.trim() {
                "true" | "yes" | "on" => true,
                "false" | "no" | "off" => false,
                _ => {
                    return Err(usage(format!(
                        "`{value}` is not valid for {key}: use true or false"
                    )));
                }
            };
            s.git.get_or_insert_with(Default::default).autocommit = Some(on);
        }
        _ => {
            let keys: Vec<&str> = WORKSPACE_KEYS.iter().map(|(k, _)| *k).collect();
            return Err(usage(format!(
                "unknown setting `{key}`: use one of {}, or a user setting with --user",
                keys.join(", ")
            )));
        }
    }
    if key.starts_with("pace.") {
        s.pace = Some(pace);
    }
    Ok(())
}
