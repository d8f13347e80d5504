//! `okr edit ID` without field options: edit the file holding ID in
//! `$VISUAL`/`$EDITOR`, at ID's line.
//!
//! The editor works on a copy in a temporary directory. When it exits, the
//! copy is read as part of the whole workspace (the same parser and checks
//! as every load); an invalid copy shows its located error and, on a
//! terminal, offers to re-open it or abandon. Only a valid copy replaces the
//! file, atomically, while the workspace lock taken before the editor opened
//! is still held. An abandoned edit leaves the file exactly as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::prompt::{Prompter, Question};
use crate::store::locate::{Step, locate};
use crate::store::{Address, Item, StoreError, Workspace, fsio};

/// Editors known to take `+LINE` before the file name.
const PLUS_LINE: [&str; 12] = [
    "vi",
    "vim",
    "nvim",
    "gvim",
    "nano",
    "emacs",
    "emacsclient",
    "micro",
    "kak",
    "joe",
    "mg",
    "ne",
];

/// Opens the file holding `addr` in the editor, then validates and saves it.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, ws: Workspace, item: Item) -> Result<()> {
    let editor = editor().ok_or_else(|| {
        Error::Usage(
            "nothing to change: name at least one field, e.g. --title or --owner, or set $EDITOR to edit the file (see okr edit --help)"
                .into(),
        )
    })?;
    let (fi, line) = position(&ws, item);
    let path = ws.files[fi].path.clone();
    let original = ws.files[fi].text().to_string();
    let dir = tempfile::Builder::new()
        .prefix("okr-edit-")
        .tempdir()
        .map_err(|e| StoreError::io(Path::new("."), e))?;
    let name = path
        .file_name()
        .map_or_else(|| "okrs.yaml".into(), |n| n.to_os_string());
    let copy = dir.path().join(name);
    std::fs::write(&copy, &original).map_err(|e| StoreError::io(&copy, e))?;
    loop {
        open(&editor, &copy, line)?;
        let edited = std::fs::read_to_string(&copy).map_err(|e| StoreError::io(&copy, e))?;
        if edited == original {
            return ctx.note(&format!("No changes to {}", path.display()));
        }
        match check(&ws, fi, &edited) {
            Ok(()) => {
                fsio::write_atomic(&path, edited.as_bytes())?;
                drop(ws);
                return ctx.note(&format!("Saved {}", path.display()));
            }
            Err(e) => {
                let shown = e
                    .to_string()
                    .replace(&copy.display().to_string(), &path.display().to_string());
                ctx.note(&format!("error: {shown}"))?;
                if !crate::prompt::interactive() || !reopen(&mut crate::prompt::Terminal) {
                    return Err(Error::invalid_with_hint(
                        format!("edit abandoned: {} is unchanged", path.display()),
                        "run okr edit again, or fix the file by hand",
                    ));
                }
            }
        }
    }
}

/// `$VISUAL`, else `$EDITOR`, split into program and arguments.
fn editor() -> Option<Vec<String>> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .find(|v| !v.is_empty())
}

/// The file index and 1-based line of the ID of `item`.
fn position(ws: &Workspace, item: Item) -> (usize, usize) {
    let okr = |a: Address| -> (usize, Vec<Step<'static>>) {
        match a {
            Address::Objective(f, o) => (f, vec![Step::Key("objectives"), Step::Index(o)]),
            Address::KeyResult(f, o, k) => (
                f,
                vec![
                    Step::Key("objectives"),
                    Step::Index(o),
                    Step::Key("key_results"),
                    Step::Index(k),
                ],
            ),
        }
    };
    let (fi, mut path) = match item {
        Item::Okr(a) => okr(a),
        Item::Kpi(f, k) => (f, vec![Step::Key("kpis"), Step::Index(k)]),
        Item::Initiative(a, i) => {
            let (f, mut p) = okr(a);
            p.extend([Step::Key("initiatives"), Step::Index(i)]);
            (f, p)
        }
    };
    path.push(Step::Key("id"));
    (fi, locate(ws.files[fi].text(), &path).0)
}

fn open(editor: &[String], file: &Path, line: usize) -> Result<()> {
    let program = &editor[0];
    let base = Path::new(program)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cmd = Command::new(program);
    cmd.args(&editor[1..]);
    if PLUS_LINE.contains(&base.as_str()) {
        cmd.arg(format!("+{line}"));
    }
    let status = cmd
        .arg(file)
        .status()
        .map_err(|e| Error::invalid(format!("cannot start the editor `{program}`: {e}")))?;
    if !status.success() {
        return Err(Error::invalid(format!(
            "the editor `{program}` failed ({status}); nothing was changed"
        )));
    }
    Ok(())
}

/// Reads the workspace with `text` in place of file `fi`.
fn check(ws: &Workspace, fi: usize, text: &str) -> std::result::Result<(), StoreError> {
    let texts: Vec<(PathBuf, String)> = ws
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let t = if i == fi { text } else { f.text() };
            (f.path.clone(), t.to_string())
        })
        .collect();
    Workspace::from_texts(&ws.root, texts).map(|_| ())
}

/// Asks whether to re-open the editor (`true`) or abandon.
pub fn reopen(p: &mut dyn Prompter) -> bool {
    let answer = p.ask(&Question {
        message: "Re-open the editor? [Y/n]",
        default: Some("y"),
        placeholder: None,
        help: Some("n abandons the edit and leaves the file as it was"),
        check: None,
    });
    matches!(
        answer.as_deref().map(str::to_ascii_lowercase).as_deref(),
        Ok("y" | "yes")
    )
}
