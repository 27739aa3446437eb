//! `ismap registry`: the registration journal, its replay, the cloud service lists and deadlines.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ismap::model::{Lang, Program, ServiceModel};
use ismap::workflow::chrono::{self, Days, NaiveDate};
use ismap::workflow::{
    Checkpoint, Digest, Event, EventId, JournalEntry, JournalError, JournalStore, JsonlJournal, LifecycleCheck,
    ListFilter, NewEvent, OpenOptions, Registry, ScanOptions, ServiceId, SqliteJournal, StoreKind, Subject,
    VerifyReport, WorkflowRules, history, sample_as_of, sample_entries, to_dot, to_mermaid,
};

use super::Common;
use super::output::{self, CliError, CmdResult, Format, exit, print};

/// `ismap registry` subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum RegistryCommand {
    /// Append events (a JSON event, an array of events, or JSON Lines) to a journal after checking
    /// them against the lifecycle rules: all of them in one batch, or none. An event whose
    /// `eventId` (derived from its content when absent) is already in the journal is skipped.
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
    /// Remove a torn tail left by a crash: the bytes after the last complete, verifying entry,
    /// and the entries of an unfinished last batch. Never touches any other complete entry.
    TruncateTorn(RequiredJournal),
    /// Add the missing final newline after a complete last entry (nothing else is changed).
    Repair(RequiredJournal),
    /// Record the journal's head (entry count, hash, time) in a checkpoint file that `verify`
    /// checks when present, so that removing the last entries is detected.
    Checkpoint(CheckpointArgs),
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
    /// Fail unless the last entry's hash is this one (a head noted earlier).
    #[arg(long, value_name = "HASH")]
    expect_head: Option<Digest>,
    /// Fail unless the journal holds exactly this many entries.
    #[arg(long, value_name = "N")]
    expect_count: Option<u64>,
    /// Checkpoint file to check (default: `<journal>.checkpoint` when it exists).
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
    /// Check the hash chain and framing only, without replaying the lifecycle rules.
    #[arg(long)]
    chain_only: bool,
    #[command(flatten)]
    common: Common,
}

/// Arguments of `ismap registry checkpoint`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct CheckpointArgs {
    #[command(flatten)]
    journal: RequiredJournal,
    /// Where to write it (default: `<journal>.checkpoint`). Keep a copy where the journal's
    /// writers cannot change it.
    #[arg(long, short = 'o')]
    out: Option<PathBuf>,
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
    /// Wait up to this many seconds for another writer to finish (default: fail at once).
    #[arg(long, value_name = "SECONDS", default_value_t = 0.0, value_parser = parse_wait)]
    wait: f64,
}

fn parse_wait(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(w) if w.is_finite() && (0.0..=86_400.0).contains(&w) => Ok(w),
        _ => Err(format!("`{s}` is not a number of seconds between 0 and 86400")),
    }
}

impl RequiredJournal {
    fn options(&self) -> OpenOptions {
        OpenOptions::new().wait(std::time::Duration::from_secs_f64(self.wait))
    }
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
        RegistryCommand::Repair(a) => repair(&a),
        RegistryCommand::Checkpoint(a) => checkpoint(&a),
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
        JournalError::Locked { .. } => {
            "another `ismap registry append` (or program) is writing to it; retry, or wait for it with `--wait SECONDS`"
                .to_owned()
        }
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

/// `en` or `ja` by `lang`.
fn say(lang: Lang, en: String, ja: String) -> String {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

fn now_in_japan() -> chrono::DateTime<chrono::FixedOffset> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let utc = chrono::DateTime::from_timestamp(i64::try_from(now.as_secs()).unwrap_or(0), 0).unwrap_or_default();
    chrono::FixedOffset::east_opt(9 * 3600).map_or_else(|| utc.fixed_offset(), |jst| utc.with_timezone(&jst))
}

/// Verifies the journal (or the embedded sample) in one pass, replaying it unless `chain_only`.
fn verify_report(args: &VerifyArgs, watch: Option<u64>) -> Result<(VerifyReport, Option<Digest>), CliError> {
    let mut lifecycle = (!args.chain_only).then(|| LifecycleCheck::new(WorkflowRules::default()));
    let mut each = |e: JournalEntry| {
        if let Some(l) = lifecycle.as_mut() {
            l.apply(&e);
        }
    };
    let mut bar = progress::Bar::new(args.common.lang);
    let mut tick = |p| bar.update(p);
    let (mut report, watched) = {
        let mut scan = ScanOptions::new().progress(&mut tick);
        if !args.chain_only {
            scan = scan.each(&mut each);
        }
        if let Some(w) = watch {
            scan = scan.watch(w);
        }
        let report = match &args.journal.journal {
            None => ismap::workflow::verify_reader(ismap::workflow::SAMPLE_JOURNAL.as_bytes(), &mut scan)
                .map_err(|e| CliError::bare(format!("embedded sample: {e}")))?,
            Some(path) => match kind(path, args.journal.store) {
                StoreKind::Jsonl => JsonlJournal::scan_path(path, &mut scan),
                StoreKind::Sqlite => SqliteJournal::scan_path(path, &mut scan),
            }
            .map_err(|e| journal_error(&e))?,
        };
        (report, scan.watched())
    };
    bar.finish();
    if let Some(l) = lifecycle {
        l.finish(&mut report);
    }
    Ok((report, watched))
}

fn verify(args: &VerifyArgs) -> CmdResult {
    let lang = args.common.lang;
    let checkpoint_path = match (&args.checkpoint, &args.journal.journal) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(j)) => Some(Checkpoint::default_path(j)).filter(|p| p.exists()),
        (None, None) => None,
    };
    let checkpoint = checkpoint_path
        .as_ref()
        .map(|p| {
            Checkpoint::read(p).map_err(|e| {
                CliError::new(e.text().get(lang), "a checkpoint is written by `ismap registry checkpoint`")
            })
        })
        .transpose()?;
    let watch = checkpoint.as_ref().map(|c| c.entries).or(args.expect_count);
    let (mut report, watched) = verify_report(args, watch)?;
    if let (Some(cp), Some(p)) = (&checkpoint, &checkpoint_path) {
        cp.check(&mut report, &p.display().to_string(), watched);
    }
    if (args.expect_count.is_some() || args.expect_head.is_some()) && report.tail_check.as_ref().is_none_or(|t| t.ok) {
        let at = watched.filter(|_| watch == args.expect_count);
        report.check_tail("command line", args.expect_count, args.expect_head, false, at);
    }
    let code = if report.valid { exit::OK } else { exit::not_conformant() };
    let name = source_name(&args.journal);
    let head = report.head.map_or_else(|| "(empty)".to_owned(), |h| h.to_string());
    let tail_text = |t: &ismap::workflow::TailCheck| {
        let want = match (t.expected_entries, t.expected_hash) {
            (Some(n), Some(h)) => format!("entry #{n} with hash {h}"),
            (Some(n), None) => format!("{n} entr(ies)"),
            (None, Some(h)) => format!("head {h}"),
            (None, None) => String::new(),
        };
        let found = t.found_hash.map_or_else(|| "no such entry".to_owned(), |h| h.to_string());
        say(
            lang,
            format!(
                "{} expects {want}{}; the journal has {} entr(ies), and {found} there",
                t.source,
                if t.may_grow { " (or more entries after it)" } else { "" },
                report.entries
            ),
            format!(
                "{} の期待: {want}{}。ジャーナルは {} 件、該当位置は {found}",
                t.source,
                if t.may_grow { "（以降の追記は可）" } else { "" },
                report.entries
            ),
        )
    };
    match args.common.format {
        Format::Json => print(&output::to_json(&report)?),
        Format::Markdown => {
            let verdict = if report.valid { "ok" } else { "does not verify" };
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
                rows.push(vec!["refused entry".to_owned(), format!("#{}: {}", r.seq, r.message.get(lang))]);
            }
            if let Some(t) = &report.tail_check {
                rows.push(vec![
                    "tail check".to_owned(),
                    format!("{}: {}", if t.ok { "ok" } else { "failed" }, tail_text(t)),
                ]);
            }
            if report.missing_newline {
                rows.push(vec!["warning".to_owned(), "the last entry has no final newline".to_owned()]);
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
                let batch = if t.entries > 0 {
                    format!(", including {} complete entr(ies) of an unfinished batch from #{}", t.entries, t.from_seq)
                } else {
                    String::new()
                };
                eprintln!(
                    "error: {name}: torn last entry ({} byte(s) at offset {}{batch}) after {} verified entr(ies)\n  hint: an append was interrupted; remove it with `ismap registry truncate-torn -j {name}`",
                    t.bytes, t.offset, report.entries
                );
            } else if let Some(r) = &report.refused_entry {
                eprintln!(
                    "error: {name}: the hash chain verifies but entry #{}: {}\n  hint: the event was recorded without the lifecycle checks",
                    r.seq,
                    r.message.get(lang)
                );
            } else if let Some(t) = report.tail_check.as_ref().filter(|t| !t.ok) {
                eprintln!(
                    "error: {name}: {}\n  hint: {}",
                    tail_text(t),
                    say(
                        lang,
                        "entries were removed from the end of the journal, or it is another journal; restore it from a copy".to_owned(),
                        "ジャーナル末尾のエントリが削除されたか、別のジャーナルである。複製から復元すること".to_owned()
                    )
                );
            } else {
                let what = if args.chain_only {
                    "hash chain verified (lifecycle not replayed)"
                } else {
                    "hash chain verified, every event allowed by the lifecycle rules"
                };
                let tail = report.tail_check.as_ref().map_or_else(String::new, |t| {
                    format!("; matches {}", if t.source == "command line" { "the expected head" } else { &t.source })
                });
                print(&format!("ok: {name}: {} entr(ies), {what}; head {head}{tail}\n", report.entries));
            }
            if report.missing_newline {
                eprintln!(
                    "{}",
                    say(
                        lang,
                        format!(
                            "warning: {name}: the last entry (#{}) is complete and verifies but has no final newline\n  hint: the next append adds it, or run `ismap registry repair -j {name}`",
                            report.entries
                        ),
                        format!(
                            "警告: {name}: 最後のエントリ（#{}）は完全で検証も通るが、末尾の改行がない\n  ヒント: 次の追記で改行が付く。`ismap registry repair -j {name}` でも付けられる",
                            report.entries
                        )
                    )
                );
            }
        }
    }
    Ok(code)
}

fn truncate(args: &RequiredJournal) -> CmdResult {
    let path = &args.journal;
    let removed = match kind(path, args.store) {
        StoreKind::Jsonl => JsonlJournal::truncate_torn_tail_with(path, &args.options()),
        StoreKind::Sqlite => SqliteJournal::truncate_torn_tail_with(path, &args.options()),
    }
    .map_err(|e| journal_error(&e))?;
    let kept = |t: &ismap::workflow::TornTail| t.from_seq.saturating_sub(1);
    match removed {
        Some(t) if t.entries == 0 => print(&format!(
            "removed a torn entry of {} byte(s) at offset {} from {} (an incomplete entry #{}); {} complete entr(ies) kept\n",
            t.bytes,
            t.offset,
            path.display(),
            t.from_seq,
            kept(&t)
        )),
        Some(t) => print(&format!(
            "removed an unfinished batch of {} byte(s) at offset {} from {}: entries #{}..#{} (complete, but their batch is not) and anything after them; {} complete entr(ies) kept\n",
            t.bytes,
            t.offset,
            path.display(),
            t.from_seq,
            t.from_seq + t.entries - 1,
            kept(&t)
        )),
        None => print(&format!("{}: no torn entry; nothing removed\n", path.display())),
    }
    Ok(exit::OK)
}

fn repair(args: &RequiredJournal) -> CmdResult {
    let path = &args.journal;
    let repaired = match kind(path, args.store) {
        StoreKind::Jsonl => JsonlJournal::repair_path(path, &args.options()),
        StoreKind::Sqlite => SqliteJournal::repair_path(path, &args.options()),
    }
    .map_err(|e| journal_error(&e))?;
    if repaired {
        print(&format!("{}: added the missing newline after the last entry\n", path.display()));
    } else {
        print(&format!("{}: nothing to repair\n", path.display()));
    }
    Ok(exit::OK)
}

fn checkpoint(args: &CheckpointArgs) -> CmdResult {
    let path = &args.journal.journal;
    let report = match kind(path, args.journal.store) {
        StoreKind::Jsonl => JsonlJournal::verify_path(path),
        StoreKind::Sqlite => SqliteJournal::verify_path(path),
    }
    .map_err(|e| journal_error(&e))?;
    if let Some(entry) = report.bad_entry {
        return Err(journal_error(&JournalError::Corrupt { path: path.clone(), entry }));
    }
    if let Some(tail) = report.torn_tail {
        return Err(journal_error(&JournalError::Torn { path: path.clone(), tail }));
    }
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let Some(cp) = Checkpoint::of(&report, &name, now_in_japan()) else {
        return Err(CliError::new(format!("{}: the journal is empty", path.display()), "append events first"));
    };
    let out = args.out.clone().unwrap_or_else(|| Checkpoint::default_path(path));
    cp.write(&out).map_err(|e| CliError::new(e.to_string(), "check that the directory is writable"))?;
    print(&format!(
        "checkpoint {}: entry #{}, head {}, at {}\n",
        out.display(),
        cp.entries,
        cp.head,
        cp.at.to_rfc3339()
    ));
    Ok(exit::OK)
}

/// Reads events, each with the optional `eventId` key beside the event's own fields.
fn read_events(path: &Path) -> Result<Vec<(Option<EventId>, Event)>, CliError> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| CliError::bare(format!("cannot read standard input: {e}")))?;
        s
    } else {
        output::read_file(path)?
    };
    let hint = "events must follow schemas/registration-event.schema.json, with an optional `eventId`";
    let one = |mut v: serde_json::Value, at: &dyn Fn() -> String| -> Result<(Option<EventId>, Event), CliError> {
        let id = match v.as_object_mut().and_then(|o| o.remove("eventId")) {
            None => None,
            Some(serde_json::Value::String(s)) => {
                Some(s.parse::<EventId>().map_err(|e| CliError::new(format!("{}: {e}", at()), hint))?)
            }
            Some(other) => {
                return Err(CliError::new(format!("{}: `eventId` {other} is not a string", at()), hint));
            }
        };
        let event = serde_json::from_value(v).map_err(|e| CliError::new(format!("{}: {e}", at()), hint))?;
        Ok((id, event))
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let all: Vec<serde_json::Value> =
            serde_json::from_str(trimmed).map_err(|e| CliError::new(format!("{}: {e}", path.display()), hint))?;
        return all
            .into_iter()
            .enumerate()
            .map(|(i, v)| one(v, &|| format!("{}: event {}", path.display(), i + 1)))
            .collect();
    }
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        return Ok(vec![one(v, &|| path.display().to_string())?]);
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let at = || format!("{}:{}", path.display(), i + 1);
            let v = serde_json::from_str(l).map_err(|e| CliError::new(format!("{}: {e}", at()), hint))?;
            one(v, &at)
        })
        .collect()
}

fn append(args: &AppendArgs) -> CmdResult {
    let events = read_events(&args.events)?;
    let path = &args.journal.journal;
    let options = args.journal.options();
    match kind(path, args.journal.store) {
        StoreKind::Jsonl => append_to::<JsonlJournal>(path, &options, events, &args.common),
        StoreKind::Sqlite => append_to::<SqliteJournal>(path, &options, events, &args.common),
    }
}

/// Where an event's id already is.
enum Held {
    /// In the journal, at this entry.
    Entry(u64),
    /// Earlier in the same input, at this position (from 1).
    Earlier(usize),
}

fn append_to<S: JournalStore>(
    path: &Path,
    options: &OpenOptions,
    events: Vec<(Option<EventId>, Event)>,
    common: &Common,
) -> CmdResult {
    let lang = common.lang;
    // Lock and verify the journal, replaying it in the same pass; then check every new event
    // before writing any.
    let mut check = LifecycleCheck::new(WorkflowRules::default());
    let mut each = |e: JournalEntry| check.apply(&e);
    let mut bar = progress::Bar::new(lang);
    let mut tick = |p| bar.update(p);
    let mut journal = S::open_with(path, options, &mut ScanOptions::new().each(&mut each).progress(&mut tick))
        .map_err(|e| journal_error(&e))?;
    bar.finish();
    if let Some(r) = check.refused() {
        return Err(CliError::new(
            format!("{}: entry #{}: {}", path.display(), r.seq, r.message.get(lang)),
            "run `ismap registry verify` on the journal",
        ));
    }
    let mut registry = check.into_registry();
    let total = events.len();
    let mut batch = Vec::with_capacity(total);
    let mut in_batch = std::collections::HashMap::new();
    let mut present = Vec::new();
    for (i, (id, event)) in events.into_iter().enumerate() {
        let id = match id {
            Some(id) => id,
            None => EventId::from_content(&event).map_err(|e| CliError::bare(format!("event {}: {e}", i + 1)))?,
        };
        let held = journal.find_event_id(&id).map(Held::Entry);
        if let Some(at) = held.or_else(|| in_batch.get(&id).map(|j: &usize| Held::Earlier(j + 1))) {
            present.push((i, id, at));
            continue;
        }
        registry.apply(&event).map_err(|err| {
            CliError::new(
                format!("event {} of {total}: {}", i + 1, err.text().get(lang)),
                format!(
                    "rule `{}`: {} ({}); nothing was appended",
                    err.rule(),
                    err.rule().title().get(lang),
                    err.rule().source()
                ),
            )
        })?;
        in_batch.insert(id.clone(), i);
        batch.push(NewEvent::with_id(event, id));
    }
    let written = journal.append_batch(&batch).map_err(|e| journal_error(&e))?.entries;
    for (i, id, at) in &present {
        let (en, ja) = match at {
            Held::Entry(seq) => (format!("entry #{seq}"), format!("エントリ #{seq}")),
            Held::Earlier(j) => (format!("event {j} of this batch"), format!("この一括の事象 {j}")),
        };
        eprintln!(
            "{}",
            say(
                lang,
                format!("note: event {} of {total} (id {id}) is already present as {en}; skipped", i + 1),
                format!("注: 事象 {}/{total}（ID {id}）は既にある（{ja}）。追記しない", i + 1),
            )
        );
    }
    if !present.is_empty() && written.is_empty() {
        eprintln!(
            "{}",
            say(
                lang,
                format!("note: all {total} event(s) already present; nothing appended"),
                format!("注: {total} 件すべて既にある。追記なし"),
            )
        );
    }
    let text = match common.format {
        Format::Json => output::to_json(&written)?,
        _ if written.is_empty() => String::new(),
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

/// Progress bars for long journal reads: drawn on a terminal only, and only once a read has
/// taken more than a second.
mod progress {
    use std::time::{Duration, Instant};

    use ismap::model::Lang;
    use ismap::workflow::Progress;

    pub(super) struct Bar {
        started: Instant,
        bar: Option<indicatif::ProgressBar>,
        lang: Lang,
    }

    impl Bar {
        pub(super) fn new(lang: Lang) -> Self {
            Self { started: Instant::now(), bar: None, lang }
        }

        pub(super) fn update(&mut self, p: Progress) {
            if self.bar.is_none() {
                if self.started.elapsed() < Duration::from_secs(1)
                    || !std::io::IsTerminal::is_terminal(&std::io::stderr())
                {
                    return;
                }
                let bar = indicatif::ProgressBar::new(p.total.max(p.done));
                let label = match self.lang {
                    Lang::Ja => "ジャーナル検証中",
                    Lang::En => "verifying journal",
                };
                let style = indicatif::ProgressStyle::with_template(&format!(
                    "{label} [{{bar:40}}] {{percent}}% ({{elapsed}}, eta {{eta}})"
                ))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
                bar.set_style(style);
                self.bar = Some(bar);
            }
            if let Some(bar) = &self.bar {
                bar.set_length(p.total.max(p.done));
                bar.set_position(p.done);
            }
        }

        pub(super) fn finish(&mut self) {
            if let Some(bar) = self.bar.take() {
                bar.finish_and_clear();
            }
        }
    }
}
