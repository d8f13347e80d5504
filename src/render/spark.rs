//! Small pictures for the terminal: sparklines and ASCII progress bars, and
//! the decision whether block characters can be shown at all.

/// Eight block heights, lowest first.
const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Eight ASCII "heights", lowest first.
const ASCII: [char; 8] = ['_', '.', ',', '-', '~', '=', '*', '#'];

/// A sparkline of `values`, one character each, scaled from their minimum
/// to their maximum (a flat series is drawn at mid height).
pub fn sparkline(values: &[f64], ascii: bool) -> String {
    let levels = if ascii { &ASCII } else { &BLOCKS };
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let min = finite.clone().fold(f64::INFINITY, f64::min);
    let max = finite.fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| {
            let i = if !v.is_finite() || max <= min {
                3
            } else {
                (((v - min) / (max - min)) * 7.0).round().clamp(0.0, 7.0) as usize
            };
            levels[i]
        })
        .collect()
}

/// A progress bar of `width` cells in ASCII: `#` done, `-` to go.
pub fn ascii_bar(progress: f64, width: usize) -> String {
    let p = progress.clamp(0.0, 1.0);
    let full = ((p * width as f64).round() as usize).min(width);
    format!("{}{}", "#".repeat(full), "-".repeat(width - full))
}

/// Whether the locale promises UTF-8, read the way C programs do: the first
/// of `LC_ALL`, `LC_CTYPE` and `LANG` that is set and not empty decides; with
/// none set the locale is "C", which is ASCII. `get` reads a variable (so
/// this stays testable without touching the process environment).
pub fn locale_is_utf8(get: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|k| get(k))
        .find(|v| !v.is_empty())
        .is_some_and(|v| {
            let v = v.to_string_lossy().to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    #[test]
    fn sparklines_scale_to_the_range() {
        assert_eq!(sparkline(&[0.0, 1.0, 2.0, 7.0], false), "▁▂▃█");
        assert_eq!(sparkline(&[0.0, 1.0, 2.0, 7.0], true), "_.,#");
        assert_eq!(sparkline(&[5.0, 5.0], false), "▄▄");
        assert_eq!(sparkline(&[], false), "");
        assert!(sparkline(&[3.0, 1.0, 2.0], true).is_ascii());
    }

    #[test]
    fn ascii_bars() {
        assert_eq!(ascii_bar(0.5, 10), "#####-----");
        assert_eq!(ascii_bar(2.0, 4), "####");
        assert_eq!(ascii_bar(-1.0, 4), "----");
    }

    #[test]
    fn locale_detection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        assert!(locale_is_utf8(env(&[("LANG", "en_US.UTF-8")])));
        assert!(locale_is_utf8(env(&[("LANG", "C.utf8")])));
        assert!(!locale_is_utf8(env(&[("LANG", "C")])));
        assert!(!locale_is_utf8(env(&[])));
        assert!(!locale_is_utf8(env(&[
            ("LC_ALL", "POSIX"),
            ("LANG", "en_US.UTF-8")
        ])));
        assert!(locale_is_utf8(env(&[
            ("LC_ALL", ""),
            ("LANG", "de_DE.UTF-8")
        ])));
    }
}
