//! IDs: short slugs people can type, and how a typed prefix finds one.
//!
//! Objectives, key results, KPIs and initiatives share one namespace per
//! workspace, so any ID (or unique prefix of one) names exactly one thing.

/// Longest slug made from a title (a user's `--id` may be longer).
const MAX_SLUG: usize = 24;

/// Slug of a title with no letters or digits in any script.
const FALLBACK: &str = "untitled";

/// Little words a slug does not end on: `recommendation-score`, not
/// `recommendation-score-of`.
const FILLERS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or", "our",
    "per", "than", "the", "to", "with",
];

/// The words of a title as lowercase ASCII: other scripts are
/// transliterated (`Добро пожаловать` → `dobro`, `pozhalovat'`), accents
/// dropped (`Café` → `cafe`), anything else separates words.
fn words(title: &str) -> Vec<String> {
    deunicode::deunicode(title)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The words that fit in [`MAX_SLUG`] characters joined by `-`, cut at a
/// word boundary (a single longer word is cut itself).
fn fitting(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut len = 0;
    for w in words {
        let extra = if out.is_empty() { w.len() } else { w.len() + 1 };
        if len + extra > MAX_SLUG {
            if out.is_empty() {
                out.push(w[..MAX_SLUG].to_string());
            }
            break;
        }
        len += extra;
        out.push(w.clone());
    }
    out
}

/// The slugs a title may get, best first: without trailing filler words,
/// then with them (used when the first is taken). Never empty.
pub fn candidates(title: &str) -> Vec<String> {
    let kept = fitting(&words(title));
    let mut trimmed = kept.clone();
    while trimmed.len() > 1
        && trimmed
            .last()
            .is_some_and(|w| FILLERS.contains(&w.as_str()))
    {
        trimmed.pop();
    }
    let mut out = vec![trimmed.join("-"), kept.join("-")];
    out.dedup();
    out.retain(|s| !s.is_empty());
    if out.is_empty() {
        out.push(FALLBACK.to_string());
    }
    out
}

/// Makes a slug from a title: lowercase ASCII letters and digits joined by
/// `-` (other scripts transliterated), cut at a word boundary, not ending
/// on a filler word. A title without a letter or digit in any script gets
/// `untitled`.
pub fn slugify(title: &str) -> String {
    candidates(title).remove(0)
}

/// A slug of `title` that is not `taken`: the best candidate that is free,
/// else the best one with `-2`, `-3`, … appended.
pub fn unique_slug(title: &str, taken: impl Fn(&str) -> bool) -> String {
    let c = candidates(title);
    match c.iter().find(|s| !taken(s)) {
        Some(s) => s.clone(),
        None => unique(&c[0], taken),
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
        assert_eq!(slugify("¡¿?!"), "untitled");
        assert_eq!(
            slugify("Supercalifragilisticexpialidocious-ly"),
            "supercalifragilisticexpi"
        );
        assert!(slugify("Create the smallest carbon footprint").len() <= MAX_SLUG);
    }

    #[test]
    fn other_scripts_are_transliterated() {
        assert_eq!(slugify("Добро пожаловать"), "dobro-pozhalovat");
        assert_eq!(slugify("Café crème"), "cafe-creme");
        assert_eq!(slugify("北京 office"), "bei-jing-office");
        assert_eq!(slugify("Ελληνικά"), "ellenika");
        assert_ne!(slugify("売上を伸ばす"), "okr");
        assert!(validate(&slugify("売上を伸ばす")).is_ok());
    }

    #[test]
    fn slugs_stop_at_a_word_and_not_on_a_filler() {
        assert_eq!(
            slugify("Recommendation score of 8 or higher"),
            "recommendation-score"
        );
        assert_eq!(slugify("Grow sales in"), "grow-sales");
        // A filler inside the slug stays; so does a title of one filler.
        assert_eq!(
            slugify("Launch the referral campaign"),
            "launch-the-referral"
        );
        assert_eq!(slugify("The"), "the");
    }

    #[test]
    fn filler_is_kept_when_that_keeps_the_slug_unique() {
        let taken = ["recommendation-score"];
        assert_eq!(
            unique_slug("Recommendation score of 8 or higher", |c| taken
                .contains(&c)),
            "recommendation-score-of"
        );
        let taken = ["recommendation-score", "recommendation-score-of"];
        assert_eq!(
            unique_slug("Recommendation score of 8 or higher", |c| taken
                .contains(&c)),
            "recommendation-score-2"
        );
        assert_eq!(unique_slug("Visitors", |_| false), "visitors");
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
