//! IDs: short slugs people can type, and how a typed prefix finds one.
//!
//! Objectives and key results share one namespace per workspace, so any ID
//! (or unique prefix of one) names exactly one thing.

/// Longest slug made from a title (a user's `--id` may be longer).
const MAX_SLUG: usize = 24;

/// Makes a slug from a title: lowercase ASCII letters and digits joined by
/// `-`, cut at a word boundary. Falls back to `okr` for titles with no
/// letters or digits at all.
pub fn slugify(title: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for ch in title.chars() {
        if ch.is_ascii_alphanumeric() {
            cur.push(ch.to_ascii_lowercase());
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let mut slug = String::new();
    for w in words {
        let extra = if slug.is_empty() {
            w.len()
        } else {
            w.len() + 1
        };
        if !slug.is_empty() && slug.len() + extra > MAX_SLUG {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&w);
        if slug.len() >= MAX_SLUG {
            slug.truncate(MAX_SLUG);
            break;
        }
    }
    if slug.is_empty() {
        "okr".to_string()
    } else {
        slug
    }
}

/// Makes `base` unique against `taken` by appending `-2`, `-3`, ….
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken(c))
        .unwrap_or_else(|| base.to_string())
}

/// Checks a user-chosen ID: it must start with a letter or digit and hold
/// only lowercase letters, digits, `-`, `_` and `.`.
pub fn validate(id: &str) -> Result<(), String> {
    let ok_first = id
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok_rest = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    if ok_first && ok_rest && id.len() <= 64 {
        Ok(())
    } else {
        Err(format!(
            "invalid ID `{id}`: use 1 to 64 lowercase letters, digits, `-`, `_` or `.`, starting with a letter or digit"
        ))
    }
}

/// The outcome of looking up a typed ID among the known ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Exactly one ID matched (exactly, or as the only one with that prefix).
    Found(String),
    /// The prefix matches several IDs (sorted).
    Ambiguous(Vec<String>),
    /// Nothing matched; the closest IDs, best first (may be empty).
    NotFound(Vec<String>),
}

/// Resolves `query` as an exact ID or a unique prefix of one.
pub fn resolve<'a>(query: &str, ids: impl IntoIterator<Item = &'a str> + Clone) -> Lookup {
    if ids.clone().into_iter().any(|id| id == query) {
        return Lookup::Found(query.to_string());
    }
    let mut matches: Vec<String> = ids
        .clone()
        .into_iter()
        .filter(|id| !query.is_empty() && id.starts_with(query))
        .map(str::to_string)
        .collect();
    matches.sort();
    matches.dedup();
    match matches.len() {
        1 => Lookup::Found(matches.remove(0)),
        0 => Lookup::NotFound(suggest(query, ids)),
        _ => Lookup::Ambiguous(matches),
    }
}

/// Up to three IDs that look like `query` (typos, swapped letters, a part of it).
pub fn suggest<'a>(query: &str, ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let q = query.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = ids
        .into_iter()
        .map(|id| {
            let score = if q.len() >= 3 && id.contains(&q) {
                1.0
            } else {
                strsim::jaro_winkler(&q, id)
            };
            (score, id)
        })
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_and_typeable() {
        assert_eq!(
            slugify("Increase brand awareness"),
            "increase-brand-awareness"
        );
        assert_eq!(slugify("  NPS of 42 or better!! "), "nps-of-42-or-better");
        assert_eq!(
            slugify("Create the smallest carbon footprint in our industry"),
            "create-the-smallest"
        );
        assert_eq!(slugify("¡¿?!"), "okr");
        assert_eq!(
            slugify("Supercalifragilisticexpialidocious-ly"),
            "supercalifragilisticexpi"
        );
        assert!(slugify("Create the smallest carbon footprint").len() <= MAX_SLUG);
    }

    #[test]
    fn unique_appends_counter() {
        let taken = ["a", "a-2"];
        assert_eq!(unique("a", |c| taken.contains(&c)), "a-3");
        assert_eq!(unique("b", |c| taken.contains(&c)), "b");
    }

    #[test]
    fn validates_ids() {
        assert!(validate("kr-1.a_b").is_ok());
        assert!(validate("").is_err());
        assert!(validate("-x").is_err());
        assert!(validate("Has Space").is_err());
    }

    #[test]
    fn resolves_prefixes() {
        let ids = ["brand", "brand-visitors", "sales"];
        assert_eq!(resolve("brand", ids), Lookup::Found("brand".into()));
        assert_eq!(resolve("sa", ids), Lookup::Found("sales".into()));
        assert_eq!(
            resolve("br", ids),
            Lookup::Ambiguous(vec!["brand".into(), "brand-visitors".into()])
        );
        assert_eq!(
            resolve("slaes", ids),
            Lookup::NotFound(vec!["sales".into()])
        );
        assert_eq!(resolve("zzz", ids), Lookup::NotFound(vec![]));
        assert_eq!(resolve("", ids), Lookup::NotFound(vec![]));
    }
}
