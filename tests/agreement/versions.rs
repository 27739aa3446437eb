//! Format versions, in the manner of cargo-lock's `Cargo.lock.v1..v4` tests: golden files per
//! version under `tests/golden/<kind>/v<N>.json` (`.jsonl` for journals). Every version of a
//! document the library reads loads through its reader, comes out upgraded to the current version,
//! and serializes to the current golden file; a version newer than the library knows is an error
//! naming both versions. What the library writes from its embedded samples is exactly the current
//! golden file: a change there is a format change (`ISMAP_UPDATE_GOLDEN=1` rewrites the files;
//! decide then whether the change needs a new version, see README § Compatibility).

use serde_json::Value;

use crate::samples::cli_json;
use crate::support::{root, schema, yaml_to_json};

fn golden_path(kind: &str, version: u32) -> std::path::PathBuf {
    let ext = if kind == "journal-entry" { "jsonl" } else { "json" };
    root().join(format!("tests/golden/{kind}/v{version}.{ext}"))
}

fn golden(kind: &str, version: u32) -> String {
    let path = golden_path(kind, version);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// One versioned document kind.
struct Versioned {
    kind: &'static str,
    /// Versions with a golden file.
    versions: &'static [u32],
    current: u32,
    /// The field holding the version: `format_version`, or `version` for the formats that were
    /// born versioned (column mapping, CYDER scenario and action log).
    key: &'static str,
    /// Whether the library reads it (else it only writes it).
    read: bool,
}

const fn v(kind: &'static str, versions: &'static [u32], read: bool) -> Versioned {
    Versioned { kind, versions, current: 1, key: "format_version", read }
}

const VERSIONED: &[Versioned] = &[
    v("catalog", &[0, 1], true),
    v("catalog-validation-report", &[1], false),
    v("statement-template", &[1], false),
    v("statement-mapping", &[1], true),
    v("statement-validation-report", &[1], false),
    v("catalog-diff", &[1], false),
    v("statement", &[0, 1], true),
    v("agency-additions", &[0, 1], true),
    v("baseline", &[0, 1], true),
    v("assessment-report", &[1], true),
    Versioned { kind: "column-mapping", versions: &[1], current: 1, key: "version", read: true },
    Versioned { kind: "cyder-scenario", versions: &[1], current: 1, key: "version", read: true },
    Versioned { kind: "cyder-action-log", versions: &[1], current: 1, key: "version", read: true },
    v("cyder-validation-report", &[0, 1], true),
    v("cyder-analysis", &[0, 1], true),
    v("cyder-after-action-report", &[0, 1], true),
    v("cyder-score-card", &[0, 1], true),
    v("registration-event", &[0, 1], true),
    v("journal-entry", &[0, 1], true),
    v("workflow-rules", &[0, 1], true),
    v("settings", &[1], true),
    v("cloud-service-list", &[1], false),
    v("service-status", &[1], false),
    v("registration-deadlines", &[1], false),
    v("procurement-decision", &[1], false),
    v("journal-verify-report", &[1], false),
    v("journal-checkpoint", &[1], true),
];

/// A checkpoint of the sample journal at a fixed time.
pub(crate) fn sample_checkpoint() -> ismap_workflow::Checkpoint {
    let report = ismap_workflow::verify_lines(ismap_workflow::SAMPLE_JOURNAL.as_bytes(), drop).unwrap();
    let at = "2025-06-01T09:00:00+09:00".parse().unwrap();
    ismap_workflow::Checkpoint::of(&report, "sample-journal.jsonl", at).unwrap()
}

/// Reads `text` with serde and lets the type upgrade itself.
fn serde_upgrade<T: serde::de::DeserializeOwned + serde::Serialize>(
    text: &str,
    upgrade: impl FnOnce(&mut T),
) -> Result<Value, String> {
    let mut doc: T = serde_json::from_str(text).map_err(|e| e.to_string())?;
    upgrade(&mut doc);
    Ok(serde_json::to_value(doc).unwrap())
}

/// Loads `text` with the library's reader for `kind` and serializes the result.
fn load_and_write(kind: &str, text: &str) -> Result<Value, String> {
    use cyder_scenario as cy;
    use ismap::controls::{AgencyAdditions, AssessmentReport, Baseline, Catalog, CatalogDocument, Statement};
    let err = |e: &dyn std::fmt::Display| e.to_string();
    Ok(match kind {
        "statement" => serde_json::to_value(Statement::from_json_str(text).map_err(|e| err(&e))?).unwrap(),
        "agency-additions" => serde_json::to_value(AgencyAdditions::from_json_str(text).map_err(|e| err(&e))?).unwrap(),
        "catalog" => {
            let (catalog, _) = Catalog::from_json_str(text).map_err(|e| err(&e))?;
            serde_json::to_value(catalog.to_document()).unwrap()
        }
        "statement-mapping" => serde_json::to_value(
            ismap::controls::workbook::StatementMapping::from_str_as(text, false).map_err(|e| err(&e))?,
        )
        .unwrap(),
        "column-mapping" => serde_json::to_value(
            ismap::controls::import::ColumnMapping::from_json_str(text).map_err(|e| format!("{e:?}"))?,
        )
        .unwrap(),
        "cyder-scenario" => {
            serde_json::to_value(cy::parse_document(text, cy::Format::Json).map_err(|e| err(&e))?).unwrap()
        }
        "cyder-action-log" => {
            serde_json::to_value(cy::parse_log(text, cy::Format::Json).map_err(|e| err(&e))?).unwrap()
        }
        // Documents read with serde alone: reading is the upgrade of what the type holds.
        "baseline" => serde_json::to_value(Baseline::from_json_str(text).map_err(|e| err(&e))?).unwrap(),
        "assessment-report" => serde_upgrade::<AssessmentReport>(text, |_| {})?,
        "catalog-document" => serde_upgrade::<CatalogDocument>(text, |_| {})?,
        "cyder-validation-report" => serde_upgrade::<cy::ValidationReport>(text, |d| d.format_version.upgrade())?,
        "cyder-analysis" => serde_upgrade::<cy::Analysis>(text, |d| d.format_version.upgrade())?,
        "cyder-after-action-report" => serde_upgrade::<cy::AfterActionReport>(text, |d| d.format_version.upgrade())?,
        "cyder-score-card" => serde_upgrade::<cy::ScoreCard>(text, |d| d.format_version.upgrade())?,
        "registration-event" => serde_upgrade::<ismap_workflow::Event>(text, |d| d.format_version.upgrade())?,
        "workflow-rules" => serde_upgrade::<ismap_workflow::WorkflowRules>(text, |d| d.format_version.upgrade())?,
        "settings" => {
            serde_json::to_value(ismap_workflow::Settings::from_json_str(text).map_err(|e| err(&e))?).unwrap()
        }
        "journal-checkpoint" => {
            serde_json::to_value(ismap_workflow::Checkpoint::from_json_str(text).map_err(|e| err(&e))?).unwrap()
        }
        other => panic!("no loader for `{other}`"),
    })
}

/// The document the library writes today for `kind`, from its embedded samples. (The assessment
/// report and the baselines have small hand-written golden files instead; the insta snapshots of
/// `tests/cli.rs` pin the sample's report.)
fn produce(kind: &str) -> Option<Value> {
    use ismap::controls::{Assessment, Baseline, Catalog, Statement};
    let registry = || ismap_workflow::sample_registry().unwrap();
    let on = || ismap_workflow::sample_as_of().unwrap();
    let report =
        || Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&Statement::try_sample().unwrap());
    Some(match kind {
        "workflow-rules" => value(&ismap_workflow::WorkflowRules::default()),
        "statement-template" => {
            // The ISMAP template with one agency's additions.
            let additions = ismap::controls::AgencyAdditions::from_json_str(
                r#"{"agency": {"ja": "デジタル庁", "en": "Digital Agency"}, "require": ["8.1.2.3"],
                    "requirements": [{"id": "DA-01", "title": {"ja": "国内で保管する", "en": "Data stays in Japan"}}]}"#,
            )
            .unwrap();
            value(&ismap::controls::workbook::StatementTemplate::new(
                Catalog::ismap_2022(),
                &Baseline::ismap(),
                &[additions],
            ))
        }
        "statement-validation-report" => cli_json(&[
            "statement",
            "validate",
            root().join("tests/agreement/invalid/statement/malformed-control-id.json").to_str().unwrap(),
        ]),
        "settings" => value(&ismap_workflow::Settings::default()),
        "catalog-validation-report" => {
            // The embedded catalog with domain 3 renumbered 99: an error and warnings.
            let mut doc: Value = serde_json::from_str(Catalog::ismap_2022_json()).unwrap();
            doc["parts"][0]["domains"][0]["id"] = "99".into();
            let Err(ismap::controls::CatalogError::Invalid(problems)) = Catalog::from_json_str(&doc.to_string()) else {
                panic!("the renumbered catalog loads")
            };
            value(&ismap::controls::CatalogValidation::new(problems))
        }
        "catalog-diff" => cli_json(&["catalog", "diff", "2022.4.1", "2024.7.1"]),
        "cyder-scenario" => yaml_to_json(cyder_scenario::DEFAULT_SCENARIO_YAML),
        "cyder-action-log" => yaml_to_json(cyder_scenario::SAMPLE_LOG_YAML),
        "cyder-validation-report" => cli_json(&["cyder", "validate"]),
        "cyder-analysis" => cli_json(&["cyder", "analyze"]),
        "cyder-after-action-report" => cli_json(&["cyder", "report"]),
        "cyder-score-card" => cli_json(&["cyder", "score"]),
        "registration-event" => {
            // The sample's registration decision, as `Event::new` writes it.
            let entries = ismap_workflow::sample_entries().unwrap();
            let e = entries.iter().find(|e| matches!(e.event.kind, ismap_workflow::EventKind::Registered { .. }));
            value(&e.unwrap().event)
        }
        "cloud-service-list" => cli_json(&["registry", "list", "--program", "ismap"]),
        "service-status" => cli_json(&["registry", "status", "kumo-base"])["status"].clone(),
        "registration-deadlines" => cli_json(&["registry", "due"]),
        "procurement-decision" => {
            let service: ismap_workflow::ServiceId = "kumo-base".parse().unwrap();
            value(&registry().may_procure(&service, on(), &report(), &[]))
        }
        "journal-verify-report" => {
            value(&ismap_workflow::verify_lines(ismap_workflow::SAMPLE_JOURNAL.as_bytes(), drop).unwrap())
        }
        "journal-checkpoint" => value(&sample_checkpoint()),
        _ => return None,
    })
}

/// A document as JSON.
fn value<T: serde::Serialize>(doc: &T) -> Value {
    serde_json::to_value(doc).unwrap()
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap();
    s.push('\n');
    s
}

#[test]
fn every_kind_with_a_schema_is_versioned_and_has_its_golden_files() {
    let schemas: Vec<_> = ismap::schema::all().into_iter().map(|s| s.name).collect();
    let kinds: Vec<_> = VERSIONED.iter().map(|v| v.kind).collect();
    assert_eq!(kinds.len(), schemas.len());
    for name in &schemas {
        assert!(kinds.contains(name), "`{name}` has a schema but no entry in VERSIONED");
    }
    for v in VERSIONED {
        assert!(v.versions.contains(&v.current), "{}: no golden file for the current version", v.kind);
        for &n in v.versions {
            assert!(golden_path(v.kind, n).is_file(), "{}", golden_path(v.kind, n).display());
        }
    }
}

#[test]
fn schema_ids_and_version_fields_carry_the_current_format_version() {
    for v in VERSIONED {
        let s = schema(v.kind);
        assert_eq!(s["$id"], Value::from(format!("urn:ismap-rs:schema:{}:{}", v.kind, v.current)));
        let field = &s["properties"][v.key];
        // `DocumentVersion` writes `maximum`, the born-versioned formats an enum or a const.
        let max = field.get("maximum").or_else(|| field.get("const")).or_else(|| field["enum"].as_array()?.last());
        let max = max.or_else(|| {
            // A `$ref` to a definition.
            let name = field["$ref"].as_str()?.rsplit('/').next()?;
            let def = &s["$defs"][name];
            def.get("maximum").or_else(|| def["enum"].as_array()?.last())
        });
        assert_eq!(max, Some(&Value::from(v.current)), "{}: `{}` is {field}", v.kind, v.key);
        if !v.read || v.versions.first() != Some(&0) {
            // Versioned from the start (or written only): the field is required.
            let required = s["required"].as_array().map(|r| r.iter().any(|k| k == v.key));
            assert_eq!(required, Some(true), "{}: `{}` is not required", v.kind, v.key);
        }
    }
}

#[test]
fn what_the_library_writes_is_the_current_golden_file() {
    let update = std::env::var_os("ISMAP_UPDATE_GOLDEN").is_some();
    for v in VERSIONED.iter().filter(|v| v.kind != "journal-entry") {
        let Some(now) = produce(v.kind) else { continue };
        assert_eq!(now[v.key], v.current, "{}: written without its current version", v.kind);
        let path = golden_path(v.kind, v.current);
        if update {
            std::fs::write(&path, pretty(&now)).unwrap();
        }
        pretty_assertions::assert_eq!(
            now,
            json(&golden(v.kind, v.current)),
            "{}: the output changed (ISMAP_UPDATE_GOLDEN=1 to accept; is it a format change?)",
            v.kind
        );
    }
    // The journal: the embedded sample is written in the current format.
    if update {
        std::fs::write(golden_path("journal-entry", 1), ismap_workflow::SAMPLE_JOURNAL).unwrap();
    }
    assert_eq!(golden("journal-entry", 1), ismap_workflow::SAMPLE_JOURNAL);
}

#[test]
fn every_version_loads_upgrades_and_writes_the_current_golden_file() {
    for v in VERSIONED.iter().filter(|v| v.read && v.kind != "journal-entry") {
        let (kind, current) = (v.kind, v.current);
        let expected = json(&golden(kind, current));
        assert_eq!(expected[v.key], current, "{kind} v{current} golden file");
        for &n in v.versions {
            let text = golden(kind, n);
            if n == 0 {
                assert!(json(&text).get(v.key).is_none(), "{kind} v0 has no version field");
            }
            let written = load_and_write(kind, &text).unwrap_or_else(|e| panic!("{kind} v{n}: {e}"));
            pretty_assertions::assert_eq!(written, expected, "{kind} v{n} upgraded");
        }
    }
}

#[test]
fn serde_alone_keeps_a_version_0_document_as_it_is() {
    // Reading and writing with serde (no loader) is lossless: no version appears.
    fn same<T: serde::de::DeserializeOwned + serde::Serialize>(v0: &Value) -> Value {
        serde_json::to_value(serde_json::from_value::<T>(v0.clone()).unwrap()).unwrap()
    }
    for v in VERSIONED.iter().filter(|v| v.versions.first() == Some(&0) && v.kind != "journal-entry") {
        let v0 = json(&golden(v.kind, 0));
        let back = match v.kind {
            "catalog" => same::<ismap::controls::CatalogDocument>(&v0),
            "statement" => same::<ismap::controls::Statement>(&v0),
            "agency-additions" => same::<ismap::controls::AgencyAdditions>(&v0),
            "baseline" => same::<ismap::controls::Baseline>(&v0),
            "cyder-validation-report" => same::<cyder_scenario::ValidationReport>(&v0),
            "cyder-analysis" => same::<cyder_scenario::Analysis>(&v0),
            "cyder-after-action-report" => same::<cyder_scenario::AfterActionReport>(&v0),
            "cyder-score-card" => same::<cyder_scenario::ScoreCard>(&v0),
            "registration-event" => same::<ismap_workflow::Event>(&v0),
            "workflow-rules" => same::<ismap_workflow::WorkflowRules>(&v0),
            other => panic!("no serde type for `{other}`"),
        };
        assert_eq!(back, v0, "{}", v.kind);
    }
}

#[test]
fn a_newer_version_is_an_error_naming_both_versions() {
    for v in VERSIONED.iter().filter(|v| v.read && v.kind != "journal-entry") {
        let mut doc = json(&golden(v.kind, v.current));
        let newer = v.current + 1;
        doc[v.key] = newer.into();
        let e = load_and_write(v.kind, &doc.to_string()).unwrap_err();
        assert!(
            e.contains(&format!("version {newer} is newer than {}", v.current)) && e.contains("形式バージョン"),
            "{}: {e}",
            v.kind
        );
    }
}

mod journal {
    use ismap_workflow::{JournalStore as _, JsonlJournal, Registry, WorkflowRules, verify_lines};

    use super::golden;

    fn entries(text: &str) -> Vec<ismap_workflow::JournalEntry> {
        let mut out = Vec::new();
        let report = verify_lines(text.as_bytes(), |e| out.push(e)).unwrap();
        assert!(report.is_ok(), "{report:?}");
        out
    }

    fn replayed(text: &str) -> serde_json::Value {
        let entries = entries(text);
        let registry = Registry::replay(WorkflowRules::default(), entries.iter().map(|e| &e.event)).unwrap();
        let on = entries.last().unwrap().event.date();
        let lists: Vec<_> = [ismap::model::Program::Ismap, ismap::model::Program::IsmapLiu]
            .into_iter()
            .map(|p| registry.cloud_service_list(p, on, &ismap_workflow::ListFilter::new()))
            .collect();
        serde_json::to_value(lists).unwrap()
    }

    #[test]
    fn a_version_0_journal_verifies_as_written_and_replays_like_the_current_one() {
        let (v0, v1) = (golden("journal-entry", 0), golden("journal-entry", 1));
        assert!(v0.lines().all(|l| l.starts_with("{\"seq\":") && !l.contains("format_version")));
        assert!(v1.lines().all(|l| l.starts_with("{\"format_version\":1,\"seq\":")));
        // Entries are never upgraded in place: each version's lines are canonical as they are.
        for text in [&v0, &v1] {
            for (e, line) in entries(text).iter().zip(text.lines()) {
                assert_eq!(e.to_line().unwrap(), line);
            }
        }
        assert_eq!(entries(&v0).len(), entries(&v1).len());
        assert_eq!(replayed(&v0), replayed(&v1));
    }

    #[test]
    fn appending_to_a_version_0_journal_continues_it_in_the_current_format() {
        let dir = std::env::temp_dir().join(format!("ismap-versions-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.jsonl");
        let v0 = golden("journal-entry", 0);
        std::fs::write(&path, &v0).unwrap();
        let old = entries(&v0);
        let mut journal = JsonlJournal::open(&path).unwrap();
        let mut event = old.last().unwrap().event.clone();
        // A well-formed event; the journal does not apply the lifecycle rules.
        event.at += chrono::Duration::days(1);
        let entry = journal.append(&event).unwrap();
        drop(journal);
        assert_eq!((entry.format_version.get(), entry.event.format_version.get()), (1, 1));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&v0));
        assert_eq!(entries(&text).len(), old.len() + 1);
        assert!(text.lines().last().unwrap().starts_with("{\"format_version\":1,"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_version_is_covered_by_the_hash() {
        // Dropping the version from a current entry (making it look like version 0) is detected.
        let v1 = golden("journal-entry", 1);
        let mut lines: Vec<String> = v1.lines().map(str::to_owned).collect();
        lines[2] = lines[2].replacen("{\"format_version\":1,", "{", 1);
        let text = lines.join("\n") + "\n";
        let report = verify_lines(text.as_bytes(), drop).unwrap();
        let bad = report.bad_entry.unwrap();
        assert_eq!(bad.seq, 3);
        assert!(matches!(bad.problem, ismap_workflow::EntryProblem::Hash { .. }), "{:?}", bad.problem);
    }
}
