//! `ismap statement`: the template a provider fills, validation of a statement file, and
//! conversion between JSON, TOML, XLSX and CSV.

use std::path::{Path, PathBuf};

use ismap::controls::StatementValidation;
use ismap::controls::workbook::{StatementFormat, StatementTemplate};
use ismap::model::Lang;

use super::assess::{BaselineOpts, load_mapping, problems_error, read_statement};
use super::load_catalog;
use super::output::{self, CliError, CmdResult, exit};

/// `ismap statement` subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum StatementCommand {
    /// Write the template of a statement: every item it must answer, with titles and what is
    /// required (`.xlsx`, `.csv`, `.json` or `.toml`, by the output's extension).
    Template(TemplateArgs),
    /// Check that a statement file loads, listing every problem with its location.
    Validate(ValidateArgs),
    /// Convert a statement between JSON, TOML, XLSX and CSV (formats by extension).
    Convert(ConvertArgs),
    /// Migrate a statement to a newer criteria revision: lists what the revision asks of it
    /// (new items to answer) and writes the migrated statement with those items marked
    /// unanswered (e.g. `ismap statement migrate s.json --to 2024.7.1 -o s-2024.json`).
    Migrate(super::migrate::MigrateArgs),
}

/// What lays out a template or a workbook: the catalog's items, the baseline and agency
/// requirements, and the language of the sheets.
#[derive(Debug, clap::Args)]
pub(crate) struct LayoutArgs {
    /// Catalog file (JSON or TOML); the embedded 2022-04-01 structure when omitted.
    #[arg(long)]
    catalog: Option<PathBuf>,
    #[command(flatten)]
    baseline: BaselineOpts,
    /// Language of the workbook's (or CSV's) sheets, headers and words.
    #[arg(long, value_parser = super::parse_lang, default_value = super::lang_default())]
    lang: Lang,
}

impl LayoutArgs {
    /// The template these arguments describe.
    fn template(&self) -> Result<StatementTemplate, CliError> {
        let catalog = load_catalog(self.catalog.as_deref())?;
        Ok(StatementTemplate::new(&catalog, &self.baseline.baseline()?, &self.baseline.additions()?))
    }
}

/// Arguments of `ismap statement template`.
#[derive(Debug, clap::Args)]
pub(crate) struct TemplateArgs {
    #[command(flatten)]
    layout: LayoutArgs,
    /// The file to write: `.xlsx`, `.csv`, `.json` or `.toml`.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
}

/// Arguments of `ismap statement validate`.
#[derive(Debug, clap::Args)]
pub(crate) struct ValidateArgs {
    /// Statement file (JSON, TOML, XLSX or CSV; `-` for standard input).
    file: PathBuf,
    /// How to read a workbook or CSV laid out your own way.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = output::Format::Table)]
    format: output::Format,
    /// Language of messages.
    #[arg(long, value_parser = super::parse_lang, default_value = super::lang_default())]
    lang: Lang,
}

/// Arguments of `ismap statement convert`.
#[derive(Debug, clap::Args)]
pub(crate) struct ConvertArgs {
    /// The statement to read (JSON, TOML, XLSX or CSV; `-` for standard input).
    input: PathBuf,
    /// How to read a workbook or CSV laid out your own way.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    #[command(flatten)]
    layout: LayoutArgs,
    /// The file to write; its extension names the format.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
}

pub(crate) fn run(cmd: StatementCommand) -> CmdResult {
    match cmd {
        StatementCommand::Template(a) => template(&a),
        StatementCommand::Validate(a) => validate(&a),
        StatementCommand::Convert(a) => convert(&a),
        StatementCommand::Migrate(a) => super::migrate::run(&a),
    }
}

/// The output's format, from its extension.
fn format_of(path: &Path) -> Result<StatementFormat, CliError> {
    StatementFormat::from_path(path).ok_or_else(|| {
        CliError::new(
            format!("cannot tell the format of {} from its extension", path.display()),
            "name the file .xlsx, .csv, .json or .toml",
        )
    })
}

fn template(args: &TemplateArgs) -> CmdResult {
    let format = format_of(&args.output)?;
    let t = args.layout.template()?;
    let lang = args.layout.lang;
    let write_error = |e: ismap::controls::workbook::WorkbookError| {
        CliError::new(e.message().get(lang).to_owned(), "try another output format")
    };
    let bytes = match format {
        StatementFormat::Xlsx => t.to_xlsx(lang).map_err(write_error)?,
        StatementFormat::Csv => t.to_csv(lang).map_err(write_error)?.into_bytes(),
        StatementFormat::Toml => toml_text(&t)?.into_bytes(),
        _ => output::to_json(&t)?.into_bytes(),
    };
    output::emit(Some(&args.output), &bytes)?;
    Ok(exit::OK)
}

fn toml_text<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    toml::to_string(value).map_err(|e| CliError::bare(format!("cannot write TOML: {e}")))
}

fn validate(args: &ValidateArgs) -> CmdResult {
    let mapping = args.mapping.as_deref().map(load_mapping).transpose()?;
    let result = read_statement(&args.file, mapping.as_ref());
    let report = StatementValidation::new(&result);
    let ja = args.lang == Lang::Ja;
    let text = match args.format {
        output::Format::Json => output::to_json(&report)?,
        f => {
            let name = args.file.display();
            let mut s = match (report.valid, ja) {
                (true, true) => format!("{name}: 問題はありません\n"),
                (true, false) => format!("{name}: valid\n"),
                (false, true) => format!("{name}: {} 件の問題があります\n", report.problems.len()),
                (false, false) => format!("{name}: invalid ({} problem(s))\n", report.problems.len()),
            };
            if !report.problems.is_empty() {
                let heads: &[&str] = if ja { &["場所", "値", "内容"] } else { &["location", "value", "problem"] };
                let rows = report
                    .problems
                    .iter()
                    .map(|p| {
                        vec![
                            p.location.clone(),
                            p.value.clone().unwrap_or_default(),
                            p.message.get(args.lang).to_owned(),
                        ]
                    })
                    .collect();
                s.push_str(&output::rows(f, heads, rows));
            }
            s
        }
    };
    output::emit(None, text.as_bytes())?;
    Ok(if report.valid { exit::OK } else { exit::not_conformant() })
}

fn convert(args: &ConvertArgs) -> CmdResult {
    let out_format = format_of(&args.output)?;
    let lang = args.layout.lang;
    let mapping = args.mapping.as_deref().map(load_mapping).transpose()?;
    let hint = "`ismap statement validate FILE` lists every problem";
    let st = read_statement(&args.input, mapping.as_ref())
        .map_err(|p| problems_error(&args.input, &p, lang, hint))?
        .statement;
    let layout = || args.layout.template();
    let write_error = |e: ismap::controls::workbook::WorkbookError| {
        CliError::new(e.message().get(lang).to_owned(), "fix the statement, or convert it to JSON or TOML")
    };
    let bytes = match out_format {
        StatementFormat::Xlsx => st.to_xlsx(&layout()?, None, lang).map_err(write_error)?,
        StatementFormat::Csv => st.to_csv(&layout()?, lang).map_err(write_error)?.into_bytes(),
        StatementFormat::Toml => toml_text(&st)?.into_bytes(),
        _ => output::to_json(&st)?.into_bytes(),
    };
    output::emit(Some(&args.output), &bytes)?;
    Ok(exit::OK)
}
