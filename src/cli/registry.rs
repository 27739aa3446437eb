//! `ismap registry`: the registration journal, its replay, the cloud service lists and deadlines.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ismap::model::{Lang, Program, ServiceModel};
use ismap::workflow::chrono::{self, Days, NaiveDate};
use ismap::workflow::{
    Event, JournalEntry, JournalError, JournalStore, JsonlJournal, ListFilter, Registry, ServiceId, SqliteJournal,
    StoreKind, Subject, WorkflowRules, history, sample_as_of, sample_entries, to_dot, to_mermaid,
};

use super::Common;
use super::output::{self, CliError, CmdResult, Format, exit, print};

/// `ismap registry` subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum RegistryCommand {
    /// Append events (a JSON event, an array of events, or JSON Lines) to a journal after checking
    /// them against the lifecycle rules.
    Append(AppendArgs),
    /// Replay the journal and show every service's state on a date.
    Replay(QueryArgs),
    /// One service's status, validity and history on a date.
    Status(StatusArgs),
    /// The ISMAP / ISMAP-LIU cloud service list on a date.
    List(ListArgs),
    /// Deadlines (audit reports, renewal applications, final incident reports) in a window.
    Due(DueArgs),
    /// Whether an agency may procure a service on a date: its registration (journal) combined with
    /// the conformance assessment of its statement and the agency's additional requirements
    /// (exit 1 when it may not).
    Procure(ProcureArgs),
    /// Verify the journal's hash chain and replay it through the lifecycle rules (exit 1 on failure).
    Verify(VerifyArgs),
    /// Remove a torn (incomplete) last entry left by a crash. Never touches complete entries.
    TruncateTorn(RequiredJournal),
    /// Print the lifecycle transition table as a Mermaid or Graphviz DOT diagram.
    Graph(GraphArgs),
}

/// Which journal to read.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct JournalArgs {
    /// Journal file: JSON Lines, or SQLite for `.sqlite`/`.sqlite3`/`.db` (or `--store`).
    /// Without it, the embedded sample journal (fictional services) is used.
    #[arg(long, short = 'j')]
    journal: Option<PathBuf>,
    /// Store type, overriding the extension.
    #[arg(long, value_enum)]
    store: Option<StoreArg>,
}

/// Arguments of `ismap registry verify`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    journal: JournalArgs,
    #[command(flatten)]
    common: Common,
}

/// A journal that must be given.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct RequiredJournal {
    /// Journal file.
    #[arg(long, short = 'j')]
    journal: PathBuf,
    /// Store type, overriding the extension.
    #[arg(long, value_enum)]
    store: Option<StoreArg>,
}

/// A store type.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum StoreArg {
    /// JSON Lines.
    Jsonl,
    /// SQLite.
    Sqlite,
}

/// A journal and a date.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct QueryArgs {
    #[command(flatten)]
    journal: JournalArgs,
    /// The date (YYYY-MM-DD). Default: today in Japan for a journal file, the last event's date
    /// for the embedded sample.
    #[arg(long, value_parser = parse_date)]
    on: Option<NaiveDate>,
    /// Settings file (JSON, schemas/settings.schema.json; defaults in docs/settings.json): the
    /// unverified facts the lifecycle rules use (accepted institution kinds, report and final
    /// incident report deadlines, the ISMAP-LIU pre-application's abolition, the ISMAP-LIU
    /// external-audit scope for `procure`).
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

/// Arguments of `ismap registry append`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct AppendArgs {
    #[command(flatten)]
    journal: RequiredJournal,
    /// File with the event(s), `-` for standard input.
    events: PathBuf,
    #[command(flatten)]
    common: Common,
}

/// Arguments of `ismap registry status`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct StatusArgs {
    /// The service id, e.g. `kumo-base`.
    service: String,
    #[command(flatten)]
    query: QueryArgs,
}

/// Arguments of `ismap registry procure`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ProcureArgs {
    /// The service id, e.g. `kumo-base`.
    service: String,
    /// The service's statement (JSON, or TOML with a `.toml` extension); the embedded sample
    /// statement when omitted. It is assessed against the baseline of the service's registered
    /// program (ISMAP or ISMAP-LIU).
    #[arg(long)]
    statement: Option<PathBuf>,
    /// Catalog file (JSON or TOML); when omitted, the embedded revision the statement's
    /// `catalog_version` names (`ismap catalog revisions`).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// The procuring agency's additional-requirements file (JSON); repeat for several.
    #[arg(long = "agency")]
    agency: Vec<PathBuf>,
    #[command(flatten)]
    query: QueryArgs,
}

/// Arguments of `ismap registry list`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    journal: JournalArgs,
    /// The date (YYYY-MM-DD). Default: today in Japan for a journal file, the last event's date
    /// for the embedded sample.
    #[arg(long, value_parser = parse_date)]
    on: Option<NaiveDate>,
    /// Settings file (JSON, schemas/settings.schema.json; defaults in docs/settings.json).
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    #[command(flatten)]
    report: super::ReportArgs,
    /// Only this program's list (both lists when omitted).
    #[arg(long, value_enum)]
    program: Option<ProgramArg>,
    /// Only providers whose name contains this (case-insensitive, either language).
    #[arg(long)]
    provider: Option<String>,
    /// Only services whose name contains this.
    #[arg(long)]
    name: Option<String>,
    /// Only this service model.
    #[arg(long, value_enum)]
    model: Option<ModelArg>,
    /// Only registrations audited by this audit institution id.
    #[arg(long)]
    institution: Option<String>,
    /// Also show expired, withdrawn and revoked registrations.
    #[arg(long)]
    all: bool,
}

/// A program, for `--program`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ProgramArg {
    /// ISMAP.
    Ismap,
    /// ISMAP-LIU.
    Liu,
}

/// A service model, for `--model`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ModelArg {
    /// IaaS.
    Iaas,
    /// PaaS.
    Paas,
    /// SaaS.
    Saas,
}

/// Arguments of `ismap registry due`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DueArgs {
    #[command(flatten)]
    query: QueryArgs,
    /// Length of the window in days, from `--on`.
    #[arg(long, default_value_t = 90)]
    days: u64,
}

/// Arguments of `ismap registry graph`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct GraphArgs {
    /// Graphviz DOT instead of Mermaid.
    #[arg(long)]
    dot: bool,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.parse().map_err(|e| format!("`{s}` is not a date (YYYY-MM-DD): {e}"))
}

pub(crate) fn run(cmd: RegistryCommand) -> CmdResult {
    match cmd {
        RegistryCommand::Append(a) => append(&a),
        RegistryCommand::Replay(a) => replay(&a),
        RegistryCommand::Status(a) => status(&a),
        RegistryCommand::List(a) => list(&a),
        RegistryCommand::Due(a) => due(&a),
        RegistryCommand::Procure(a) => procure(&a),
        RegistryCommand::Verify(a) => verify(&a),
        RegistryCommand::TruncateTorn(a) => truncate(&a),
        RegistryCommand::Graph(a) => {
            print(&if a.dot { to_dot() } else { to_mermaid() });
            Ok(exit::OK)
        }
    }
}

fn kind(path: &Path, store: Option<StoreArg>) -> StoreKind {
    match store {
        Some(StoreArg::Jsonl) => StoreKind::Jsonl,
        Some(StoreArg::Sqlite) => StoreKind::Sqlite,
        None => StoreKind::for_path(path),
    }
}

fn journal_error(e: &JournalError) -> CliError {
    let hint = match e {
        JournalError::Torn { path, .. } => {
            format!(
                "after checking it, remove the torn entry with `ismap registry truncate-torn -j {}`",
                path.display()
            )
        }
        JournalError::Corrupt { .. } => "the journal was altered or damaged; restore it from a copy".to_owned(),
        JournalError::Locked { .. } => "another `ismap registry append` (or program) is writing to it".to_owned(),
        _ => "check the journal path".to_owned(),
    };
    CliError::new(e.to_string(), hint)
}

/// Reads and verifies the journal (or the embedded sample); returns the entries and the default date.
fn load(args: &JournalArgs) -> Result<(Vec<JournalEntry>, NaiveDate), CliError> {
    match &args.journal {
        None => {
            let entries = sample_entries().map_err(|e| journal_error(&e))?;
            Ok((entries, sample_as_of().unwrap_or_default()))
        }
        Some(path) => {
            let entries = match kind(path, args.store) {
                StoreKind::Jsonl => JsonlJournal::read_path(path),
                StoreKind::Sqlite => SqliteJournal::read_path(path),
            }
            .map_err(|e| journal_error(&e))?;
            Ok((entries, today_in_japan()))
        }
    }
}

fn today_in_japan() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    chrono::DateTime::from_timestamp(secs + 9 * 3600, 0).map(|t| t.date_naive()).unwrap_or_default()
}

/// The registry replayed from `journal` up to `on` (today in Japan by default) under `rules`,
/// and that date: for `assess --journal`.
pub(crate) fn replay_journal(
    journal: &Path,
    on: Option<NaiveDate>,
    rules: &WorkflowRules,
) -> Result<(Registry, NaiveDate), CliError> {
    let (entries, today) = load(&JournalArgs { journal: Some(journal.to_path_buf()), store: None })?;
    let on = on.unwrap_or(today);
    Ok((registry_on(&entries, on, rules)?, on))
}

/// The rules of `--settings` (the defaults without it).
fn rules_of(settings: Option<&std::path::Path>) -> Result<WorkflowRules, CliError> {
    Ok(super::settings::load(settings)?.workflow_rules())
}

fn registry_on(entries: &[JournalEntry], on: NaiveDate, rules: &WorkflowRules) -> Result<Registry, CliError> {
    Registry::replay_until(rules.clone(), entries.iter().map(|e| &e.event), on).map_err(|e| {
        CliError::new(
            e.to_string(),
            "the journal holds an event the lifecycle rules refuse; run `ismap registry verify`",
        )
    })
}

fn date_or(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn replay(args: &QueryArgs) -> CmdResult {
    let (entries, default) = load(&args.journal)?;
    let on = args.on.unwrap_or(default);
    let r = registry_on(&entries, on, &rules_of(args.settings.as_deref())?)?;
    let lang = args.common.lang;
    let text = match args.common.format {
        Format::Json => output::to_json(&r.services().values().collect::<Vec<_>>())?,
        f => {
            let rows = r
                .services()
                .values()
                .map(|s| {
                    vec![
                        s.id.to_string(),
                        s.state_on(on).text().get(lang).to_owned(),
                        r.listing(&s.id, on).text().get(lang).to_owned(),
                        s.registration.as_ref().map(|g| g.number.to_string()).unwrap_or_default(),
                        s.events.to_string(),
                        s.last_event.to_string(),
                    ]
                })
                .collect();
            let mut t = format!("{} as of {on}: {r}\n", source_name(&args.journal));
            t.push_str(&output::rows(f, &["service", "state", "listing", "number", "events", "last event"], rows));
            t
        }
    };
    print(&text);
    Ok(exit::OK)
}

fn source_name(j: &JournalArgs) -> String {
    j.journal.as_ref().map_or_else(|| "embedded sample journal".to_owned(), |p| p.display().to_string())
}

/// A service named on the command line, the journal's entries, the date and the registry on it;
/// an error naming the known services when the registry has never seen it.
fn service_on(
    service: &str,
    query: &QueryArgs,
) -> Result<(ServiceId, Vec<JournalEntry>, NaiveDate, Registry), CliError> {
    let service: ServiceId = service
        .parse()
        .map_err(|e: ismap::workflow::IdError| CliError::new(e.to_string(), "service ids look like `kumo-base`"))?;
    let (entries, default) = load(&query.journal)?;
    let on = query.on.unwrap_or(default);
    let r = registry_on(&entries, on, &rules_of(query.settings.as_deref())?)?;
    if r.service(&service).is_none() {
        let known: Vec<String> = r.services().keys().map(ToString::to_string).collect();
        return Err(CliError::new(
            format!("no service `{service}` in {} on {on}", source_name(&query.journal)),
            format!("known services: {}", known.join(", ")),
        ));
    }
    Ok((service, entries, on, r))
}

fn status(args: &StatusArgs) -> CmdResult {
    let (service, entries, on, r) = service_on(&args.service, &args.query)?;
    let Some(st) = r.status(&service, on) else {
        return Err(CliError::bare(format!("no status for `{service}` on {on}")));
    };
    let subject = Subject::Service(service.clone());
    let past: Vec<&JournalEntry> = history(entries.iter().filter(|e| e.event.date() <= on), &subject).collect();
    let lang = args.query.common.lang;
    let text = match args.query.common.format {
        Format::Json => output::to_json(&serde_json::json!({ "status": st, "history": past }))?,
        f => {
            let reg = st.registration.as_ref();
            let valid = match st.valid_until {
                ismap::workflow::ValidUntil::Date { date } => date.to_string(),
                ismap::workflow::ValidUntil::PendingRenewalDecision { expiry } => match lang {
                    Lang::Ja => format!("更新決定まで（有効期限 {expiry}）"),
                    Lang::En => format!("until the renewal decision (expiry {expiry})"),
                },
                ismap::workflow::ValidUntil::NotValid => "-".to_owned(),
            };
            let facts = vec![
                vec!["service".to_owned(), st.name.as_ref().map_or(service.to_string(), |n| n.get(lang).to_owned())],
                vec!["provider".to_owned(), st.provider.as_ref().map(|p| p.get(lang).to_owned()).unwrap_or_default()],
                vec!["program".to_owned(), st.program.map(|p| p.to_string()).unwrap_or_default()],
                vec!["state".to_owned(), st.state.text().get(lang).to_owned()],
                vec!["listing".to_owned(), st.listing.text().get(lang).to_owned()],
                vec!["registration number".to_owned(), reg.map(|g| g.number.to_string()).unwrap_or_default()],
                vec!["registered on".to_owned(), date_or(reg.map(|g| g.registered_on))],
                vec![
                    "assessment period".to_owned(),
                    reg.map(|g| format!("{}..={}", g.period.start(), g.period.end())).unwrap_or_default(),
                ],
                vec!["valid until".to_owned(), valid],
                vec![
                    "open incidents".to_owned(),
                    st.open_incidents.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                ],
                vec!["control changes".to_owned(), st.control_changes.to_string()],
            ];
            let rows = past
                .iter()
                .map(|e| {
                    let t = e.event.kind.event_type();
                    vec![
                        e.seq.to_string(),
                        e.event.date().to_string(),
                        match lang {
                            Lang::Ja => t.name_ja().to_owned(),
                            Lang::En => t.as_str().to_owned(),
                        },
                        e.event.actor.role().text().get(lang).to_owned(),
                    ]
                })
                .collect();
            let mut t = format!("{service} on {on}\n");
            t.push_str(&output::rows(f, &["", ""], facts));
            t.push_str("\nhistory\n");
            t.push_str(&output::rows(f, &["#", "date", "event", "actor"], rows));
            t
        }
    };
    print(&text);
    Ok(exit::OK)
}

fn list(args: &ListArgs) -> CmdResult {
    let (entries, default) = load(&args.journal)?;
    let on = args.on.unwrap_or(default);
    let r = registry_on(&entries, on, &rules_of(args.settings.as_deref())?)?;
    let mut filter = ListFilter::new();
    filter.provider.clone_from(&args.provider);
    filter.name.clone_from(&args.name);
    filter.model = args.model.map(|m| match m {
        ModelArg::Iaas => ServiceModel::IaaS,
        ModelArg::Paas => ServiceModel::PaaS,
        ModelArg::Saas => ServiceModel::SaaS,
    });
    filter.institution = match &args.institution {
        Some(i) => {
            Some(i.parse().map_err(|e: ismap::workflow::IdError| CliError::new(e.to_string(), "e.g. `aoba-audit`"))?)
        }
        None => None,
    };
    filter.include_lapsed = args.all;
    let programs = match args.program {
        Some(ProgramArg::Ismap) => vec![Program::Ismap],
        Some(ProgramArg::Liu) => vec![Program::IsmapLiu],
        None => vec![Program::Ismap, Program::IsmapLiu],
    };
    let lists: Vec<_> = programs.iter().map(|p| r.cloud_service_list(*p, on, &filter)).collect();
    let lang = args.report.lang;
    let text = match args.report.format.text() {
        None => ismap::render::html::service_lists(&lists, lang),
        Some(Format::Json) if lists.len() == 1 => output::to_json(&lists.first())?,
        Some(Format::Json) => output::to_json(&lists)?,
        Some(f) => {
            let mut t = String::new();
            for l in &lists {
                let title = match lang {
                    Lang::Ja => {
                        format!("{} クラウドサービスリスト（{} 時点、{} 件）", l.program, l.as_of, l.entries.len())
                    }
                    Lang::En => {
                        format!("{} cloud service list as of {} ({} service(s))", l.program, l.as_of, l.entries.len())
                    }
                };
                t.push_str(&if f == Format::Markdown { format!("### {title}\n\n") } else { format!("{title}\n") });
                let rows = l
                    .entries
                    .iter()
                    .map(|e| {
                        vec![
                            e.registration_number.to_string(),
                            e.name.get(lang).to_owned(),
                            e.provider.get(lang).to_owned(),
                            e.model.to_string(),
                            e.registered_on.to_string(),
                            e.expiry.to_string(),
                            e.audit_institution_name
                                .as_ref()
                                .map_or(e.audit_institution.to_string(), |n| n.get(lang).to_owned()),
                            format!("{}/{}", e.assessment_period.start(), e.assessment_period.end()),
                            e.status.text().get(lang).to_owned(),
                        ]
                    })
                    .collect();
                t.push_str(&output::rows(
                    f,
                    &[
                        "number",
                        "service",
                        "provider",
                        "model",
                        "registered",
                        "expiry",
                        "audit institution",
                        "assessment period",
                        "status",
                    ],
                    rows,
                ));
                t.push('\n');
            }
            t
        }
    };
    output::emit(args.report.output.as_deref(), text.as_bytes())?;
    Ok(exit::OK)
}

fn due(args: &DueArgs) -> CmdResult {
    let (entries, default) = load(&args.query.journal)?;
    let on = args.query.on.unwrap_or(default);
    let until = on.checked_add_days(Days::new(args.days)).ok_or_else(|| CliError::bare("--days is too large"))?;
    let r = registry_on(&entries, on, &rules_of(args.query.settings.as_deref())?)?;
    let due = r.deadlines(on, until);
    let lang = args.query.common.lang;
    let text = match args.query.common.format {
        Format::Json => output::to_json(&due)?,
        f => {
            let rows = due
                .deadlines
                .iter()
                .map(|d| {
                    let name = r
                        .service(&d.service)
                        .and_then(|s| s.cloud_service.as_ref())
                        .map_or(d.service.to_string(), |c| c.name.get(lang).to_owned());
                    let days = (d.due - on).num_days();
                    vec![
                        d.due.to_string(),
                        if d.overdue {
                            match lang {
                                Lang::Ja => format!("{}日超過", -days),
                                Lang::En => format!("overdue by {} day(s)", -days),
                            }
                        } else {
                            match lang {
                                Lang::Ja => format!("あと{days}日"),
                                Lang::En => format!("in {days} day(s)"),
                            }
                        },
                        name,
                        d.kind.text().get(lang).to_owned(),
                        d.rule.to_string(),
                    ]
                })
                .collect();
            let mut t = format!("deadlines from {on} to {until} ({}):\n", source_name(&args.query.journal));
            t.push_str(&output::rows(f, &["due", "", "service", "what", "rule"], rows));
            t
        }
    };
    print(&text);
    Ok(exit::OK)
}

fn procure(args: &ProcureArgs) -> CmdResult {
    let (service, _, on, r) = service_on(&args.service, &args.query)?;
    let program = r.service(&service).and_then(|s| s.registration.as_ref()).map_or(Program::Ismap, |g| g.program);
    let settings = super::settings::load(args.query.settings.as_deref())?;
    let baseline = match program {
        Program::IsmapLiu => settings.liu_baseline(),
        _ => ismap::controls::Baseline::ismap(),
    };
    let statement = super::assess::load_statement(args.statement.as_deref())?;
    let catalog = super::assess::catalog_for(args.catalog.as_deref(), args.statement.as_deref(), &statement)?;
    let additions = super::assess::load_additions(&args.agency)?;
    let listings = r.listings_on(on);
    let report = ismap::controls::Assessment::new(&catalog, &baseline)
        .with_additions(&additions)
        .with_listings(&listings)
        .assess(&statement);
    let decision = r.may_procure_statement(&service, on, &report, &additions, &statement);
    let lang = args.query.common.lang;
    let text = match args.query.common.format {
        Format::Json => output::to_json(&decision)?,
        f => {
            let verdict = match (decision.allowed, lang) {
                (true, Lang::Ja) => "調達可",
                (true, Lang::En) => "may be procured",
                (false, Lang::Ja) => "調達不可",
                (false, Lang::En) => "may not be procured",
            };
            let listing = decision.listing.text();
            let head = match lang {
                Lang::Ja => format!(
                    "{service}（{on}）: {verdict}（{}。言明書を {program} のベースラインで評価: {}）\n\n",
                    listing.get(lang),
                    report.verdict.text().get(lang)
                ),
                Lang::En => format!(
                    "{service} on {on}: {verdict} ({}; statement assessed against the {program} baseline: {})\n\n",
                    listing.get(lang),
                    report.verdict.text().get(lang)
                ),
            };
            let rows: Vec<Vec<String>> = decision
                .findings
                .iter()
                .map(|x| {
                    let check = serde_json::to_value(x.check).ok().and_then(|v| v.as_str().map(str::to_owned));
                    let kind = if x.blocking { "blocking" } else { "caution" };
                    vec![check.unwrap_or_default(), kind.to_owned(), x.message.get(lang).to_owned()]
                })
                .collect();
            let heads = ["Check", "Kind", "Finding"];
            let body =
                if f == Format::Markdown { output::markdown_table(&heads, rows) } else { output::table(&heads, rows) };
            format!("{head}{body}")
        }
    };
    print(&text);
    Ok(if decision.allowed { exit::OK } else { exit::not_conformant() })
}

fn verify(args: &VerifyArgs) -> CmdResult {
    let (mut report, entries) = match &args.journal.journal {
        None => {
            let entries = sample_entries().map_err(|e| journal_error(&e))?;
            let report = ismap::workflow::verify_lines(ismap::workflow::SAMPLE_JOURNAL.as_bytes(), |_| {})
                .map_err(|e| CliError::bare(format!("embedded sample: {e}")))?;
            (report, entries)
        }
        Some(path) => {
            let k = kind(path, args.journal.store);
            let report = match k {
                StoreKind::Jsonl => JsonlJournal::verify_path(path),
                StoreKind::Sqlite => SqliteJournal::verify_path(path),
            }
            .map_err(|e| journal_error(&e))?;
            let entries = if report.is_ok() {
                match k {
                    StoreKind::Jsonl => JsonlJournal::read_path(path),
                    StoreKind::Sqlite => SqliteJournal::read_path(path),
                }
                .map_err(|e| journal_error(&e))?
            } else {
                Vec::new()
            };
            (report, entries)
        }
    };
    if report.is_ok() {
        report.check_lifecycle(WorkflowRules::default(), &entries);
    }
    let code = if report.is_ok() { exit::OK } else { exit::not_conformant() };
    let name = source_name(&args.journal);
    let head = report.head.map_or_else(|| "(empty)".to_owned(), |h| h.to_string());
    match args.common.format {
        Format::Json => print(&output::to_json(&report)?),
        Format::Markdown => {
            let verdict = if report.is_ok() { "ok" } else { "does not verify" };
            let mut rows = vec![
                vec!["journal".to_owned(), format!("`{name}`")],
                vec!["verdict".to_owned(), verdict.to_owned()],
                vec!["entries verified".to_owned(), report.entries.to_string()],
                vec!["head".to_owned(), format!("`{head}`")],
            ];
            if let Some(bad) = &report.bad_entry {
                rows.push(vec!["bad entry".to_owned(), format!("#{}: {}", bad.seq, bad.problem)]);
            }
            if let Some(t) = &report.torn_tail {
                rows.push(vec!["torn tail".to_owned(), format!("{} byte(s) at offset {}", t.bytes, t.offset)]);
            }
            if let Some(r) = &report.refused_entry {
                rows.push(vec!["refused entry".to_owned(), format!("#{}: {}", r.seq, r.message.get(args.common.lang))]);
            }
            print(&output::markdown_table(&["Check", "Result"], rows));
        }
        Format::Table => {
            if let Some(bad) = &report.bad_entry {
                eprintln!(
                    "error: {name}: entry #{} does not verify: {}\n  ({} entr(ies) before it verify)\n  hint: the journal was altered or damaged after entry #{}",
                    bad.seq, bad.problem, report.entries, report.entries
                );
            } else if let Some(t) = &report.torn_tail {
                eprintln!(
                    "error: {name}: torn last entry ({} byte(s) at offset {}) after {} verified entr(ies)\n  hint: an append was interrupted; remove it with `ismap registry truncate-torn -j {name}`",
                    t.bytes, t.offset, report.entries
                );
            } else if let Some(r) = &report.refused_entry {
                eprintln!(
                    "error: {name}: the hash chain verifies but entry #{}: {}\n  hint: the event was recorded without the lifecycle checks",
                    r.seq,
                    r.message.get(args.common.lang)
                );
            } else {
                print(&format!(
                    "ok: {name}: {} entr(ies), hash chain verified, every event allowed by the lifecycle rules; head {head}\n",
                    report.entries
                ));
            }
        }
    }
    Ok(code)
}

fn truncate(args: &RequiredJournal) -> CmdResult {
    let path = &args.journal;
    let removed = match kind(path, args.store) {
        StoreKind::Jsonl => JsonlJournal::truncate_torn_tail(path),
        StoreKind::Sqlite => SqliteJournal::truncate_torn_tail(path),
    }
    .map_err(|e| journal_error(&e))?;
    match removed {
        Some(t) => print(&format!(
            "removed a torn entry of {} byte(s) at offset {} from {}\n",
            t.bytes,
            t.offset,
            path.display()
        )),
        None => print(&format!("{}: no torn entry; nothing removed\n", path.display())),
    }
    Ok(exit::OK)
}

fn read_events(path: &Path) -> Result<Vec<Event>, CliError> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| CliError::bare(format!("cannot read standard input: {e}")))?;
        s
    } else {
        output::read_file(path)?
    };
    let hint = "events must follow schemas/registration-event.schema.json";
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return serde_json::from_str(trimmed).map_err(|e| CliError::new(format!("{}: {e}", path.display()), hint));
    }
    if let Ok(one) = serde_json::from_str::<Event>(&text) {
        return Ok(vec![one]);
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| CliError::new(format!("{}:{}: {e}", path.display(), i + 1), hint))
        })
        .collect()
}

fn append(args: &AppendArgs) -> CmdResult {
    let events = read_events(&args.events)?;
    let path = &args.journal.journal;
    match kind(path, args.journal.store) {
        StoreKind::Jsonl => append_to(JsonlJournal::open(path).map_err(|e| journal_error(&e))?, &events, &args.common),
        StoreKind::Sqlite => {
            append_to(SqliteJournal::open(path).map_err(|e| journal_error(&e))?, &events, &args.common)
        }
    }
}

fn append_to<S: JournalStore>(mut journal: S, events: &[Event], common: &Common) -> CmdResult {
    // The journal is locked and verified: replay it, then check every new event before writing any.
    let entries = journal.entries().map_err(|e| journal_error(&e))?;
    let mut r = Registry::replay(WorkflowRules::default(), entries.iter().map(|e| &e.event))
        .map_err(|e| CliError::new(e.to_string(), "run `ismap registry verify` on the journal"))?;
    for (i, e) in events.iter().enumerate() {
        r.apply(e).map_err(|err| {
            CliError::new(
                format!("event {} of {}: {}", i + 1, events.len(), err.text().get(common.lang)),
                format!(
                    "rule `{}`: {} ({}); nothing was appended",
                    err.rule(),
                    err.rule().title().get(common.lang),
                    err.rule().source()
                ),
            )
        })?;
    }
    let mut written = Vec::new();
    for e in events {
        written.push(journal.append(e).map_err(|e| journal_error(&e))?);
    }
    let text = match common.format {
        Format::Json => output::to_json(&written)?,
        f => output::rows(
            f,
            &["#", "date", "event", "hash"],
            written
                .iter()
                .map(|w| {
                    vec![
                        w.seq.to_string(),
                        w.event.date().to_string(),
                        w.event.kind.event_type().to_string(),
                        w.hash.to_string(),
                    ]
                })
                .collect(),
        ),
    };
    print(&text);
    Ok(ExitCode::SUCCESS)
}
