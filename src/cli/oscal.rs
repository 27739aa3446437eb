//! `ismap oscal export | import | resolve | validate | crosswalk | ssp | assessment-results`, and
//! `ismap catalog import`.

use std::path::{Path, PathBuf};

use ismap::controls::import::{Built, ColumnMapping, ImportProblem, ImportProblemKind, import_file};
use ismap::controls::oscal::export::{self, ExportOptions};
use ismap::controls::oscal::mapping::Crosswalk;
use ismap::controls::oscal::resolve::{FsFetcher, ResolveError, ResolveOptions, Resolver, resolve_file};
use ismap::controls::oscal::results::{self, ResultsOptions};
use ismap::controls::oscal::ssp::{self, SspOptions};
use ismap::controls::oscal::validate::OscalProblem;
use ismap::controls::oscal::{self, CatalogFile, Document, ProfileFile};
use ismap::controls::{AgencyAdditions, Assessment, Baseline, BaselineKind, Severity, Verdict};
use ismap::model::Lang;
use serde::Serialize;

use super::output::{self, CliError, CmdResult, Format, exit, print};
use super::{Common, load_catalog};

/// Subcommands of `ismap oscal`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum OscalCommand {
    /// Export the ISMAP catalog as an OSCAL catalog, and the baselines and agency additions as
    /// OSCAL profiles.
    Export(ExportArgs),
    /// Import an OSCAL catalog into an ISMAP catalog file, reporting what does not map.
    Import(ImportArgs),
    /// Resolve an OSCAL profile (JSON) into a catalog.
    Resolve(ResolveArgs),
    /// Validate an OSCAL catalog, profile or mapping collection (JSON) and list every problem.
    Validate(ValidateArgs),
    /// Ask a mapping collection which controls relate to a control, and how.
    Crosswalk(CrosswalkArgs),
    /// Write a statement as an OSCAL system security plan (the embedded sample without a file).
    Ssp(SspArgs),
    /// Assess a statement and write the assessment as OSCAL assessment results (the embedded
    /// sample without a file). Exit 1 when the statement is not conformant (the results are
    /// written all the same).
    AssessmentResults(ResultsArgs),
}

/// Arguments of `ismap oscal ssp`.
#[derive(Debug, clap::Args)]
pub(crate) struct SspArgs {
    /// The statement (JSON, TOML, XLSX or CSV; `-` for standard input); the embedded sample
    /// statement when omitted.
    statement: Option<PathBuf>,
    /// The href of the imported profile; the baseline profile `oscal export --out-dir` writes
    /// for the statement's program when omitted.
    #[arg(long, value_name = "HREF")]
    profile_href: Option<String>,
    /// Write the plan to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// The language of titles and descriptions.
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    lang: Lang,
}

/// Arguments of `ismap oscal assessment-results`.
#[derive(Debug, clap::Args)]
pub(crate) struct ResultsArgs {
    /// The statement (JSON, TOML, XLSX or CSV; `-` for standard input); the embedded sample
    /// statement when omitted.
    statement: Option<PathBuf>,
    /// Catalog file (JSON or TOML); the embedded 2022-04-01 structure when omitted.
    #[arg(long)]
    catalog: Option<PathBuf>,
    #[command(flatten)]
    baseline: super::assess::BaselineOpts,
    /// The href `import-ap` names: the statement's system security plan (ISMAP has no
    /// assessment plan).
    #[arg(long, value_name = "HREF", default_value = results::DEFAULT_PLAN_HREF)]
    plan_href: String,
    /// Write the results to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// The language of titles and descriptions.
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    lang: Lang,
}

/// What `oscal export` prints when no `--out-dir` is given.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ExportWhat {
    /// The catalog.
    Catalog,
    /// The ISMAP baseline profile.
    Ismap,
    /// The ISMAP-LIU baseline profile.
    Liu,
    /// The agency additions profile (needs `--agency`).
    Agency,
    /// The agency's requirements catalog (needs `--agency`).
    AgencyRequirements,
}

/// Arguments of `ismap oscal export`.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// ISMAP catalog file (JSON or TOML); the embedded 2022-04-01 structure when omitted.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Agency additional requirements (JSON), exported as a profile and a requirements catalog.
    #[arg(long)]
    agency: Option<PathBuf>,
    /// Write every document into this directory instead of printing one.
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// The document to print (without `--out-dir`).
    #[arg(long, value_enum, default_value_t = ExportWhat::Catalog)]
    what: ExportWhat,
    /// The language of OSCAL titles (the other language is kept in properties).
    #[arg(long, value_parser = parse_lang, default_value = super::lang_default())]
    lang: Lang,
}

/// Arguments of `ismap oscal import`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// The OSCAL catalog (JSON).
    file: PathBuf,
    /// Write the ISMAP catalog here; printed to standard output otherwise.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Language of messages.
    #[arg(long, value_parser = parse_lang, default_value = super::lang_default())]
    lang: Lang,
}

/// Arguments of `ismap oscal resolve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ResolveArgs {
    /// The profile (JSON). Imports resolve relative to it.
    profile: PathBuf,
    /// Write the resolved catalog here; printed to standard output otherwise.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Follow the profile resolution specification where NIST's resolver does not: an `add`
    /// whose `by-id` is the altered control itself is left out (applied by default).
    #[arg(long)]
    strict_spec: bool,
    /// Read the document imported as URL from the local file PATH (repeatable); nothing is
    /// fetched from the network.
    #[arg(long = "map-import", value_name = "URL=PATH", value_parser = parse_map_import)]
    map_import: Vec<(String, PathBuf)>,
    /// Language of messages.
    #[arg(long, value_parser = parse_lang, default_value = super::lang_default())]
    lang: Lang,
}

/// Arguments of `ismap oscal validate`.
#[derive(Debug, clap::Args)]
pub(crate) struct ValidateArgs {
    /// The OSCAL document (JSON). A profile's imports are resolved to check its alters.
    file: PathBuf,
    /// Read the document imported as URL from the local file PATH (repeatable), when checking
    /// a profile's alters against its imports.
    #[arg(long = "map-import", value_name = "URL=PATH", value_parser = parse_map_import)]
    map_import: Vec<(String, PathBuf)>,
    #[command(flatten)]
    common: Common,
}

/// Arguments of `ismap oscal crosswalk`.
#[derive(Debug, clap::Args)]
pub(crate) struct CrosswalkArgs {
    /// The mapping collection (JSON).
    mapping: PathBuf,
    /// The control id (`id-ref`) to look up.
    control: String,
    /// Look the id up among the targets instead of the sources.
    #[arg(long)]
    reverse: bool,
    #[command(flatten)]
    common: Common,
}

/// Arguments of `ismap catalog import`.
#[derive(Debug, clap::Args)]
pub(crate) struct CatalogImportArgs {
    /// The column-mapping file (TOML when the extension is `.toml`, JSON otherwise).
    #[arg(long)]
    mapping: PathBuf,
    /// The spreadsheet: `.csv` (UTF-8) or `.xlsx`.
    file: PathBuf,
    /// Write the catalog (JSON) here; printed to standard output otherwise.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write the catalog as OSCAL, with the items' texts as statements.
    #[arg(long)]
    oscal_out: Option<PathBuf>,
    /// Format of the problem list (on failure).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Language of messages.
    #[arg(long, value_parser = parse_lang, default_value = super::lang_default())]
    lang: Lang,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

/// `URL=PATH`, split at the last `=` (a URL may have `=` in its query).
fn parse_map_import(s: &str) -> Result<(String, PathBuf), String> {
    match s.rsplit_once('=') {
        Some((url, path)) if !url.is_empty() && !path.is_empty() => Ok((url.to_owned(), PathBuf::from(path))),
        _ => Err(format!("`{s}` is not URL=PATH (e.g. https://example.org/catalog.json=local/catalog.json)")),
    }
}

/// Resolution options from the command line.
fn resolve_options(map_import: &[(String, PathBuf)], strict_spec: bool) -> ResolveOptions {
    map_import
        .iter()
        .fold(ResolveOptions::default().with_strict_spec(strict_spec), |o, (url, path)| o.with_import(url, path))
}

pub(crate) fn run(cmd: OscalCommand) -> CmdResult {
    match cmd {
        OscalCommand::Export(a) => export_cmd(&a),
        OscalCommand::Import(a) => import_cmd(&a),
        OscalCommand::Resolve(a) => resolve_cmd(&a),
        OscalCommand::Validate(a) => validate_cmd(&a),
        OscalCommand::Crosswalk(a) => crosswalk_cmd(&a),
        OscalCommand::Ssp(a) => ssp_cmd(&a),
        OscalCommand::AssessmentResults(a) => results_cmd(&a),
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| {
        CliError::new(format!("cannot write {}: {e}", path.display()), "check the directory exists and is writable")
    })
}

/// Prints `text`, or writes it to `out` and says so on standard error.
fn emit(out: Option<&Path>, text: &str) -> Result<(), CliError> {
    match out {
        Some(p) => {
            write_file(p, text)?;
            eprintln!("wrote {}", p.display());
            Ok(())
        }
        None => {
            print(text);
            Ok(())
        }
    }
}

fn load_agency(path: &Path) -> Result<AgencyAdditions, CliError> {
    let text = output::read_file(path)?;
    AgencyAdditions::from_json_str(&text).map_err(|e| {
        CliError::new(format!("{}: {e}", path.display()), "the file must follow schemas/agency-additions.schema.json")
    })
}

const REQUIREMENTS_FILE: &str = "agency-requirements_catalog.json";

fn export_cmd(a: &ExportArgs) -> CmdResult {
    let catalog = load_catalog(a.catalog.as_deref())?;
    let mut opts = ExportOptions::default();
    opts.title_lang = a.lang;
    let href = export::DEFAULT_CATALOG_HREF;
    let agency = a.agency.as_deref().map(load_agency).transpose()?;
    let agency_export = agency.as_ref().map(|ag| export::agency(ag, &catalog, href, REQUIREMENTS_FILE, &opts));
    if let Some(e) = &agency_export {
        for id in &e.not_in_catalog {
            eprintln!(
                "warning: required item `{id}` is not in the catalog and is not marked / 追加要件の項目 `{id}` はカタログにないため印を付けていません"
            );
        }
    }
    let catalog_json = || oscal::to_json(&CatalogFile::new(export::catalog(&catalog, &opts)));
    let profile_json =
        |b: &Baseline| oscal::to_json(&ProfileFile::new(export::baseline_profile(b, &catalog, href, &opts)));
    if let Some(dir) = &a.out_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::new(format!("cannot create {}: {e}", dir.display()), "check the path"))?;
        let mut files = vec![
            (href.to_owned(), catalog_json()),
            (export::baseline_profile_file(BaselineKind::Ismap).to_owned(), profile_json(&Baseline::ismap())),
            (export::baseline_profile_file(BaselineKind::Liu).to_owned(), profile_json(&Baseline::liu())),
        ];
        if let Some(e) = &agency_export {
            files.push(("agency_profile.json".to_owned(), oscal::to_json(&ProfileFile::new(e.profile.clone()))));
            files.push((REQUIREMENTS_FILE.to_owned(), oscal::to_json(&CatalogFile::new(e.requirements.clone()))));
        }
        for (name, text) in files {
            let path = dir.join(name);
            write_file(&path, &text)?;
            print(&format!("wrote {}\n", path.display()));
        }
        return Ok(exit::OK);
    }
    let need_agency = || {
        agency_export
            .clone()
            .ok_or_else(|| CliError::new("`--what agency` needs `--agency <file>`", "give the agency additions file"))
    };
    let text = match a.what {
        ExportWhat::Catalog => catalog_json(),
        ExportWhat::Ismap => profile_json(&Baseline::ismap()),
        ExportWhat::Liu => profile_json(&Baseline::liu()),
        ExportWhat::Agency => oscal::to_json(&ProfileFile::new(need_agency()?.profile)),
        ExportWhat::AgencyRequirements => oscal::to_json(&CatalogFile::new(need_agency()?.requirements)),
    };
    print(&text);
    Ok(exit::OK)
}

/// The hint for an input over one of the default limits.
const LIMITS_HINT: &str =
    "the file is larger, more deeply nested or has more items than the default limits allow; see README § Limits";

fn load_oscal(path: &Path, lang: Lang) -> Result<Document, CliError> {
    let text = output::read_file(path)?;
    oscal::load_document_str(&text).map_err(|e| {
        let hint = match e {
            oscal::LoadError::Limit(_) => LIMITS_HINT,
            _ => "the file must be OSCAL JSON (catalog, profile or mapping-collection)",
        };
        CliError::new(format!("{}: {}", path.display(), e.message().get(lang)), hint)
    })
}

/// The first problem that is a limit exceeded, as one line with the limits hint.
fn limit_error(path: &Path, problems: &[ImportProblem], lang: Lang) -> Option<CliError> {
    problems
        .iter()
        .find(|p| matches!(p.kind, ImportProblemKind::Limit(_)))
        .map(|p| CliError::new(format!("{}: {}", path.display(), p.message().get(lang)), LIMITS_HINT))
}

fn import_problem_lines(problems: &[ImportProblem], lang: Lang) -> String {
    problems.iter().map(|p| format!("{} at {}: {}\n", p.severity, p.origin, p.message().get(lang))).collect()
}

fn import_cmd(a: &ImportArgs) -> CmdResult {
    let doc = load_oscal(&a.file, a.lang)?;
    let Document::Catalog(catalog) = doc else {
        return Err(CliError::new(
            format!("{} is an OSCAL {}, not a catalog", a.file.display(), doc.kind()),
            "resolve a profile first with `ismap oscal resolve`",
        ));
    };
    let imported = oscal::import::catalog(&catalog);
    for u in &imported.unmapped {
        eprintln!("not mapped / 対応なし: {} `{}` {}", u.path, u.id, u.title);
    }
    eprintln!("{} item(s) mapped, {} not mapped", imported.mapped, imported.unmapped.len());
    match imported.result {
        Ok(built) => {
            eprint!("{}", import_problem_lines(&built.warnings, a.lang));
            emit(a.out.as_deref(), &output::to_json(&built.catalog.to_document())?)?;
            Ok(if imported.unmapped.is_empty() { exit::OK } else { exit::not_conformant() })
        }
        Err(problems) => {
            eprint!("{}", import_problem_lines(&problems, a.lang));
            Ok(exit::not_conformant())
        }
    }
}

fn resolve_cmd(a: &ResolveArgs) -> CmdResult {
    let options = resolve_options(&a.map_import, a.strict_spec);
    let resolved = resolve_file(&a.profile, &options).map_err(|e| {
        let hint = match e {
            ResolveError::Load { error: oscal::LoadError::Limit(_), .. } => LIMITS_HINT,
            ResolveError::Remote { .. } => "save the document and give `--map-import URL=PATH`",
            _ => "imports resolve relative to the profile; only local JSON documents are read",
        };
        CliError::new(e.message().get(a.lang).to_owned(), hint)
    })?;
    for w in &resolved.warnings {
        eprintln!("warning: {}", w.message().get(a.lang));
    }
    emit(a.out.as_deref(), &oscal::to_json(&CatalogFile::new(resolved.catalog)))?;
    Ok(exit::OK)
}

/// `oscal validate --format json` output.
#[derive(Serialize)]
struct Validation<'a> {
    file: String,
    document: Option<&'static str>,
    valid: bool,
    problems: Vec<ProblemRow<'a>>,
}

#[derive(Serialize)]
struct ProblemRow<'a> {
    severity: Severity,
    path: &'a str,
    message: String,
}

fn validate_cmd(a: &ValidateArgs) -> CmdResult {
    let lang = a.common.lang;
    let text = output::read_file(&a.file)?;
    let (kind, problems): (Option<&'static str>, Vec<(Severity, String, String)>) =
        match oscal::load_document_str(&text) {
            Ok(doc) => {
                let mut found = oscal::validate::validate(&doc);
                if let Document::Profile(profile) = &doc {
                    found.extend(profile_alter_problems(profile, &a.file, &a.map_import, lang));
                    found.sort_by_key(|p| p.severity);
                }
                (
                    Some(doc.kind()),
                    found.into_iter().map(|p| (p.severity, p.path.clone(), p.message().get(lang).to_owned())).collect(),
                )
            }
            Err(e) => {
                let path = match &e {
                    oscal::LoadError::Syntax { path, .. } => path.clone(),
                    _ => "$".to_owned(),
                };
                (None, vec![(Severity::Error, path, e.message().get(lang).to_owned())])
            }
        };
    let errors = problems.iter().filter(|p| p.0 == Severity::Error).count();
    let valid = errors == 0;
    match a.common.format {
        Format::Json => {
            let rows =
                problems.iter().map(|(s, p, m)| ProblemRow { severity: *s, path: p, message: m.clone() }).collect();
            print(&output::to_json(&Validation {
                file: a.file.display().to_string(),
                document: kind,
                valid,
                problems: rows,
            })?);
        }
        f => {
            print(&format!(
                "{}: {} {} ({} error(s), {} warning(s))\n",
                a.file.display(),
                kind.map_or_else(|| "OSCAL document".to_owned(), |k| format!("OSCAL {k}")),
                if valid { "valid" } else { "invalid" },
                errors,
                problems.len() - errors
            ));
            if !problems.is_empty() {
                let rows = problems.iter().map(|(s, p, m)| vec![s.to_string(), p.clone(), m.clone()]).collect();
                print(&output::rows(f, &["severity", "path", "message"], rows));
            }
        }
    }
    Ok(if valid { exit::OK } else { exit::not_conformant() })
}

/// The problems of a profile's alters, checked against what its imports give (resolved
/// relative to the profile's file, URLs through `map_import`); when the imports cannot be
/// resolved, a warning saying so and the clashes among the adds themselves.
fn profile_alter_problems(
    profile: &oscal::Profile,
    file: &Path,
    map_import: &[(String, PathBuf)],
    lang: Lang,
) -> Vec<OscalProblem> {
    let options = resolve_options(map_import, false);
    match Resolver::new(&FsFetcher).resolve_unmodified(profile, file, &options) {
        Ok(merged) => oscal::validate::profile_alters(profile, Some(&merged)),
        Err(e) => {
            let mut out = oscal::validate::profile_alters(profile, None);
            if profile.modify.as_ref().is_some_and(|m| !m.alters.is_empty()) {
                out.push(OscalProblem::imports_unresolved(e.message().get(lang)));
            }
            out
        }
    }
}

fn crosswalk_cmd(a: &CrosswalkArgs) -> CmdResult {
    let doc = load_oscal(&a.mapping, a.common.lang)?;
    let Document::MappingCollection(m) = doc else {
        return Err(CliError::new(
            format!("{} is an OSCAL {}, not a mapping collection", a.mapping.display(), doc.kind()),
            "give an OSCAL 1.2 mapping-collection file",
        ));
    };
    let walk = Crosswalk::new(&m);
    let hits = if a.reverse { walk.sources_of(&a.control) } else { walk.targets_of(&a.control) };
    match a.common.format {
        Format::Json => print(&output::to_json(&hits)?),
        f => {
            let rows = hits
                .iter()
                .map(|h| {
                    vec![
                        h.with.join(", "),
                        h.relationship.clone(),
                        h.related.join(", "),
                        format!("{:?}", h.coverage).to_lowercase(),
                        h.qualifiers.join("; "),
                    ]
                })
                .collect();
            print(&output::rows(f, &["control(s)", "relationship", "related", "coverage", "qualifiers"], rows));
        }
    }
    Ok(if hits.is_empty() { exit::not_conformant() } else { exit::OK })
}

fn ssp_cmd(a: &SspArgs) -> CmdResult {
    let statement = super::assess::load_statement(a.statement.as_deref())?;
    let mut options = SspOptions::default().with_lang(a.lang);
    options.profile_href.clone_from(&a.profile_href);
    emit(a.output.as_deref(), &oscal::to_json(&ssp::system_security_plan_file(&statement, &options)))?;
    Ok(exit::OK)
}

fn results_cmd(a: &ResultsArgs) -> CmdResult {
    let statement = super::assess::load_statement(a.statement.as_deref())?;
    let catalog = load_catalog(a.catalog.as_deref())?;
    let additions = a.baseline.additions()?;
    let baseline = a.baseline.baseline()?;
    let report = Assessment::new(&catalog, &baseline).with_additions(&additions).assess(&statement);
    let mut options = ResultsOptions::default().with_lang(a.lang);
    options.plan_href = Some(a.plan_href.clone());
    emit(a.output.as_deref(), &oscal::to_json(&results::assessment_results_file(&statement, &report, &options)))?;
    Ok(if report.verdict == Verdict::Conformant { exit::OK } else { exit::not_conformant() })
}

/// `ismap catalog import --mapping <file> <csv|xlsx>`.
pub(crate) fn catalog_import(a: &CatalogImportArgs) -> CmdResult {
    let text = output::read_file(&a.mapping)?;
    let is_toml = super::is_toml(&a.mapping);
    let parsed = if is_toml { ColumnMapping::from_toml_str(&text) } else { ColumnMapping::from_json_str(&text) };
    let mapping = parsed.map_err(|p| {
        limit_error(&a.mapping, &p, a.lang).unwrap_or_else(|| {
            CliError::new(
                format!("{}: {}", a.mapping.display(), import_problem_lines(&p, a.lang).trim_end()),
                "the mapping must follow schemas/column-mapping.schema.json",
            )
        })
    })?;
    match import_file(&a.file, &mapping) {
        Ok(built) => write_import(a, &built),
        Err(problems) => {
            if let Some(e) = limit_error(&a.file, &problems, a.lang) {
                return Err(e);
            }
            let rows: Vec<Vec<String>> = problems
                .iter()
                .map(|p| vec![p.severity.to_string(), p.origin.to_string(), p.message().get(a.lang).to_owned()])
                .collect();
            match a.format {
                Format::Json => print(&output::to_json(&problems)?),
                f => {
                    print(&format!("{}: invalid ({} problem(s))\n", a.file.display(), problems.len()));
                    print(&output::rows(f, &["severity", "where", "message"], rows));
                }
            }
            Ok(exit::not_conformant())
        }
    }
}

fn write_import(a: &CatalogImportArgs, built: &Built) -> CmdResult {
    eprint!("{}", import_problem_lines(&built.warnings, a.lang));
    if let Some(path) = &a.oscal_out {
        let mut opts = ExportOptions::default();
        opts.title_lang = a.lang;
        let doc = export::catalog_with_texts(&built.catalog, &built.texts, &opts);
        write_file(path, &oscal::to_json(&CatalogFile::new(doc)))?;
        eprintln!("wrote {}", path.display());
    }
    emit(a.out.as_deref(), &output::to_json(&built.catalog.to_document())?)?;
    Ok(exit::OK)
}
