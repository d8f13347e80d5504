//! Rules on the workspace settings.

use super::{Ctx, Finding, PathStep, default_level, key};

/// `unknown-check`: a rule ID under `settings.checks` that does not exist.
pub(super) fn unknown_check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for &(f, doc) in ctx.docs {
        let Some(s) = &doc.settings else { continue };
        for name in s.checks.keys() {
            if default_level(name).is_none() {
                let rules = super::RULES
                    .iter()
                    .map(|r| r.id)
                    .chain(super::STORE_RULES.iter().map(|r| r.0));
                let hint = match crate::model::id::suggest(name, rules).first() {
                    Some(near) => format!(" (did you mean `{near}`?)"),
                    None => String::new(),
                };
                out.push(Finding::new(
                    "unknown-check",
                    f,
                    vec![
                        key("settings"),
                        key("checks"),
                        PathStep::Key(name.to_string().into()),
                    ],
                    format!("`{name}` is not a rule of okr check{hint}"),
                ));
            }
        }
    }
}
