//! IDs across workspaces: `NAME:ID` addresses an item of the include NAME.
//!
//! A company reads its teams' workspaces next to its own. Their IDs were
//! chosen independently, so an included item is known as `NAME:ID` (an ID
//! never holds a `:`), and everything downstream (tree, list, report,
//! history) works on one model whose included IDs and parents are already
//! qualified. A bare ID still resolves when it is unique across everything
//! loaded. Pure: no I/O.

use super::Document;
use super::id::{self, Lookup};

/// The separator between an include's name and an ID.
pub const SEP: char = ':';

/// `platform:uptime` -> (`Some("platform")`, `uptime`); `uptime` -> (`None`, `uptime`).
pub fn split(address: &str) -> (Option<&str>, &str) {
    match address.split_once(SEP) {
        Some((name, id)) => (Some(name), id),
        None => (None, address),
    }
}

/// The include an address belongs to (`None` for the home workspace).
pub fn workspace_of(address: &str) -> Option<&str> {
    split(address).0
}

/// `NAME:ID`.
pub fn join(name: &str, id: &str) -> String {
    // Built in place: `format!` was half of reading 100 includes' IDs.
    let mut address = String::with_capacity(name.len() + SEP.len_utf8() + id.len());
    address.push_str(name);
    address.push(SEP);
    address.push_str(id);
    address
}

/// Where a qualified parent `NAME:ID` written in an included workspace
/// points from the including workspace's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    /// NAME is the including workspace itself (its `workspace_name`).
    Home,
    /// NAME is another include of the including workspace.
    Include,
    /// NAME means nothing here.
    Unknown,
}

/// Qualifies every ID of a document read from the include `name`, and
/// rewrites its parents to addresses of the including workspace: a bare
/// parent stays in the include, `HOME:ID` becomes the home's `ID`, another
/// include's `OTHER:ID` stays as written. Returns the prefixes that named
/// nothing (so the caller can say how to fix them). Settings are dropped:
/// numbers are computed with the including workspace's settings.
pub fn qualify(doc: &mut Document, name: &str, prefix: impl Fn(&str) -> Prefix) -> Vec<String> {
    let mut unknown = Vec::new();
    doc.settings = None;
    for o in &mut doc.objectives {
        o.id = join(name, &o.id);
        if let Some(p) = o.parent.take() {
            o.parent = Some(match split(&p) {
                (None, id) => join(name, id),
                (Some(n), id) => match prefix(n) {
                    Prefix::Home => id.to_string(),
                    Prefix::Include => p.clone(),
                    Prefix::Unknown => {
                        unknown.push(n.to_string());
                        p.clone()
                    }
                },
            });
        }
        if let Some(r) = o.rolled_from.take() {
            o.rolled_from = Some(join(name, &r));
        }
        for k in &mut o.key_results {
            k.id = join(name, &k.id);
            if let Some(r) = k.rolled_from.take() {
                k.rolled_from = Some(join(name, &r));
            }
            for i in &mut k.initiatives {
                i.id = join(name, &i.id);
            }
        }
    }
    for k in &mut doc.kpis {
        k.id = join(name, &k.id);
    }
    for o in &mut doc.objectives {
        for k in &mut o.key_results {
            k.kpi = k.kpi.take().map(|x| join(name, &x));
        }
    }
    unknown.sort();
    unknown.dedup();
    unknown
}

/// The home workspace's own parents written as `HOME:ID` (its own
/// `workspace_name`) become plain `ID`.
pub fn unqualify_home(doc: &mut Document, home: &str) {
    for o in &mut doc.objectives {
        if let Some(p) = &o.parent
            && let (Some(n), id) = split(p)
            && n == home
        {
            o.parent = Some(id.to_string());
        }
    }
}

/// Resolves a typed ID among addresses that may be qualified: an exact
/// address, else a bare ID equal to exactly one item's own ID in any
/// workspace, else a unique prefix (of the address or of the bare ID).
/// Two or more matches are ambiguous and listed as addresses, so each
/// names its workspace; did-you-mean looks at bare IDs too.
pub fn resolve<'a>(query: &str, ids: impl IntoIterator<Item = &'a str> + Clone) -> Lookup {
    if !ids.clone().into_iter().any(|i| i.contains(SEP)) {
        return match (id::resolve(query, ids.clone()), split(query)) {
            // `platform:uptime` inside the workspace `platform` itself
            // (`--in-include`, a team's own repository): suggest `uptime`.
            (Lookup::NotFound(mut s), (Some(_), bare)) if ids.into_iter().any(|i| i == bare) => {
                s.insert(0, bare.to_string());
                Lookup::NotFound(s)
            }
            (found, _) => found,
        };
    }
    let bare = !query.contains(SEP);
    let exact: Vec<&str> = ids
        .clone()
        .into_iter()
        .filter(|i| *i == query || (bare && split(i).1 == query))
        .collect();
    if let Some(found) = pick(exact) {
        return found;
    }
    let prefixed: Vec<&str> = ids
        .clone()
        .into_iter()
        .filter(|i| {
            !query.is_empty() && (i.starts_with(query) || (bare && split(i).1.starts_with(query)))
        })
        .collect();
    if let Some(found) = pick(prefixed) {
        return found;
    }
    let mut suggestions = id::suggest(query, ids.clone());
    if bare {
        let locals: Vec<&str> = ids.clone().into_iter().map(|i| split(i).1).collect();
        for s in id::suggest(query, locals.iter().copied()) {
            suggestions.extend(
                ids.clone()
                    .into_iter()
                    .filter(|i| split(i).1 == s)
                    .map(str::to_string),
            );
        }
    }
    suggestions.sort();
    suggestions.dedup();
    suggestions.truncate(3);
    Lookup::NotFound(suggestions)
}

/// One match is found, several are ambiguous, none is `None`.
fn pick(mut matches: Vec<&str>) -> Option<Lookup> {
    matches.sort_unstable();
    matches.dedup();
    match matches.len() {
        0 => None,
        1 => Some(Lookup::Found(matches[0].to_string())),
        _ => Some(Lookup::Ambiguous(
            matches.into_iter().map(str::to_string).collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 5] = [
        "delight",
        "uptime",
        "platform:uptime",
        "platform:latency",
        "mobile:crash-free",
    ];

    #[test]
    fn a_bare_id_resolves_when_unique_across_workspaces() {
        assert_eq!(
            resolve("latency", IDS),
            Lookup::Found("platform:latency".into())
        );
        assert_eq!(
            resolve("crash", IDS),
            Lookup::Found("mobile:crash-free".into())
        );
        assert_eq!(resolve("delight", IDS), Lookup::Found("delight".into()));
    }

    #[test]
    fn an_ambiguous_bare_id_lists_every_address() {
        assert_eq!(
            resolve("uptime", IDS),
            Lookup::Ambiguous(vec!["platform:uptime".into(), "uptime".into()])
        );
    }

    #[test]
    fn a_qualified_id_is_exact() {
        assert_eq!(
            resolve("platform:uptime", IDS),
            Lookup::Found("platform:uptime".into())
        );
        assert_eq!(
            resolve("platform:lat", IDS),
            Lookup::Found("platform:latency".into())
        );
    }

    #[test]
    fn did_you_mean_looks_across_workspaces() {
        let Lookup::NotFound(s) = resolve("latncy", IDS) else {
            panic!("expected not found");
        };
        assert_eq!(s, vec!["platform:latency".to_string()]);
    }

    #[test]
    fn an_address_in_its_own_workspace_suggests_the_bare_id() {
        assert_eq!(
            resolve("platform:uptime", ["uptime", "latency"]),
            Lookup::NotFound(vec!["uptime".into()])
        );
    }

    #[test]
    fn without_includes_resolution_is_unchanged() {
        let ids = ["a-b", "a-c"];
        assert_eq!(resolve("a-", ids), id::resolve("a-", ids));
    }

    #[test]
    fn qualify_rewrites_ids_and_parents() {
        let text = "version: 1\nobjectives:\n  - id: o\n    title: O\n    period: 2026-Q3\n    parent: company:delight\n    key_results:\n      - {id: k, title: K, start: 0, target: 1}\n  - id: p\n    title: P\n    period: 2026-Q3\n    parent: o\n  - id: q\n    title: Q\n    period: 2026-Q3\n    parent: nowhere:x\n";
        let mut doc: Document = serde_saphyr::from_str(text).unwrap();
        let unknown = qualify(&mut doc, "platform", |n| {
            if n == "company" {
                Prefix::Home
            } else {
                Prefix::Unknown
            }
        });
        let o = &doc.objectives;
        assert_eq!(o[0].id, "platform:o");
        assert_eq!(o[0].parent.as_deref(), Some("delight"));
        assert_eq!(o[0].key_results[0].id, "platform:k");
        assert_eq!(o[1].parent.as_deref(), Some("platform:o"));
        assert_eq!(o[2].parent.as_deref(), Some("nowhere:x"));
        assert_eq!(unknown, vec!["nowhere".to_string()]);
    }
}
