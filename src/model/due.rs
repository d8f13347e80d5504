//! Which key results wait for a check-in: the rule behind `okr due` and the
//! interactive check-in round.
//!
//! A key result is due when its objective's period contains today, it is
//! neither done nor graded, it belongs to the person asked about (its own
//! owner, else its objective's), and it has no check-in dated within the
//! last `cadence_days` days (today included). Check-ins dated after today do
//! not count: they are not news about this week.

use chrono::NaiveDate;

use super::{Calendar, KeyResult, Objective, Settings};

/// Days between expected check-ins when `settings.cadence_days` is unset.
pub const CADENCE_DAYS: u32 = 7;

/// Who a due list is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose<'a> {
    /// Key results owned by this name (compared case-insensitively).
    Owner(&'a str),
    /// Everyone's.
    All,
}

/// The cadence in days from the settings.
pub fn cadence(settings: &Settings) -> u32 {
    settings
        .cadence_days
        .filter(|d| *d > 0)
        .unwrap_or(CADENCE_DAYS)
}

/// Whether `k` of `o` is due on `today`.
pub fn is_due(
    o: &Objective,
    k: &KeyResult,
    whose: Whose<'_>,
    today: NaiveDate,
    calendar: Calendar,
    cadence_days: u32,
) -> bool {
    if !calendar.contains(o.period, today) || k.grade.is_some() || k.is_done_as_of(Some(today)) {
        return false;
    }
    if let Whose::Owner(me) = whose {
        let owner = k.owner.as_deref().or(o.owner.as_deref()).unwrap_or("");
        if !owner.trim().eq_ignore_ascii_case(me.trim()) {
            return false;
        }
    }
    let since = today - chrono::Days::new(u64::from(cadence_days));
    !k.check_ins
        .iter()
        .any(|c| c.date > since && c.date <= today)
}

/// Every due key result, in workspace order, with its objective.
pub fn due<'a>(
    objectives: impl IntoIterator<Item = &'a Objective>,
    whose: Whose<'_>,
    today: NaiveDate,
    settings: &Settings,
) -> Vec<(&'a Objective, &'a KeyResult)> {
    let (cal, days) = (settings.calendar(), cadence(settings));
    objectives
        .into_iter()
        .flat_map(|o| o.key_results.iter().map(move |k| (o, k)))
        .filter(|(o, k)| is_due(o, k, whose, today, cal, days))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::Document;

    const DOC: &str = "\
version: 1
objectives:
  - id: o
    title: O
    owner: ada
    period: 2026-Q3
    key_results:
      - {id: fresh, title: F, target: 10, check_ins: [{date: 2026-08-10, value: 1}]}
      - {id: old, title: Old, target: 10, check_ins: [{date: 2026-08-08, value: 1}]}
      - {id: never, title: N, target: 10}
      - {id: done, title: D, target: 10, check_ins: [{date: 2026-07-01, value: 10}]}
      - {id: graded, title: G, target: 10, grade: 0.5}
      - {id: bobs, title: B, target: 10, owner: bob}
      - {id: future, title: Fu, target: 10, check_ins: [{date: 2026-09-01, value: 1}]}
  - id: past
    title: P
    owner: ada
    period: 2026-Q2
    key_results:
      - {id: last-quarter, title: L, target: 10}
";

    fn ids(whose: Whose<'_>, settings: &Settings) -> Vec<String> {
        let doc: Document = serde_saphyr::from_str(DOC).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 8, 15).unwrap();
        due(&doc.objectives, whose, today, settings)
            .into_iter()
            .map(|(_, k)| k.id.clone())
            .collect()
    }

    #[test]
    fn due_are_mine_open_unfinished_and_not_checked_in_this_week() {
        let s = Settings::default();
        assert_eq!(ids(Whose::Owner("Ada"), &s), ["old", "never", "future"]);
        assert_eq!(ids(Whose::Owner("bob"), &s), ["bobs"]);
        assert_eq!(ids(Whose::All, &s), ["old", "never", "bobs", "future"]);
    }

    #[test]
    fn cadence_comes_from_the_settings() {
        let s = Settings {
            cadence_days: Some(14),
            ..Settings::default()
        };
        assert_eq!(ids(Whose::Owner("ada"), &s), ["never", "future"]);
        let s = Settings {
            cadence_days: Some(3),
            ..Settings::default()
        };
        assert_eq!(
            ids(Whose::Owner("ada"), &s),
            ["fresh", "old", "never", "future"]
        );
    }
}
