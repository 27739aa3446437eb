//! The `ismap` subcommands. Each module parses its arguments with clap and returns a
//! [`output::CmdResult`]; [`output`] holds what they share.

pub(crate) mod assess;
pub(crate) mod catalog;
pub(crate) mod cyder;
pub(crate) mod migrate;
pub(crate) mod oscal;
pub(crate) mod output;
pub(crate) mod registry;
pub(crate) mod schema;
pub(crate) mod settings;
pub(crate) mod statement;

use std::path::Path;

use ismap::controls::{Catalog, CatalogError};
use ismap::model::Lang;

use output::CliError;

/// Options shared by commands that print domain text.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Common {
    /// Output format.
    #[arg(long, value_enum, default_value_t = output::Format::Table)]
    pub(crate) format: output::Format,
    /// Language of titles and messages.
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    pub(crate) lang: Lang,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

/// Loads a catalog file (TOML when the extension is `.toml`, JSON otherwise) or the embedded one.
pub(crate) fn load_catalog(path: Option<&Path>) -> Result<Catalog, CliError> {
    let Some(path) = path else { return Ok(Catalog::ismap_2022().clone()) };
    let text = output::read_file(path)?;
    catalog_from_text(path, &text).map(|(c, _)| c).map_err(|e| catalog_error(path, &e))
}

/// Parses catalog text according to the file's extension.
pub(crate) fn catalog_from_text(
    path: &Path,
    text: &str,
) -> Result<(Catalog, Vec<ismap::controls::CatalogProblem>), CatalogError> {
    if is_toml(path) { Catalog::from_toml_str(text) } else { Catalog::from_json_str(text) }
}

/// Whether a path names a TOML file.
pub(crate) fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// One line for a catalog that does not load.
pub(crate) fn catalog_error(path: &Path, e: &CatalogError) -> CliError {
    match e {
        CatalogError::Syntax { path: p, message, .. } => CliError::new(
            format!("{}: {p}: {message}", path.display()),
            "the catalog must follow schemas/catalog.schema.json",
        ),
        CatalogError::Invalid(problems) => CliError::new(
            format!(
                "{}: {} ({} problem(s) in all)",
                path.display(),
                problems.first().map(ToString::to_string).unwrap_or_default(),
                problems.len()
            ),
            format!("run `ismap catalog validate {}` to list every problem", path.display()),
        ),
        other => CliError::new(format!("{}: {other}", path.display()), "check the catalog file"),
    }
}
