//! (a) Every sample and golden document in the repository validates against its schema, and
//! the Rust type reads it back.

use std::process::Command;

use serde_json::Value;

use crate::support::{KINDS, assert_valid, kind, root, yaml_to_json};

/// One sample: its kind, where it comes from, and the JSON value.
pub(crate) struct Sample {
    pub(crate) kind: &'static str,
    pub(crate) origin: String,
    pub(crate) value: Value,
}

fn sample(kind: &'static str, origin: impl Into<String>, value: Value) -> Sample {
    Sample { kind, origin: origin.into(), value }
}

pub(crate) fn cli_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_ismap"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "ismap {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("ismap {args:?}: {e}"))
}

/// The documents the library embeds, produces from its embedded samples, and the golden files
/// under `tests/golden/` (every format version).
pub(crate) fn embedded() -> Vec<Sample> {
    use ismap::controls::{Assessment, Baseline, Catalog, Statement};
    let mut out = vec![
        sample("catalog", "Catalog::ismap_2022_json", serde_json::from_str(Catalog::ismap_2022_json()).unwrap()),
        sample("catalog", "Catalog::ismap_2024_json", serde_json::from_str(Catalog::ismap_2024_json()).unwrap()),
        sample("statement", "Statement::sample_json", serde_json::from_str(Statement::sample_json()).unwrap()),
        sample(
            "statement-template",
            "StatementTemplate::new(ismap_2022, ismap)",
            serde_json::to_value(ismap::controls::workbook::StatementTemplate::new(
                Catalog::ismap_2022(),
                &Baseline::ismap(),
                &[],
            ))
            .unwrap(),
        ),
        sample(
            "statement-validation-report",
            "StatementValidation of the sample with its period ending on 2025-02-30",
            serde_json::to_value(ismap::controls::StatementValidation::new(&Statement::read_json(
                &Statement::sample_json().replace("2025-03-31", "2025-02-30"),
                &ismap::model::Limits::DEFAULT,
            )))
            .unwrap(),
        ),
        sample("baseline", "Baseline::ismap", serde_json::to_value(Baseline::ismap()).unwrap()),
        sample("baseline", "Baseline::liu", serde_json::to_value(Baseline::liu()).unwrap()),
        sample(
            "workflow-rules",
            "WorkflowRules::default",
            serde_json::to_value(ismap_workflow::WorkflowRules::default()).unwrap(),
        ),
        sample("settings", "Settings::default", serde_json::to_value(ismap_workflow::Settings::default()).unwrap()),
        sample("cyder-scenario", "DEFAULT_SCENARIO_YAML", yaml_to_json(cyder_scenario::DEFAULT_SCENARIO_YAML)),
        sample("cyder-action-log", "SAMPLE_LOG_YAML", yaml_to_json(cyder_scenario::SAMPLE_LOG_YAML)),
    ];
    let catalog = Catalog::ismap_2022();
    let statement = Statement::try_sample().unwrap();
    let report = Assessment::new(catalog, &Baseline::ismap()).assess(&statement);
    out.push(sample("assessment-report", "Assessment::assess(sample)", serde_json::to_value(&report).unwrap()));
    // The sample migrated to 2024.7.1: four `unanswered` entries, and its report.
    let migrated = statement.migrate(catalog, Catalog::ismap_2024(), &Default::default()).statement;
    out.push(sample("statement", "Statement::migrate(sample, 2024.7.1)", serde_json::to_value(&migrated).unwrap()));
    let report_2024 = Assessment::new(Catalog::ismap_2024(), &Baseline::ismap()).assess(&migrated);
    out.push(sample(
        "assessment-report",
        "Assessment::assess(migrated sample)",
        serde_json::to_value(&report_2024).unwrap(),
    ));
    let events: Vec<Value> =
        serde_json::from_str(include_str!("../../ismap-workflow/data/sample-events.json")).unwrap();
    for (i, e) in events.into_iter().enumerate() {
        out.push(sample("registration-event", format!("sample-events.json[{i}]"), e));
    }
    for (i, line) in ismap_workflow::SAMPLE_JOURNAL.lines().enumerate() {
        out.push(sample(
            "journal-entry",
            format!("sample-journal.jsonl:{}", i + 1),
            serde_json::from_str(line).unwrap(),
        ));
    }
    // Entries with an event id and batch framing (as `ismap registry append` writes them).
    let mut w = ismap_workflow::ChainWriter::new(Vec::new());
    for (i, e) in ismap_workflow::sample_entries().unwrap().iter().take(3).enumerate() {
        let id = ismap_workflow::EventId::from_content(&e.event).unwrap();
        w.push_with(&e.event, Some(id), ismap_workflow::BatchPos::new(i as u64 + 1, 3)).unwrap();
    }
    let batch = String::from_utf8(w.finish().unwrap()).unwrap();
    for (i, line) in batch.lines().enumerate() {
        out.push(sample("journal-entry", format!("batch of 3, entry {}", i + 1), serde_json::from_str(line).unwrap()));
    }
    out.push(sample(
        "journal-checkpoint",
        "Checkpoint::of(SAMPLE_JOURNAL)",
        serde_json::to_value(crate::versions::sample_checkpoint()).unwrap(),
    ));
    let verify = ismap_workflow::verify_lines(ismap_workflow::SAMPLE_JOURNAL.as_bytes(), drop).unwrap();
    out.push(sample("journal-verify-report", "verify_lines(SAMPLE_JOURNAL)", serde_json::to_value(&verify).unwrap()));
    let registry = ismap_workflow::sample_registry().unwrap();
    let on = ismap_workflow::sample_as_of().unwrap();
    for service in registry.services().keys() {
        let decision = registry.may_procure(service, on, &report, &[]);
        out.push(sample(
            "procurement-decision",
            format!("may_procure({service})"),
            serde_json::to_value(&decision).unwrap(),
        ));
    }
    out
}

/// The JSON every CLI command prints for the embedded samples, each with its schema; commands
/// whose JSON is a CLI view rather than a library document are listed in
/// [`CLI_VIEWS_WITHOUT_SCHEMA`] (and checked to stay so).
pub(crate) fn cli() -> Vec<Sample> {
    let mut out = vec![
        sample("assessment-report", "ismap assess", cli_json(&["assess"])),
        sample("cyder-validation-report", "ismap cyder validate", cli_json(&["cyder", "validate"])),
        sample("cyder-analysis", "ismap cyder analyze", cli_json(&["cyder", "analyze"])),
        sample("cyder-score-card", "ismap cyder score", cli_json(&["cyder", "score"])),
        sample("cyder-after-action-report", "ismap cyder report", cli_json(&["cyder", "report"])),
        sample("registration-deadlines", "ismap registry due", cli_json(&["registry", "due"])),
        sample("journal-verify-report", "ismap registry verify", cli_json(&["registry", "verify"])),
        sample(
            "catalog-validation-report",
            "ismap catalog validate tests/golden/catalog/v0.json",
            cli_json(&["catalog", "validate", root().join("tests/golden/catalog/v0.json").to_str().unwrap()]),
        ),
        sample(
            "procurement-decision",
            "ismap registry procure kumo-base",
            cli_json(&["registry", "procure", "kumo-base"]),
        ),
        sample(
            "catalog-diff",
            "ismap catalog diff 2022.4.1 2024.7.1",
            cli_json(&["catalog", "diff", "2022.4.1", "2024.7.1"]),
        ),
    ];
    for p in ["ismap", "liu"] {
        out.push(sample(
            "cloud-service-list",
            format!("ismap registry list --program {p}"),
            cli_json(&["registry", "list", "--program", p]),
        ));
    }
    let Value::Array(lists) = cli_json(&["registry", "list"]) else {
        panic!("`registry list` prints an array of lists")
    };
    for (i, l) in lists.into_iter().enumerate() {
        out.push(sample("cloud-service-list", format!("ismap registry list [{i}]"), l));
    }
    let status = cli_json(&["registry", "status", "kumo-base"]);
    out.push(sample("service-status", "ismap registry status kumo-base .status", status["status"].clone()));
    for (i, e) in status["history"].as_array().unwrap().iter().enumerate() {
        out.push(sample("journal-entry", format!("ismap registry status kumo-base .history[{i}]"), e.clone()));
    }
    out
}

/// CLI commands with `--format json` whose output is a view of the terminal table (a listing,
/// the rule table, course facts), not a library document: they have no schema.
pub(crate) const CLI_VIEWS_WITHOUT_SCHEMA: &[&[&str]] = &[
    &["catalog", "list"],
    &["catalog", "show", "8.1.2"],
    &["catalog", "revisions"],
    &["rules"],
    &["cyder", "courses"],
    &["registry", "replay"],
];

/// The golden files under `tests/golden/<kind>/v<N>.json` (see the `versions` module).
pub(crate) fn golden() -> Vec<Sample> {
    let mut out = Vec::new();
    let dir = root().join("tests/golden");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = kind(&name).name;
        for file in std::fs::read_dir(entry.path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let origin = path.strip_prefix(root()).unwrap().display().to_string();
            match path.extension().and_then(|e| e.to_str()) {
                Some("json") => {
                    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{origin}: {e}"));
                    out.push(sample(kind, origin, value));
                }
                // A journal: one document per line.
                Some("jsonl") => {
                    for (i, line) in text.lines().enumerate() {
                        let value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{origin}:{}: {e}", i + 1));
                        out.push(sample(kind, format!("{origin}:{}", i + 1), value));
                    }
                }
                _ => panic!("{origin}: golden files are .json or .jsonl"),
            }
        }
    }
    out
}

/// The after-action report snapshot of the cyder-scenario golden test.
pub(crate) fn crate_goldens() -> Vec<Sample> {
    let path = root().join("cyder-scenario/tests/integration/snapshots/integration__golden__aar_json.snap");
    let text = std::fs::read_to_string(&path).unwrap();
    // An insta snapshot: a `---` delimited header, then the JSON.
    let body = text.splitn(3, "---").nth(2).unwrap();
    vec![sample(
        "cyder-after-action-report",
        "cyder-scenario aar_json.snap",
        serde_json::from_str(body.trim()).unwrap(),
    )]
}

pub(crate) fn all() -> Vec<Sample> {
    let mut out = embedded();
    out.extend(cli());
    out.extend(golden());
    out.extend(crate_goldens());
    out
}

#[test]
fn every_sample_validates_and_reads_back() {
    let samples = all();
    for s in &samples {
        let errors = crate::support::schema_errors(s.kind, &s.value);
        assert!(errors.is_empty(), "{} ({}): {errors:#?}", s.origin, s.kind);
        if let Some(read) = kind(s.kind).read {
            read(&s.value).unwrap_or_else(|e| panic!("{} ({}): serde rejects it: {e}", s.origin, s.kind));
        }
    }
    // Every kind has at least one sample.
    for k in KINDS {
        assert!(samples.iter().any(|s| s.kind == k.name), "no sample of `{}`", k.name);
    }
}

#[test]
fn cli_views_without_schema_are_exactly_the_listed_ones() {
    // Each listed command does print JSON (so the list is not stale) ...
    for args in CLI_VIEWS_WITHOUT_SCHEMA {
        let v = cli_json(args);
        assert!(v.is_object() || v.is_array(), "ismap {args:?}");
        // ... and none of them is a document: it validates against no schema.
        for k in KINDS {
            assert!(
                !crate::support::validator(k.name).is_valid(&v),
                "ismap {args:?} is a `{}`: give it its schema",
                k.name
            );
        }
    }
}

#[test]
fn the_shipped_catalog_and_statement_load_fully() {
    // The semantic layer too, not only serde.
    assert!(ismap::controls::Catalog::from_json_str(ismap::controls::Catalog::ismap_2022_json()).is_ok());
    assert_valid("statement", &serde_json::from_str(ismap::controls::Statement::sample_json()).unwrap());
}
