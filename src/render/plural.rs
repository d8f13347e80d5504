//! English counts: `1 objective`, `5 key results`, never `objective(s)`.
//!
//! Every noun okr counts (objective, key result, check-in, KPI, initiative,
//! file, warning …) takes a plain `s`, so one rule serves them all; a noun
//! that does not can pass its plural to [`noun_or`].

/// `noun` as it reads after the number `n`: `objective` for 1, else `objectives`.
pub fn noun(n: usize, noun: &str) -> String {
    noun_or(n, noun, &format!("{noun}s"))
}

/// `singular` for 1, `plural` otherwise.
pub fn noun_or(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        singular.to_string()
    } else {
        plural.to_string()
    }
}

/// The number and its noun: `1 objective`, `0 key results`, `5 key results`.
pub fn count(n: usize, singular: &str) -> String {
    format!("{n} {}", noun(n, singular))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(count(1, "objective"), "1 objective");
        assert_eq!(count(0, "key result"), "0 key results");
        assert_eq!(count(5, "key result"), "5 key results");
        assert_eq!(noun(2, "check-in"), "check-ins");
        assert_eq!(noun_or(3, "entry", "entries"), "entries");
        assert_eq!(noun_or(1, "entry", "entries"), "entry");
    }
}
