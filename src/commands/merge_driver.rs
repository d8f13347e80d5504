//! `okr merge-driver`: the three-way merge git calls for OKR files.
//!
//! git hands over three temporary files (base, ours, theirs) and expects the
//! result in OURS. The model is merged ([`crate::model::merge`]) and written
//! into OURS' own text through the lossless editor, so our comments and
//! layout stay and only what the other side brought is new. A conflict is
//! written as conventional markers around exactly the lines where the two
//! resolutions differ.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::model::Document;
use crate::model::merge::{self, Merge};
use crate::store::{Workspace, fsio, git, parse};

/// Merge three versions of an OKR file (called by git)
#[derive(Debug, clap::Args)]
#[command(after_help = "\
git runs this for files marked `merge=okr` in .gitattributes once `okr git
setup` has configured it; you rarely run it by hand. It writes the merged
file into OURS and exits 0, or writes conflict markers around the
conflicting fields only and exits 1, naming each conflict on stderr. When a
side is not a valid OKR file it falls back to `git merge-file`.

Examples:
  okr git setup
  git config merge.okr.driver   # okr merge-driver %O %A %B %P
  okr merge-driver base.yaml ours.yaml theirs.yaml okrs.yaml")]
pub struct Args {
    /// The common ancestor's version (%O)
    pub base: PathBuf,
    /// Our version; the result is written here (%A)
    pub ours: PathBuf,
    /// Their version (%B)
    pub theirs: PathBuf,
    /// The file's path in the repository, for messages (%P) [default: OURS]
    pub path: Option<String>,
}

/// Runs `okr merge-driver`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, args: &Args) -> Result<()> {
    let name = args
        .path
        .clone()
        .unwrap_or_else(|| args.ours.display().to_string());
    let read = |p: &Path| {
        std::fs::read_to_string(p)
            .map_err(|e| Error::invalid(format!("cannot read {}: {e}", p.display())))
    };
    let (base_text, ours_text, theirs_text) =
        (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let docs = [
        ("base", &base_text),
        ("ours", &ours_text),
        ("theirs", &theirs_text),
    ]
    .map(|(side, text)| parse_side(&name, side, text));
    let [base, ours, theirs] = match docs {
        [Ok(b), Ok(o), Ok(t)] => [b, o, t],
        docs => {
            let why = docs
                .into_iter()
                .filter_map(|d| d.err())
                .collect::<Vec<_>>()
                .join("; ");
            return fall_back(ctx, args, &name, &why);
        }
    };
    let merged = match merge::merge(&base, &ours, &theirs) {
        Ok(m) => m,
        Err(why) => return fall_back(ctx, args, &name, &why),
    };
    let text = match merged_text(&name, &ours_text, &merged) {
        Ok(t) => t,
        Err(why) => return fall_back(ctx, args, &name, &why),
    };
    if text != ours_text {
        fsio::write_atomic(&args.ours, text.as_bytes())?;
    }
    if merged.is_clean() {
        return Ok(());
    }
    for c in &merged.conflicts {
        ctx.note(&format!("CONFLICT (okr): {name}: {c}"))?;
    }
    let n = merged.conflicts.len();
    Err(Error::Exit {
        message: format!(
            "{name}: {n} conflict{} left for you: edit the marked lines, then `git add {name}`",
            if n == 1 { "" } else { "s" }
        ),
        code: 1,
    })
}

/// One side's model; an empty file (no common ancestor) is an empty document.
fn parse_side(name: &str, side: &str, text: &str) -> std::result::Result<Document, String> {
    if text.trim().is_empty() {
        return Ok(Document::new());
    }
    parse::parse(Path::new(name), text).map_err(|e| format!("{side} is not a valid OKR file ({e})"))
}

/// OURS' text edited to hold the merge; with conflicts, both resolutions
/// interleaved with conflict markers.
fn merged_text(name: &str, ours_text: &str, m: &Merge) -> std::result::Result<String, String> {
    let ours = edit_to(name, ours_text, &m.ours)?;
    if m.is_clean() {
        return Ok(ours);
    }
    let theirs = edit_to(name, ours_text, &m.theirs)?;
    Ok(with_markers(&ours, &theirs))
}

/// `text` edited losslessly to hold `doc` (and verified).
fn edit_to(name: &str, text: &str, doc: &Document) -> std::result::Result<String, String> {
    let path = PathBuf::from(name);
    let start = if text.trim().is_empty() {
        Vec::new()
    } else {
        vec![(path.clone(), text.to_string())]
    };
    let mut ws = Workspace::from_texts(&path, start).map_err(|e| e.to_string())?;
    match ws.files.first_mut() {
        Some(f) => f.doc = doc.clone(),
        None => ws
            .files
            .push(crate::store::WorkspaceFile::new(path, doc.clone())),
    }
    let pending = ws.pending_writes().map_err(|e| e.to_string())?;
    Ok(pending
        .into_iter()
        .next()
        .map_or_else(|| text.to_string(), |(_, t)| t))
}

/// The two texts with conventional conflict markers around each run of
/// lines where they differ.
pub fn with_markers(ours: &str, theirs: &str) -> String {
    let diff = similar::TextDiff::from_lines(ours, theirs);
    let (a, b): (Vec<&str>, Vec<&str>) = (diff.old_slices().to_vec(), diff.new_slices().to_vec());
    let mut out = String::new();
    let mut hunk: Option<(Vec<&str>, Vec<&str>)> = None;
    let flush = |out: &mut String, hunk: &mut Option<(Vec<&str>, Vec<&str>)>| {
        if let Some((x, y)) = hunk.take() {
            out.push_str("<<<<<<< ours\n");
            x.iter().for_each(|l| push_line(out, l));
            out.push_str("=======\n");
            y.iter().for_each(|l| push_line(out, l));
            out.push_str(">>>>>>> theirs\n");
        }
    };
    for op in diff.ops() {
        if let similar::DiffOp::Equal { old_index, len, .. } = op {
            flush(&mut out, &mut hunk);
            a[*old_index..old_index + len]
                .iter()
                .for_each(|l| out.push_str(l));
        } else {
            let h = hunk.get_or_insert_with(Default::default);
            h.0.extend(&a[op.old_range()]);
            h.1.extend(&b[op.new_range()]);
        }
    }
    flush(&mut out, &mut hunk);
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push('\n');
    }
}

/// git's own line merge, when a side is not a model okr can read.
fn fall_back<W: Write, E: Write>(
    ctx: &mut Ctx<W, E>,
    args: &Args,
    name: &str,
    why: &str,
) -> Result<()> {
    ctx.note(&format!(
        "okr: cannot merge {name} by its model: {why}; falling back to git's line merge"
    ))?;
    let ran = git::merge_file(&args.ours, &args.base, &args.theirs)?;
    match ran.code {
        Some(0) => Ok(()),
        Some(n) if n > 0 => Err(Error::Exit {
            message: format!("{name}: git's line merge left {n} conflict(s) to resolve by hand"),
            code: 1,
        }),
        _ => Err(Error::invalid(format!(
            "`git merge-file` failed on {name}: {}",
            ran.stderr.trim()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_surround_only_the_lines_that_differ() {
        let a = "a: 1\nb: 2\nc: 3\n";
        let b = "a: 1\nb: 5\nc: 3\n";
        assert_eq!(
            with_markers(a, b),
            "a: 1\n<<<<<<< ours\nb: 2\n=======\nb: 5\n>>>>>>> theirs\nc: 3\n"
        );
    }

    #[test]
    fn a_deleted_block_is_one_hunk() {
        let a = "x\ny\n";
        let b = "x\nk1\nk2\ny\n";
        assert_eq!(
            with_markers(a, b),
            "x\n<<<<<<< ours\n=======\nk1\nk2\n>>>>>>> theirs\ny\n"
        );
    }
}
