//! The `ismap` subcommands. Each module parses its arguments with clap and returns a
//! [`output::CmdResult`]; [`output`] holds what they share.

pub(crate) mod assess;
pub(crate) mod catalog;
pub(crate) mod completions;
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
    #[arg(long, value_parser = parse_lang, default_value = lang_default())]
    pub(crate) lang: Lang,
}

/// The language of the user's locale: Japanese when the first of `LC_ALL`, `LC_MESSAGES` and
/// `LANG` that is set starts with `ja` (`ja_JP.UTF-8`), English otherwise; `--lang` overrides it.
pub(crate) fn lang_default() -> &'static str {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if locale.starts_with("ja") { "ja" } else { "en" }
}

/// Options of the commands whose report can also be a self-contained HTML page.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ReportArgs {
    /// Output format; `html` is one self-contained page (no network, scripts or fonts from elsewhere).
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub(crate) format: ReportFormat,
    /// Language of titles and messages.
    #[arg(long, value_parser = parse_lang, default_value = lang_default())]
    pub(crate) lang: Lang,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<std::path::PathBuf>,
}

/// The formats of [`ReportArgs`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// A readable table for the terminal.
    #[default]
    Table,
    /// Pretty-printed JSON (stable key order), for scripts and integrators.
    Json,
    /// GitHub-flavoured Markdown, for reports and issues.
    Markdown,
    /// A self-contained HTML page: sortable, filterable tables, pictures as inline SVG.
    Html,
}

impl ReportFormat {
    /// The text format, for the renderers shared with the other commands (`None` for HTML).
    pub(crate) const fn text(self) -> Option<output::Format> {
        match self {
            Self::Table => Some(output::Format::Table),
            Self::Json => Some(output::Format::Json),
            Self::Markdown => Some(output::Format::Markdown),
            Self::Html => None,
        }
    }
}

pub(crate) fn parse_lang(s: &str) -> Result<Lang, String> {
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
