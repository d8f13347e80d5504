//! Reading across includes, and refusing to write to them.
//!
//! Read commands (`list`, `tree`, `report`, `history`, `show`) open the
//! home workspace joined with its includes (`settings.includes`, see
//! docs/includes.md) through [`Ctx::open_across`]: one model whose included
//! IDs read `NAME:ID`, so every number still comes from one as-of date and
//! nothing downstream needs to know where an item came from. An include that
//! cannot be read is a warning naming it (an error with `--strict`). Write
//! commands open the home workspace alone; an ID found only in an include
//! is refused with a hint saying where to run the command instead.

use std::io::Write;

use chrono::NaiveDate;

use crate::commands::Ctx;
use crate::error::{Error, Result};
use crate::model::PeriodSpec;
use crate::model::id::Lookup;
use crate::model::qualified;
use crate::store::includes::{self, Include, Loaded, Origin};
use crate::store::{self, Workspace};

/// Which includes a read command reads.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct IncludeArgs {
    /// Read only the include NAME of settings.includes; repeatable
    /// [default: every include]
    #[arg(long = "include", value_name = "NAME")]
    pub include: Vec<String>,
    /// Read only this workspace, none of its includes
    #[arg(long, conflicts_with = "include")]
    pub no_includes: bool,
}

impl<W: Write, E: Write> Ctx<W, E> {
    /// Finds and reads the workspace for a read-only command, joined with
    /// the includes `sel` picks. With `strict`, an include that cannot be
    /// read fails the command; else it is left out with a warning.
    pub fn open_across(&mut self, sel: &IncludeArgs, strict: bool) -> Result<Workspace> {
        self.open_across_for(sel, strict, None)
    }

    /// [`Ctx::open_across`] for a command filtered by `period`: a fixed
    /// period skips files (home and included) that cannot hold it.
    pub fn open_across_for(
        &mut self,
        sel: &IncludeArgs,
        strict: bool,
        period: Option<PeriodSpec>,
    ) -> Result<Workspace> {
        let home = self.open_for(period)?;
        self.with_includes(home, sel, strict, period)
    }

    /// `home` joined with the includes `sel` chooses, read as far as
    /// `period` needs.
    pub fn with_includes(
        &mut self,
        home: Workspace,
        sel: &IncludeArgs,
        strict: bool,
        period: Option<PeriodSpec>,
    ) -> Result<Workspace> {
        if sel.no_includes {
            return Ok(home);
        }
        let name = match period {
            Some(PeriodSpec::Fixed(p)) => Some(p.to_string()),
            _ => None,
        };
        let chosen = chosen(&home, sel)?;
        if chosen.is_empty() {
            return Ok(home);
        }
        let results = includes::load_all(&home.root, &chosen, self.today, name.as_deref());
        let loaded = self.keep_readable(chosen, results, strict)?;
        let (ws, unplaced) = includes::combine(home, loaded)?;
        if !unplaced.is_empty() {
            self.note(&format!(
                "note: included objectives align to {}, which name neither an include nor this workspace; if one is this workspace, set `settings.workspace_name`",
                unplaced
                    .iter()
                    .map(|u| format!("`{u}:…`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))?;
        }
        Ok(ws)
    }

    /// The includes that loaded; a note for each read from an older fetch,
    /// a warning (or, with `strict`, an error) for each that did not load.
    fn keep_readable(
        &mut self,
        chosen: Vec<Include>,
        results: Vec<Result<Loaded>>,
        strict: bool,
    ) -> Result<Vec<Loaded>> {
        let mut loaded = Vec::new();
        let (mut first, mut stale) = (Vec::new(), Vec::new());
        for (inc, r) in chosen.into_iter().zip(results) {
            match r {
                Ok(l) => {
                    if l.fetched_now {
                        first.push(inc.clone());
                    }
                    if let Some(day) = l.fetched.filter(|d| *d < self.today) {
                        stale.push((inc.clone(), day));
                    }
                    loaded.push(l);
                }
                Err(e) if strict => return Err(unreadable(&inc, &e)),
                Err(e) => self.note(&format!(
                    "warning: include `{}` ({}) cannot be read and is left out: {e}",
                    inc.name,
                    inc.describe()
                ))?,
            }
        }
        if let Some(msg) = first_note(&first) {
            self.note(&msg)?;
        }
        if let Some(msg) = age_note(&stale, self.today) {
            self.note(&msg)?;
        }
        Ok(loaded)
    }
}

/// One note for the includes fetched for the first time (none: `None`).
fn first_note(first: &[Include]) -> Option<String> {
    match first {
        [] => None,
        [one] => Some(format!(
            "note: fetched include `{}` ({}) for the first time",
            one.name,
            one.describe()
        )),
        many => Some(format!(
            "note: fetched {} includes for the first time: {}",
            many.len(),
            names(many.iter().map(|i| i.name.as_str()))
        )),
    }
}

/// `` `a`, `b`, `c` `` (at most ten, then how many more).
fn names<'a>(all: impl ExactSizeIterator<Item = &'a str>) -> String {
    let n = all.len();
    let mut shown: Vec<String> = all.take(10).map(|s| format!("`{s}`")).collect();
    if n > 10 {
        shown.push(format!("and {} more", n - 10));
    }
    shown.join(", ")
}

/// The error for an include that cannot be read under `--strict`.
pub fn unreadable(inc: &Include, e: &Error) -> Error {
    Error::invalid_with_hint(
        format!(
            "include `{}` ({}) cannot be read: {e}",
            inc.name,
            inc.describe()
        ),
        "fix or remove it in settings.includes, or leave it out with --include or --no-includes (without --strict it is a warning)",
    )
}

/// One note for the remote includes read from a fetch before today: their
/// number, the oldest fetch and its age (none: `None`).
fn age_note(stale: &[(Include, NaiveDate)], today: NaiveDate) -> Option<String> {
    let (oldest, day) = stale.iter().min_by_key(|(i, d)| (*d, i.name.clone()))?;
    let days = (today - *day).num_days();
    let ago = if days == 1 {
        "1 day ago".to_string()
    } else {
        format!("{days} days ago")
    };
    Some(if stale.len() == 1 {
        format!(
            "note: include `{}` is as last fetched on {day} ({ago}); `okr sync --includes` fetches it again",
            oldest.name
        )
    } else {
        format!(
            "note: {} includes are as last fetched, the oldest (`{}`) on {day} ({ago}); `okr sync --includes` fetches them again",
            stale.len(),
            oldest.name
        )
    })
}

/// The configured includes `sel` picks; an unknown `--include` is a usage
/// error naming the configured ones.
pub fn chosen(home: &Workspace, sel: &IncludeArgs) -> Result<Vec<Include>> {
    if sel.no_includes {
        return Ok(Vec::new());
    }
    let all = includes::configured(&home.root, &home.settings()?)?;
    for n in &sel.include {
        if !all.iter().any(|i| i.name == *n) {
            let names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
            return Err(Error::Usage(format!(
                "--include {n}: no include of that name in settings.includes ({})",
                if names.is_empty() {
                    "there are none".to_string()
                } else {
                    format!("they are {}", names.join(", "))
                }
            )));
        }
    }
    Ok(all
        .into_iter()
        .filter(|i| sel.include.is_empty() || sel.include.contains(&i.name))
        .collect())
}

/// The include that holds `query` when `ws` (the home workspace) does not,
/// with its bare ID: so that a command can say where the item lives.
fn owner(ws: &Workspace, query: &str) -> Option<(Include, String)> {
    let settings = ws.settings().ok()?;
    if settings.includes.is_empty() {
        return None;
    }
    let all = includes::configured(&ws.root, &settings).ok()?;
    let (prefix, bare) = qualified::split(query);
    all.into_iter()
        .filter(|i| prefix.is_none_or(|p| p == i.name))
        .find_map(|i| {
            let l = includes::load(&ws.root, &i, None, None).ok()?;
            match crate::model::id::resolve(bare, l.ws.all_ids()) {
                Lookup::Found(id) => Some((i, id)),
                _ => None,
            }
        })
}

/// The refusal of a write to an ID that lives in an include (`None` when
/// no include holds it): names the include and where to run the command.
pub fn refuse_included(ws: &Workspace, query: &str) -> Option<Error> {
    let (inc, id) = owner(ws, query)?;
    let hint = match &inc.origin {
        Origin::Path { full, .. } => format!(
            "okr writes only to the workspace you stand in: run the command in {} with ID `{id}`, or here with `okr --in-include {} …`",
            full.display(),
            inc.name
        ),
        Origin::Remote { written, .. } => format!(
            "okr writes only to the workspace you stand in: run the command with ID `{id}` in a clone of {written}, push, then `okr sync --includes` here"
        ),
    };
    Some(Error::invalid_with_hint(
        format!(
            "`{}` is in the include `{}` ({}), which is read-only here",
            qualified::join(&inc.name, &id),
            inc.name,
            inc.describe()
        ),
        hint,
    ))
}

/// A `--parent NAME:ID` of `okr add objective` / `okr edit`: the include
/// must be configured and, when it can be read, hold that objective.
pub fn check_parent(ws: &Workspace, parent: &str) -> Result<String> {
    let (Some(name), id) = qualified::split(parent) else {
        return Ok(parent.to_string());
    };
    let all = includes::configured(&ws.root, &ws.settings()?)?;
    let Some(inc) = all.iter().find(|i| i.name == name) else {
        return Err(Error::invalid_with_hint(
            format!("--parent {parent}: no include is named `{name}`"),
            "add it under settings.includes (docs/includes.md)",
        ));
    };
    let Ok(l) = includes::load(&ws.root, inc, None, None) else {
        return Ok(parent.to_string());
    };
    if l.ws.objectives().any(|o| o.id == id) {
        return Ok(parent.to_string());
    }
    let ids = l.ws.objectives().map(|o| o.id.as_str());
    let suggestions = crate::model::id::suggest(id, ids)
        .into_iter()
        .map(|s| qualified::join(name, &s))
        .collect();
    Err(Error::UnknownId {
        query: parent.to_string(),
        suggestions,
    })
}

/// For `okr check`: the documents of the includes `sel` picks, IDs
/// qualified, and a message for each include that cannot be read (by name).
/// Never fails: a bad `settings.includes` is reported the same way.
pub fn for_check(
    root: &std::path::Path,
    settings: &crate::model::Settings,
    sel: &IncludeArgs,
    today: NaiveDate,
) -> (Vec<crate::model::Document>, Vec<(String, String)>) {
    if sel.no_includes || settings.includes.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let all = match includes::configured(root, settings) {
        Ok(a) => a,
        Err(e) => {
            let name = settings.includes.keys().next().cloned().unwrap_or_default();
            return (Vec::new(), vec![(name, e.to_string())]);
        }
    };
    let chosen: Vec<Include> = all
        .into_iter()
        .filter(|i| sel.include.is_empty() || sel.include.contains(&i.name))
        .collect();
    let results = includes::load_all(root, &chosen, today, None);
    let mut docs = Vec::new();
    let mut missing = Vec::new();
    let names: Vec<String> = settings.includes.keys().cloned().collect();
    for (inc, r) in chosen.into_iter().zip(results) {
        match r {
            Ok(l) => {
                for f in l.ws.files {
                    let mut d = f.doc;
                    qualified::qualify(&mut d, &inc.name, |n| {
                        if names.iter().any(|x| x == n) {
                            qualified::Prefix::Include
                        } else {
                            qualified::Prefix::Unknown
                        }
                    });
                    docs.push(d);
                }
            }
            Err(e) => missing.push((
                inc.name.clone(),
                format!(
                    "include `{}` ({}) cannot be read: {e}",
                    inc.name,
                    inc.describe()
                ),
            )),
        }
    }
    (docs, missing)
}

/// The error for a typed ID that matches several: when it is the exact ID
/// of items in several workspaces, it says so and how to pick one.
pub fn ambiguous(query: &str, candidates: Vec<String>) -> Error {
    let same_id = candidates.iter().all(|c| qualified::split(c).1 == query);
    match candidates
        .iter()
        .find(|c| qualified::workspace_of(c).is_some())
    {
        Some(example) if same_id => Error::invalid_with_hint(
            format!(
                "ID `{query}` is used in more than one workspace: {}",
                candidates.join(", ")
            ),
            format!("type it as NAME:ID, e.g. `{example}`"),
        ),
        _ => Error::AmbiguousId {
            query: query.to_string(),
            candidates,
        },
    }
}

/// The workspace a command runs in under `--in-include NAME`: the local
/// include's own workspace (its writes then lock and replace its files like
/// any other); else `file` as given. A remote include is refused: its fetch
/// cache is never written.
pub fn in_include_file(
    file: Option<&std::path::Path>,
    cwd: &std::path::Path,
    name: Option<&str>,
) -> Result<Option<std::path::PathBuf>> {
    let Some(name) = name else {
        return Ok(file.map(std::path::Path::to_path_buf));
    };
    let root = store::discover(file, cwd)?;
    let home = Workspace::open(&root)?;
    let all = includes::configured(&root, &home.settings()?)?;
    let Some(inc) = all.iter().find(|i| i.name == name) else {
        return Err(Error::Usage(format!(
            "--in-include {name}: no include of that name in settings.includes"
        )));
    };
    match &inc.origin {
        Origin::Path { full, .. } => Ok(Some(includes::local_root(full)?)),
        Origin::Remote { written, .. } => Err(Error::invalid_with_hint(
            format!(
                "--in-include {name}: `{name}` is a remote include ({written}), and okr never writes its fetch cache"
            ),
            format!(
                "clone {written}, run the command in the clone and push; then `okr sync --includes` here"
            ),
        )),
    }
}
