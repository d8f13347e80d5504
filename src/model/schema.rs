//! JSON Schema of the file format, generated from the model types.
//!
//! The derives on the types in `okr.rs` produce most of it; the types with a
//! hand-written `Deserialize` get a hand-written schema here, next to each
//! other, so that a reviewer can hold each one against its reader. The
//! committed copy is docs/okr.schema.json (a test keeps them equal).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::okr::{CheckValue, Document, FORMAT_VERSION, FormatVersion, RuleLevel};
use super::period::Period;

/// The file name `okr init` writes the schema under, beside the workspace,
/// and that its modeline names (resolved relative to the YAML file).
pub const SCHEMA_FILE: &str = "okr.schema.json";

/// The schema of a workspace file, pretty-printed with a final newline.
pub fn document_schema() -> String {
    let mut schema = schemars::schema_for!(Document);
    schema.insert("title".into(), "okr workspace file".into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

impl JsonSchema for Period {
    fn schema_name() -> Cow<'static, str> {
        "Period".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A quarter `2026-Q3`, a half `2026-H1` or a year `2026`.",
            "anyOf": [
                {"type": "string", "pattern": "^\\s*[0-9]{4}(-([Qq][1-4]|[Hh][12]))?\\s*$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999}
            ]
        })
    }
}

impl JsonSchema for FormatVersion {
    fn schema_name() -> Cow<'static, str> {
        "FormatVersion".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "File format version.",
            "type": "integer",
            "minimum": 1,
            "maximum": FORMAT_VERSION
        })
    }
}

impl JsonSchema for RuleLevel {
    fn schema_name() -> Cow<'static, str> {
        "RuleLevel".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Severity of an `okr check` rule; `false` means off, `true` warning.",
            "anyOf": [
                {"type": "string", "enum": ["off", "warning", "error", "warn", "false", "no"]},
                {"type": "boolean"}
            ]
        })
    }
}

impl JsonSchema for CheckValue {
    fn schema_name() -> Cow<'static, str> {
        "CheckValue".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number; for a milestone also `done`, `todo` (or true/false) or a score 0.0–1.0.",
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": "^\\s*([Dd][Oo][Nn][Ee]|[Tt][Oo][Dd][Oo]|[Yy][Ee][Ss]|[Nn][Oo]|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[-+]?[0-9.]+([eE][-+]?[0-9]+)?)\\s*$"},
                {"type": "boolean"}
            ]
        })
    }
}

/// The schema of `fiscal_year_start`: a month number or name.
pub fn month(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Month the fiscal year starts in: 1–12 or an English name like `february` [default: 1].",
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 12},
            {"type": "string", "minLength": 3}
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_every_top_level_key() {
        let s = document_schema();
        for key in [
            "\"version\"",
            "\"settings\"",
            "\"objectives\"",
            "\"kpis\"",
            "\"check_ins\"",
        ] {
            assert!(s.contains(key), "{key}");
        }
    }
}
