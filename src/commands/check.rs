//! `okr check`: validate the whole workspace against the method's rules.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::commands::Ctx;
use crate::commands::list::Format;
use crate::error::{EXIT_ERROR, EXIT_WARNINGS, Error, Result};
use crate::model::lint::{self, Finding, PathStep};
use crate::model::{Document, RuleLevel, Settings};
use crate::render::text::{sanitize, sanitized};
use crate::store::checkfacts::Outcome;
use crate::store::yaml11::Yaml11Word;
use crate::store::{self, locate};

/// Validate the workspace against the OKR method's rules
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Prints each finding as `file:line:col: severity[rule-id]: message`, sorted
by file and line. Exit status: 0 when there are no errors (warnings are
printed but pass), 1 when there is at least one error, and 3 when there are
only warnings and --strict is given. Every rule is listed in docs/method.md;
switch one off or change its severity in the workspace settings:

  settings:
    checks:
      aspirational-without-stretch: off
      committed-low-confidence: error

Examples:
  okr check
  okr check --strict            # in a pre-commit hook or CI
  okr check --format json | jq '.findings[] | .rule'
  okr check --no-includes       # skip reading the includes

With includes (docs/includes.md), a `parent: NAME:ID` must name an objective
of an include, and an include that cannot be read is an include-missing
warning (so --strict fails on it with exit 3).")]
pub struct Args {
    /// Include options (docs/includes.md)
    #[command(flatten)]
    pub includes: super::across::IncludeArgs,
    /// Fail (exit 3) on warnings too
    #[arg(long)]
    pub strict: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// A finding with its place in a file.
#[derive(Debug, Serialize)]
struct Located<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    severity: &'static str,
    rule: &'static str,
    message: String,
}

#[derive(Debug, Serialize)]
struct CheckJson<'a> {
    version: u32,
    errors: usize,
    warnings: usize,
    findings: Vec<Located<'a>>,
}

/// Runs `okr check`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let root = store::discover(ctx.file.as_deref(), &ctx.cwd)?;
    // What each file says on its own: cached by its text (store::checkfacts).
    let mut checked = store::checkfacts::of_workspace(&root)?;
    let names: Vec<String> = checked.iter().map(|c| display(&ctx.cwd, &c.path)).collect();
    // A text is there whenever its file's findings need it to be located.
    let texts: Vec<String> = checked
        .iter_mut()
        .map(|c| std::mem::take(&mut c.text))
        .collect();
    let mut located: Vec<Located> = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut docs: Vec<(usize, Document)> = Vec::new();
    let mut places: Vec<Option<locate::Packed>> = Vec::with_capacity(checked.len());
    for (i, f) in checked.into_iter().map(|c| c.facts).enumerate() {
        located.extend(f.yaml11.iter().map(|w| yaml11_finding(&names[i], w)));
        match f.outcome {
            Outcome::Read {
                doc,
                raw,
                places: at,
            } => {
                findings.extend(raw.into_iter().map(|r| Finding { file: i, ..r }));
                docs.push((i, *doc));
                places.push(at);
            }
            Outcome::Refused {
                line,
                column,
                message,
            } => {
                located.push(Located {
                    file: &names[i],
                    line,
                    column,
                    severity: "error",
                    rule: "parse",
                    message,
                });
                places.push(None);
            }
        }
    }
    let settings: Settings = docs
        .iter()
        .find_map(|(_, d)| d.settings.clone())
        .unwrap_or_default();
    // Included workspaces take part so that `parent: NAME:ID` resolves; their
    // own findings are theirs to fix and are dropped.
    let (extra, missing) = super::across::for_check(&root, &settings, &args.includes, ctx.today);
    let mut refs: Vec<(usize, &Document)> = docs.iter().map(|(i, d)| (*i, d)).collect();
    let home_files = texts.len();
    refs.extend(extra.iter().enumerate().map(|(k, d)| (home_files + k, d)));
    let model = lint::check(&refs, &settings, ctx.today);
    append_home(&mut findings, model, home_files);
    // Trust is a fact of this machine, not of the model: the store finds it.
    let key = store::trust::workspace_key(&root);
    findings.extend(
        store::trust::findings(&store::trust::load()?, &key, &refs)
            .into_iter()
            .filter(|f| f.file < home_files),
    );
    if let Some((i, _)) = docs.iter().find(|(_, d)| d.settings.is_some()) {
        let text = &texts[*i];
        for (name, message) in missing {
            let steps = [
                locate::Step::Key("settings"),
                locate::Step::Key("includes"),
                locate::Step::Key(&name),
            ];
            let (line, column) = match &places[*i] {
                Some(at) => at.locate(&steps),
                None => locate::locate(text, &steps),
            };
            located.push(Located {
                file: &names[*i],
                line,
                column,
                severity: RuleLevel::Warning.as_str(),
                rule: "include-missing",
                message,
            });
        }
    }
    let findings = lint::configure(findings, &settings);
    locate_all(findings, &texts, &places, &names, &mut located);
    // Stable: findings come nearly in order, which it uses (an unstable sort
    // cost 10 M instructions more on 4,000 findings).
    located.sort_by(|a, b| {
        (a.file, a.line, a.column, a.rule).cmp(&(b.file, b.line, b.column, b.rule))
    });
    let errors = located
        .iter()
        .filter(|l| l.severity == RuleLevel::Error.as_str())
        .count();
    let warnings = located.len() - errors;
    let view = CheckJson {
        version: crate::render::json::JSON_VERSION,
        errors,
        warnings,
        findings: located,
    };
    match args.format {
        Format::Json => crate::render::json::write(&mut ctx.out, &view)?,
        Format::Table => write_table(&mut ctx.out, &view.findings)?,
    }
    // Done with the findings and the model: the system takes them back at
    // exit, faster than freeing them one by one (as list and report do).
    super::keep_until_exit((view, refs, places, texts));
    super::keep_until_exit((docs, extra, names));
    let summary = format!(
        "{}, {}",
        crate::render::plural::count(errors, "error"),
        crate::render::plural::count(warnings, "warning")
    );
    if errors > 0 {
        return Err(Error::Exit {
            message: format!("okr check found {summary}"),
            code: EXIT_ERROR,
        });
    }
    if warnings > 0 && args.strict {
        return Err(Error::Exit {
            message: format!("okr check found {summary} (--strict)"),
            code: EXIT_WARNINGS,
        });
    }
    if warnings > 0 {
        ctx.note(&format!("okr check: {summary}"))
    } else {
        ctx.note("okr check: no problems found")
    }
}

/// Locates each configured finding in its file: through its cached places,
/// or, for a file whose raw tree did not read, one more read of its text
/// however many findings it has.
fn locate_all<'a>(
    findings: Vec<Finding>,
    texts: &[String],
    places: &[Option<locate::Packed>],
    names: &'a [String],
    located: &mut Vec<Located<'a>>,
) {
    let mut locators: Vec<Option<locate::Locator<'_>>> = texts.iter().map(|_| None).collect();
    let mut finders: Vec<Option<locate::Finder<'_>>> = places
        .iter()
        .map(|p| p.as_ref().map(locate::Packed::finder))
        .collect();
    located.reserve(findings.len());
    for f in findings {
        let text = &texts[f.file];
        let steps: Vec<locate::Step<'_>> = f
            .path
            .iter()
            .map(|s| match s {
                PathStep::Key(k) => locate::Step::Key(k),
                PathStep::Index(i) => locate::Step::Index(*i),
            })
            .collect();
        let (line, column) = match &mut finders[f.file] {
            Some(at) => at.locate(&steps),
            None => locators[f.file]
                .get_or_insert_with(|| locate::Locator::new(text))
                .locate(&steps),
        };
        located.push(Located {
            file: &names[f.file],
            line,
            column,
            severity: f.severity.as_str(),
            rule: f.rule,
            message: f.message,
        });
    }
}

/// Appends the findings in `more` of the workspace's own files (not of its
/// includes), moving the list when there is nothing before them: with
/// thousands of findings, a copy of them showed in the profile.
fn append_home(findings: &mut Vec<Finding>, mut more: Vec<Finding>, home_files: usize) {
    more.retain(|f| f.file < home_files);
    if findings.is_empty() {
        *findings = more;
    } else {
        findings.append(&mut more);
    }
}

/// Writes each finding as `file:line:col: severity[rule]: message`, by
/// hand and 64 KiB at a time: with thousands of findings, `writeln!`, a
/// sanitized copy of every string and a write call every 8 KiB (stdout's
/// buffer) showed in the profile.
fn write_table(out: &mut impl Write, located: &[Located<'_>]) -> std::io::Result<()> {
    const CHUNK: usize = 64 * 1024;
    let mut buf = String::with_capacity(CHUNK + 1024);
    let mut file: Option<(&str, String)> = None;
    for l in located {
        if file.as_ref().is_none_or(|(raw, _)| *raw != l.file) {
            file = Some((l.file, sanitize(l.file)));
        }
        buf.push_str(file.as_ref().map_or("", |(_, safe)| safe));
        buf.push(':');
        push_number(&mut buf, l.line);
        buf.push(':');
        push_number(&mut buf, l.column);
        buf.push_str(": ");
        buf.push_str(l.severity);
        buf.push('[');
        buf.push_str(l.rule);
        buf.push_str("]: ");
        buf.push_str(&sanitized(&l.message));
        buf.push('\n');
        if buf.len() >= CHUNK {
            out.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    out.write_all(buf.as_bytes())
}

/// Appends `n` in decimal (without `write!`, ~10× cheaper per number).
fn push_number(buf: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// The path as the user would type it: relative to the current directory
/// when inside it.
fn display(cwd: &Path, path: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(cwd)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    rel.display().to_string()
}

/// The warning for a YAML 1.1 boolean word written as a plain value.
fn yaml11_finding<'a>(file: &'a str, w: &Yaml11Word) -> Located<'a> {
    Located {
        file,
        line: w.line,
        column: w.column,
        severity: RuleLevel::Warning.as_str(),
        rule: "yaml11-boolean",
        message: w.message(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 4_000, 65_535, usize::MAX] {
            let mut s = String::from("x");
            push_number(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }
}
