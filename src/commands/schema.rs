//! `okr schema`: print the JSON Schema of the workspace file format.

use std::io::Write;

use crate::commands::Ctx;
use crate::error::Result;
use crate::model::schema::document_schema;

/// Print the JSON Schema of the workspace file format
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The schema is generated from the same types that read the files, so it
cannot drift from what okr accepts. Editors with yaml-language-server (VS
Code's YAML extension, Neovim, Helix, Zed …) validate and complete a file
that starts with a modeline; `okr init` writes both.

Examples:
  okr schema > okr.schema.json
  echo '# yaml-language-server: $schema=okr.schema.json' | cat - okrs.yaml")]
pub struct Args {}

/// Runs `okr schema`.
pub fn run<W: Write, E: Write>(ctx: &mut Ctx<W, E>, _args: &Args) -> Result<()> {
    ctx.out.write_all(document_schema().as_bytes())?;
    Ok(())
}

/// The first line of a file made by `okr init`: editors that speak
/// yaml-language-server validate the file against the schema beside it.
pub fn modeline() -> String {
    format!(
        "# yaml-language-server: $schema={}\n",
        crate::model::schema::SCHEMA_FILE
    )
}

/// Writes the schema beside a new workspace file, unless a file of that
/// name is already there (it is never overwritten).
pub fn write_beside(workspace_file: &std::path::Path) -> Result<()> {
    let Some(dir) = workspace_file.parent() else {
        return Ok(());
    };
    let path = dir.join(crate::model::schema::SCHEMA_FILE);
    if path.exists() || path.is_symlink() {
        return Ok(());
    }
    crate::store::fsio::write_atomic(&path, document_schema().as_bytes())?;
    Ok(())
}
