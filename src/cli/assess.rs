//! `ismap assess` and `ismap rules`.

use std::path::{Path, PathBuf};

use ismap::controls::workbook::{LoadedStatement, StatementFormat, StatementMapping, StatementTemplate};
use ismap::controls::{AgencyAdditions, Assessment, Baseline, Rule, Severity, Statement, StatementProblems, Verdict};
use ismap::model::{Lang, Limits};
use ismap::render::text::TextFormat;

use super::output::{self, CliError, CmdResult, Format, exit, print};
use super::{Common, is_toml, load_catalog};

/// Arguments of `ismap assess`.
#[derive(Debug, clap::Args)]
pub(crate) struct AssessArgs {
    /// Statement file: JSON, TOML, XLSX (a filled `ismap statement template`) or CSV, by its
    /// extension; `-` reads standard input (JSON, TOML or XLSX, told by its content). Without it,
    /// the embedded sample statement of a fictional SaaS is assessed.
    statement: Option<PathBuf>,
    /// How to read a workbook or CSV laid out your own way (schemas/statement-mapping.schema.json).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Catalog file (JSON or TOML); when omitted, the embedded revision the statement's
    /// `catalog_version` names (`ismap catalog revisions`).
    #[arg(long)]
    catalog: Option<PathBuf>,
    #[command(flatten)]
    baseline: BaselineOpts,
    /// In table and Markdown output, list every warning instead of grouping them by rule.
    #[arg(long)]
    all: bool,
    /// Registration journal: checks that every underlying service the statement inherits from
    /// is itself validly on the cloud service list on `--on` (rule underlying-service-not-listed).
    #[arg(long, short = 'j', value_name = "JOURNAL")]
    journal: Option<PathBuf>,
    /// The date for `--journal` (YYYY-MM-DD); today in Japan by default.
    #[arg(long, value_parser = super::settings::parse_date, requires = "journal")]
    on: Option<ismap::workflow::chrono::NaiveDate>,
    /// Output format; `xlsx` writes the statement as a workbook with the findings beside each
    /// item (needs `-o`).
    #[arg(long, value_enum, default_value_t = AssessFormat::Table)]
    format: AssessFormat,
    /// Language of titles and messages.
    #[arg(long, value_parser = super::parse_lang, default_value = super::lang_default())]
    lang: Lang,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Output formats of `ismap assess`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum AssessFormat {
    /// A readable table for the terminal.
    #[default]
    Table,
    /// The assessment report as JSON (schemas/assessment-report.schema.json).
    Json,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// A self-contained HTML page: verdict, counts, a per-domain picture, every finding
    /// (sortable and filterable).
    Html,
    /// The statement as an XLSX workbook, each item's findings beside it and a findings sheet.
    Xlsx,
}

/// The baseline and agency additions a statement is assessed against (`assess`, `statement
/// template`, `statement convert`).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct BaselineOpts {
    /// Baseline: ISMAP, or ISMAP-LIU (reduced external-audit scope).
    #[arg(long, value_enum, default_value_t = BaselineArg::Ismap, conflicts_with = "baseline_file")]
    baseline: BaselineArg,
    /// Baseline document (JSON, schemas/baseline.schema.json) instead of `--baseline`: e.g. an
    /// ISMAP-LIU baseline with the external-audit scope you know (the built-in LIU scope is an
    /// unverified default).
    #[arg(long, value_name = "FILE")]
    baseline_file: Option<PathBuf>,
    /// Agency additional-requirements file (JSON); repeat for several agencies.
    #[arg(long = "agency")]
    agency: Vec<PathBuf>,
    /// Settings file (JSON, schemas/settings.schema.json; defaults in docs/settings.json): the
    /// unverified facts, here the ISMAP-LIU external-audit scope of `--baseline liu` and the
    /// lifecycle rules `--journal` replays with.
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
}

impl BaselineOpts {
    /// The baseline chosen; `--baseline liu` takes its external-audit scope from `--settings`.
    pub(crate) fn baseline(&self) -> Result<Baseline, CliError> {
        Ok(match (&self.baseline_file, self.baseline) {
            (Some(path), _) => {
                let text = output::read_file(path)?;
                Baseline::from_json_str(&text).map_err(|e| {
                    CliError::new(
                        format!("{}: {}: {}", path.display(), e.path, e.message),
                        "the file must follow schemas/baseline.schema.json",
                    )
                })?
            }
            (None, BaselineArg::Ismap) => Baseline::ismap(),
            (None, BaselineArg::Liu) => self.settings()?.liu_baseline(),
        })
    }

    /// The settings given with `--settings` (the documented defaults without it).
    pub(crate) fn settings(&self) -> Result<ismap::workflow::Settings, CliError> {
        super::settings::load(self.settings.as_deref())
    }

    /// The agency additions given.
    pub(crate) fn additions(&self) -> Result<Vec<AgencyAdditions>, CliError> {
        load_additions(&self.agency)
    }
}

/// A baseline, for `--baseline`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum BaselineArg {
    /// ISMAP.
    Ismap,
    /// ISMAP-LIU.
    Liu,
}

/// Reads a statement the way `ismap assess` does (the embedded sample without a path).
pub(crate) fn load_statement(path: Option<&Path>) -> Result<Statement, CliError> {
    load_statement_with(path, None, Lang::En).map(|l| l.statement)
}

/// Reads a statement file (JSON, TOML, XLSX or CSV; `-` for standard input) with an optional
/// mapping; every problem becomes one line of the error, in `lang`.
pub(crate) fn load_statement_with(
    path: Option<&Path>,
    mapping: Option<&Path>,
    lang: Lang,
) -> Result<LoadedStatement, CliError> {
    let hint = match lang {
        Lang::Ja => {
            "`ismap statement validate FILE` ですべての問題を一覧できます。様式は `ismap statement template -o t.xlsx` で作れます"
        }
        Lang::En => {
            "`ismap statement validate FILE` lists every problem; `ismap statement template -o t.xlsx` writes a template to fill"
        }
    };
    let Some(path) = path else {
        let sample = Statement::try_sample().map_err(|e| CliError::new(format!("embedded sample: {e}"), hint))?;
        return Ok(LoadedStatement::from(sample));
    };
    let mapping = mapping.map(load_mapping).transpose()?;
    read_statement(path, mapping.as_ref()).map_err(|problems| problems_error(path, &problems, lang, hint))
}

/// Reads a statement file or standard input.
pub(crate) fn read_statement(
    path: &Path,
    mapping: Option<&StatementMapping>,
) -> Result<LoadedStatement, StatementProblems> {
    if path.as_os_str() != "-" {
        return Statement::from_path(path, mapping, &Limits::DEFAULT);
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map_err(|e| {
        StatementProblems(vec![ismap::controls::StatementProblem::new(
            "$",
            None,
            ismap::model::Text::new(format!("標準入力を読めません（{e}）"), format!("cannot read standard input: {e}")),
        )])
    })?;
    let format = if bytes.starts_with(b"PK\x03\x04") {
        StatementFormat::Xlsx
    } else if bytes.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| matches!(b, b'{' | b'[' | 0xEF)) {
        StatementFormat::Json
    } else {
        StatementFormat::Toml
    };
    Statement::from_bytes(&bytes, format, mapping, &Limits::DEFAULT)
}

/// Every problem of a statement as one error: one line per problem, then the hint.
pub(crate) fn problems_error(path: &Path, problems: &StatementProblems, lang: Lang, hint: &str) -> CliError {
    let name = if path.as_os_str() == "-" { "<stdin>".to_owned() } else { path.display().to_string() };
    let lines: Vec<String> = problems.problems().iter().map(|p| format!("{name}: {}", p.line(lang))).collect();
    CliError::new(lines.join("\nerror: "), hint)
}

/// Reads a statement mapping (TOML with a `.toml` extension, JSON otherwise).
pub(crate) fn load_mapping(path: &Path) -> Result<StatementMapping, CliError> {
    let text = output::read_file(path)?;
    StatementMapping::from_str_as(&text, is_toml(path)).map_err(|p| {
        problems_error(path, &p, Lang::En, "the mapping must follow schemas/statement-mapping.schema.json")
    })
}

/// The catalog file given, or else the embedded revision the statement's `catalog_version` names
/// (an unknown version is an error listing the known ones).
pub(crate) fn catalog_for(
    catalog: Option<&Path>,
    statement_path: Option<&Path>,
    statement: &Statement,
) -> Result<ismap::controls::Catalog, CliError> {
    if catalog.is_some() {
        return load_catalog(catalog);
    }
    let origin = statement_path.map_or_else(|| "embedded sample statement".to_owned(), |p| p.display().to_string());
    super::catalog::revision_of(&statement.catalog_version, &origin)
}

pub(crate) fn load_additions(paths: &[PathBuf]) -> Result<Vec<AgencyAdditions>, CliError> {
    paths
        .iter()
        .map(|p| {
            let text = output::read_file(p)?;
            AgencyAdditions::from_json_str(&text).map_err(|e| {
                CliError::new(
                    format!("{}: {}: {}", p.display(), e.path, e.message),
                    "the file must follow schemas/agency-additions.schema.json",
                )
            })
        })
        .collect()
}

pub(crate) fn run(args: &AssessArgs) -> CmdResult {
    let loaded = load_statement_with(args.statement.as_deref(), args.mapping.as_deref(), args.lang)?;
    let catalog = catalog_for(args.catalog.as_deref(), args.statement.as_deref(), &loaded.statement)?;
    let additions = args.baseline.additions()?;
    let baseline = args.baseline.baseline()?;
    let registry = match &args.journal {
        Some(path) => {
            let rules = args.baseline.settings()?.workflow_rules();
            Some(super::registry::replay_journal(path, args.on, &rules)?)
        }
        None => None,
    };
    let listings = registry.as_ref().map(|(r, on)| r.listings_on(*on));
    let mut assessment = Assessment::new(&catalog, &baseline).with_additions(&additions);
    if let Some(l) = &listings {
        assessment = assessment.with_listings(l);
    }
    let mut report = assessment.assess(&loaded.statement);
    if let Some(source) = &loaded.source {
        source.relocate(&mut report);
    }
    let bytes = match args.format {
        AssessFormat::Json => output::to_json(&report)?.into_bytes(),
        AssessFormat::Table => {
            ismap::render::text::assessment(&report, TextFormat::Table, args.lang, args.all).into_bytes()
        }
        AssessFormat::Markdown => {
            ismap::render::text::assessment(&report, TextFormat::Markdown, args.lang, args.all).into_bytes()
        }
        AssessFormat::Html => ismap::render::html::assessment(&report, args.lang).into_bytes(),
        AssessFormat::Xlsx => {
            if args.output.is_none() {
                return Err(CliError::new(
                    "--format xlsx writes a workbook, not text for the terminal",
                    "add `-o findings.xlsx`",
                ));
            }
            let template = StatementTemplate::new(&catalog, &baseline, &additions);
            loaded.statement.to_xlsx(&template, Some(&report), args.lang).map_err(|e| {
                CliError::new(e.message().get(args.lang).to_owned(), "write the statement as JSON instead")
            })?
        }
    };
    output::emit(args.output.as_deref(), &bytes)?;
    Ok(match report.verdict {
        Verdict::Conformant => exit::OK,
        Verdict::NotConformant => exit::not_conformant(),
    })
}

/// Arguments of `ismap rules`.
#[derive(Debug, clap::Args)]
pub(crate) struct RulesArgs {
    /// Only the rules in force on this date (YYYY-MM-DD), e.g. `--on 2021-01-01` (no ISMAP-LIU
    /// rule yet) or `--on 2026-01-01` (no ISMAP-LIU pre-application any more).
    #[arg(long, value_parser = super::settings::parse_date)]
    on: Option<ismap::workflow::chrono::NaiveDate>,
    /// Settings file (JSON, schemas/settings.schema.json; defaults in docs/settings.json): the
    /// ISMAP-LIU pre-application's abolition date sets when that rule ends.
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(serde::Serialize)]
struct RuleRow {
    id: &'static str,
    /// `conformance` (a statement's assessment) or `lifecycle` (a registration event's guard).
    kind: &'static str,
    severity: Severity,
    title: ismap::model::Text,
    source: &'static str,
    effective: ismap::model::EffectiveRange,
}

pub(crate) fn rules(args: &RulesArgs) -> CmdResult {
    let workflow = super::settings::load(args.settings.as_deref())?.workflow_rules();
    let conformance = Rule::ALL.iter().map(|r| RuleRow {
        id: r.id(),
        kind: "conformance",
        severity: r.severity(),
        title: r.title(),
        source: r.source(),
        effective: r.effective(),
    });
    // A lifecycle rule refuses the event that breaks it: always an error.
    let lifecycle = ismap::workflow::LifecycleRule::ALL.iter().map(|r| RuleRow {
        id: r.id(),
        kind: "lifecycle",
        severity: Severity::Error,
        title: r.title(),
        source: r.source(),
        effective: r.effective(&workflow),
    });
    let rows: Vec<RuleRow> =
        conformance.chain(lifecycle).filter(|r| args.on.is_none_or(|on| r.effective.contains(on))).collect();
    if args.common.format == Format::Json {
        print(&output::to_json(&rows)?);
    } else {
        let lang = args.common.lang;
        let table = rows
            .iter()
            .map(|r| {
                vec![
                    r.id.to_owned(),
                    r.kind.to_owned(),
                    r.severity.to_string(),
                    r.effective.to_string(),
                    r.title.get(lang).to_owned(),
                    r.source.to_owned(),
                ]
            })
            .collect();
        let heads: &[&str] = if lang == Lang::Ja {
            &["規則", "種別", "重大度", "有効期間", "意味", "出典"]
        } else {
            &["rule", "kind", "severity", "in force", "meaning", "source"]
        };
        print(&output::rows(args.common.format, heads, table));
    }
    Ok(exit::OK)
}
