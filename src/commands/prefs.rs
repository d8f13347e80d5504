//! Personal preferences (colour, pager, default output format): one
//! resolver for each, used both by `okr config` to show the effective value
//! and its source and by `lib.rs` to run every command, so what `okr config`
//! says is what commands do.
//!
//! Precedence, highest first: command-line option > environment > user
//! settings > built-in default (no workspace may decide these: they are
//! personal). One exception, as in git: `$PAGER` is every program's pager,
//! not a choice made for okr, so it ranks below the user setting `pager`;
//! `$OKR_PAGER` is okr's own and ranks above it.
//!
//! The environment is passed in as a function so the rules are tested
//! without touching the process environment.

use clap::builder::ArgPredicate;

use crate::cli::ColorChoice;
use crate::store::user::UserSettings;

/// A value and where it came from, as `okr config` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The effective value.
    pub value: String,
    /// `option (--x)`, `environment ($X)`, the user settings file, `default`.
    pub source: String,
}

fn resolved(value: impl Into<String>, source: impl Into<String>) -> Resolved {
    Resolved {
        value: value.into(),
        source: source.into(),
    }
}

/// How `okr config` names the user settings file as a source.
pub fn user_source() -> String {
    crate::store::user::path().map_or_else(
        || "user settings".to_string(),
        |p| format!("user ({})", p.display()),
    )
}

/// Reads an environment variable; `None` when unset.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, for [`Env`].
pub fn process_env(key: &str) -> Option<String> {
    std::env::var(key).ok()
}

/// `--color WHEN` given on the command line > `NO_COLOR` (never) >
/// `CLICOLOR_FORCE` (always) > user `color` > `auto`. The value is `auto`,
/// `always` or `never`; `auto` means "when stdout is a terminal".
pub fn color(option: Option<ColorChoice>, u: &UserSettings, user_src: &str, env: Env) -> Resolved {
    let set = |k: &str| env(k).filter(|v| !v.is_empty());
    match option {
        Some(ColorChoice::Auto) => return resolved("auto", "option (--color)"),
        Some(ColorChoice::Always) => return resolved("always", "option (--color)"),
        Some(ColorChoice::Never) => return resolved("never", "option (--color)"),
        None => {}
    }
    if set("NO_COLOR").is_some() {
        return resolved("never", "environment ($NO_COLOR)");
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return resolved("always", "environment ($CLICOLOR_FORCE)");
    }
    match u.color.as_deref() {
        Some(c @ ("auto" | "always" | "never")) => resolved(c, user_src),
        _ => resolved("auto", "default"),
    }
}

/// Whether to colour, given the resolved `color` and whether stdout is a
/// terminal.
pub fn use_color(color: &Resolved, stdout_is_terminal: bool) -> bool {
    match color.value.as_str() {
        "always" => true,
        "never" => false,
        _ => stdout_is_terminal,
    }
}

/// `--no-pager` > `$OKR_PAGER` > user `pager` > `$PAGER` > `less -FRX`.
/// An empty value or `cat` turns paging off (`value` is then empty).
pub fn pager(no_pager: bool, u: &UserSettings, user_src: &str, env: Env) -> Resolved {
    let off = |r: Resolved| match r.value.trim() {
        "" | "cat" => resolved("", r.source),
        v => resolved(v, r.source),
    };
    if no_pager {
        return resolved("", "option (--no-pager)");
    }
    if let Some(p) = env("OKR_PAGER") {
        return off(resolved(p, "environment ($OKR_PAGER)"));
    }
    if let Some(p) = &u.pager {
        return off(resolved(p.as_str(), user_src));
    }
    if let Some(p) = env("PAGER") {
        return off(resolved(p, "environment ($PAGER)"));
    }
    resolved("less -FRX", "default")
}

/// `$OKR_FORMAT` > user `format` > `table`. A command's own `--format`
/// wins over both (see [`with_default_format`]); a command whose `--format`
/// does not offer the value keeps its own default.
pub fn format(u: &UserSettings, user_src: &str, env: Env) -> Resolved {
    if let Some(f) = env("OKR_FORMAT").filter(|v| !v.trim().is_empty()) {
        return resolved(f.trim(), "environment ($OKR_FORMAT)");
    }
    match u.format.as_deref().map(str::trim) {
        Some(f) if !f.is_empty() => resolved(f, user_src),
        _ => resolved("table", "default"),
    }
}

/// `cmd` with `format` as the default of every (sub)command's `--format`
/// that offers it, so `--format` on the command line still wins. Where the
/// command also takes `--output FILE`, the file's extension decides first,
/// as documented for `okr report -o`.
pub fn with_default_format(cmd: clap::Command, format: &str) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd;
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| with_default_format(s, format));
    }
    let offers = cmd
        .get_arguments()
        .find(|a| a.get_id() == "format" && a.get_long() == Some("format"))
        .is_some_and(|a| {
            a.get_possible_values()
                .iter()
                .any(|v| v.matches(format, false))
        });
    if !offers {
        return cmd;
    }
    let has_output = cmd.get_arguments().any(|a| a.get_id() == "output");
    cmd.mut_arg("format", |a| {
        let a = if has_output {
            a.default_value_if("output", ArgPredicate::IsPresent, None)
        } else {
            a
        };
        a.default_value(format.to_string())
    })
}

/// Every value some command's `--format` takes, sorted (for checking
/// `okr config set format VALUE --user`).
pub fn known_formats(cmd: &clap::Command) -> Vec<String> {
    let mut out = Vec::new();
    collect_formats(cmd, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect_formats(cmd: &clap::Command, out: &mut Vec<String>) {
    for a in cmd.get_arguments() {
        if a.get_id() == "format" && a.get_long() == Some("format") {
            out.extend(
                a.get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_string()),
            );
        }
    }
    for s in cmd.get_subcommands() {
        collect_formats(s, out);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    fn user(color: Option<&str>, pager: Option<&str>, format: Option<&str>) -> UserSettings {
        UserSettings {
            name: None,
            color: color.map(Into::into),
            pager: pager.map(Into::into),
            format: format.map(Into::into),
        }
    }

    #[test]
    fn color_follows_option_then_environment_then_user_then_default() {
        let u = user(Some("always"), None, None);
        let none = env_of(&[]);
        let no = env_of(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
        let force = env_of(&[("CLICOLOR_FORCE", "1")]);
        let c = |o, u: &UserSettings, e: Env| color(o, u, "user", e);
        assert_eq!(
            c(Some(ColorChoice::Never), &u, &none),
            resolved("never", "option (--color)")
        );
        assert_eq!(
            c(Some(ColorChoice::Always), &u, &no).value,
            "always",
            "the option beats NO_COLOR"
        );
        assert_eq!(
            c(None, &u, &no),
            resolved("never", "environment ($NO_COLOR)")
        );
        let plain = user(None, None, None);
        assert_eq!(
            c(None, &plain, &force),
            resolved("always", "environment ($CLICOLOR_FORCE)")
        );
        assert_eq!(
            c(None, &plain, &env_of(&[("CLICOLOR_FORCE", "0")])).value,
            "auto"
        );
        assert_eq!(c(None, &u, &none), resolved("always", "user"));
        assert_eq!(c(None, &plain, &none), resolved("auto", "default"));
        assert!(use_color(&resolved("auto", ""), true));
        assert!(!use_color(&resolved("auto", ""), false));
        assert!(use_color(&resolved("always", ""), false));
        assert!(!use_color(&resolved("never", ""), true));
    }

    #[test]
    fn pager_ranks_okr_pager_above_and_pager_below_the_user_setting() {
        let u = user(None, Some("most"), None);
        let both = env_of(&[("OKR_PAGER", "bat"), ("PAGER", "more")]);
        let generic = env_of(&[("PAGER", "more")]);
        let p = |n, u: &UserSettings, e: Env| pager(n, u, "user", e);
        assert_eq!(p(true, &u, &both), resolved("", "option (--no-pager)"));
        assert_eq!(
            p(false, &u, &both),
            resolved("bat", "environment ($OKR_PAGER)")
        );
        assert_eq!(p(false, &u, &generic), resolved("most", "user"));
        let plain = user(None, None, None);
        assert_eq!(
            p(false, &plain, &generic),
            resolved("more", "environment ($PAGER)")
        );
        assert_eq!(
            p(false, &plain, &env_of(&[])),
            resolved("less -FRX", "default")
        );
        assert_eq!(
            p(false, &user(None, Some("cat"), None), &env_of(&[])).value,
            ""
        );
        assert_eq!(p(false, &plain, &env_of(&[("PAGER", "")])).value, "");
    }

    #[test]
    fn format_follows_environment_then_user_then_default() {
        let u = user(None, None, Some("json"));
        let f = |u: &UserSettings, e: Env| format(u, "user", e);
        assert_eq!(
            f(&u, &env_of(&[("OKR_FORMAT", "markdown")])),
            resolved("markdown", "environment ($OKR_FORMAT)")
        );
        assert_eq!(f(&u, &env_of(&[])), resolved("json", "user"));
        assert_eq!(
            f(&user(None, None, None), &env_of(&[])),
            resolved("table", "default")
        );
    }

    #[test]
    fn the_default_format_reaches_every_command_that_offers_it() {
        use clap::CommandFactory;
        let cmd = with_default_format(crate::cli::Cli::command(), "json");
        let default_of = |path: &[&str]| {
            let mut c = &cmd;
            for p in path {
                c = c.find_subcommand(p).unwrap();
            }
            c.get_arguments()
                .find(|a| a.get_id() == "format")
                .and_then(|a| a.get_default_values().first())
                .map(|v| v.to_string_lossy().into_owned())
        };
        assert_eq!(default_of(&["list"]).as_deref(), Some("json"));
        assert_eq!(default_of(&["kpi", "list"]).as_deref(), Some("json"));
        assert_eq!(default_of(&["report"]).as_deref(), Some("json"));
        // `export csv`'s positional FORMAT is not an output format.
        assert_eq!(default_of(&["export"]), None);
        let formats = known_formats(&crate::cli::Cli::command());
        assert!(formats.contains(&"json".to_string()) && formats.contains(&"markdown".to_string()));
        assert!(!formats.contains(&"xml".to_string()));
    }
}
