//! Deciding cheaply, from the raw text, which files a command can skip.
//!
//! `okr report --period 2026-Q3` on a workspace that keeps years of history
//! only needs the files that mention that period. A file can only hold an
//! objective of a period if its text contains the period's name (any case,
//! as the parser accepts it); a file with settings or KPIs is always kept,
//! as is any file using escapes (`\x32...`), which could spell a period
//! without its plain text. Skipping is only for read-only commands: a
//! skipped file is neither parsed nor checked.

/// Whether `text` may hold an objective of the period named `name`
/// (`2026-Q3`, `2026-H1`, `2026`), or settings or KPIs every command needs.
pub fn may_hold_period(text: &str, name: &str) -> bool {
    let b = text.as_bytes();
    let finds = |w: &[u8]| memchr::memmem::find(b, w).is_some();
    if finds(b"\\") || finds(b"settings") || finds(b"kpis") {
        return true;
    }
    let Some((year, rest)) = name.split_once('-') else {
        return finds(name.as_bytes());
    };
    // A label's letters are one (`Q`, `H`): its two spellings are two
    // SIMD searches, far cheaper than checking every match of the year
    // (which every date in the file is).
    if rest.bytes().filter(u8::is_ascii_alphabetic).count() <= 1 {
        let upper = format!("{year}-{}", rest.to_ascii_uppercase());
        let lower = format!("{year}-{}", rest.to_ascii_lowercase());
        return finds(upper.as_bytes()) || finds(lower.as_bytes());
    }
    text.match_indices(year).any(|(i, _)| {
        let after = &text.as_bytes()[i + year.len()..];
        after.len() > rest.len()
            && after[0] == b'-'
            && after[1..=rest.len()].eq_ignore_ascii_case(rest.as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_period_in_any_case() {
        assert!(may_hold_period("period: 2026-q3\n", "2026-Q3"));
        assert!(may_hold_period("period: \"2026-Q3\"\n", "2026-Q3"));
        assert!(!may_hold_period("period: 2026-Q2\n", "2026-Q3"));
        assert!(!may_hold_period("period: 2025-Q3\n", "2026-Q3"));
        assert!(may_hold_period("period: 2026\n", "2026"));
    }

    #[test]
    fn keeps_settings_kpis_and_escapes() {
        assert!(may_hold_period(
            "settings:\n  default_period: 2026-Q2\n",
            "2026-Q3"
        ));
        assert!(may_hold_period("kpis: []\n", "2026-Q3"));
        assert!(may_hold_period("period: \"\\x32026-Q3\"\n", "2026-Q3"));
    }
}
