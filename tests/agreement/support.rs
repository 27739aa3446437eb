//! The document kinds under test: each committed schema, its serde reader, and its samples.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// What serde says about a JSON value: `Ok` when the Rust type reads it.
pub(crate) type SerdeReader = fn(&Value) -> Result<(), String>;

/// One document kind: a committed schema and, when the type can be read back, its serde reader.
pub(crate) struct Kind {
    pub(crate) name: &'static str,
    /// `None` for write-only reports (the Rust type implements `Serialize` only): the schema is
    /// the serialization contract, checked by the sample tests, and there is no reader to
    /// disagree with.
    pub(crate) read: Option<SerdeReader>,
}

fn read<T: DeserializeOwned>(v: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(v.clone()).map(drop).map_err(|e| e.to_string())
}

/// Every kind, one per committed schema (checked against `ismap::schema::all()`).
pub(crate) const KINDS: &[Kind] = &[
    Kind { name: "catalog", read: Some(read::<ismap::controls::CatalogDocument>) },
    Kind { name: "statement", read: Some(read::<ismap::controls::Statement>) },
    Kind { name: "agency-additions", read: Some(read::<ismap::controls::AgencyAdditions>) },
    Kind { name: "baseline", read: Some(read::<ismap::controls::Baseline>) },
    Kind { name: "assessment-report", read: Some(read::<ismap::controls::AssessmentReport>) },
    Kind { name: "column-mapping", read: Some(read::<ismap::controls::import::ColumnMapping>) },
    Kind { name: "catalog-validation-report", read: None },
    Kind { name: "statement-template", read: Some(read::<ismap::controls::workbook::StatementTemplate>) },
    Kind { name: "statement-mapping", read: Some(read::<ismap::controls::workbook::StatementMapping>) },
    Kind { name: "statement-validation-report", read: Some(read::<ismap::controls::StatementValidation>) },
    Kind { name: "catalog-diff", read: None },
    Kind { name: "cyder-scenario", read: Some(read::<cyder_scenario::ScenarioDocument>) },
    Kind { name: "cyder-action-log", read: Some(read::<cyder_scenario::ActionLog>) },
    Kind { name: "cyder-validation-report", read: Some(read::<cyder_scenario::ValidationReport>) },
    Kind { name: "cyder-analysis", read: Some(read::<cyder_scenario::Analysis>) },
    Kind { name: "cyder-after-action-report", read: Some(read::<cyder_scenario::AfterActionReport>) },
    Kind { name: "cyder-score-card", read: Some(read::<cyder_scenario::ScoreCard>) },
    Kind { name: "registration-event", read: Some(read::<ismap_workflow::Event>) },
    Kind { name: "journal-entry", read: Some(read::<ismap_workflow::JournalEntry>) },
    Kind { name: "cloud-service-list", read: None },
    Kind { name: "service-status", read: None },
    Kind { name: "registration-deadlines", read: None },
    Kind { name: "procurement-decision", read: None },
    Kind { name: "journal-verify-report", read: None },
    Kind { name: "journal-checkpoint", read: Some(read::<ismap_workflow::Checkpoint>) },
    Kind { name: "workflow-rules", read: Some(read::<ismap_workflow::WorkflowRules>) },
    Kind { name: "settings", read: Some(read::<ismap_workflow::Settings>) },
];

pub(crate) fn kind(name: &str) -> &'static Kind {
    KINDS.iter().find(|k| k.name == name).unwrap_or_else(|| panic!("no document kind `{name}`"))
}

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The committed schema of `name`.
pub(crate) fn schema(name: &str) -> Value {
    let path = root().join("schemas").join(format!("{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A validator for the committed schema of `name`, formats checked (as in schemars' own tests).
pub(crate) fn validator(name: &str) -> &'static jsonschema::Validator {
    static CACHE: OnceLock<Vec<(&'static str, jsonschema::Validator)>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        KINDS
            .iter()
            .map(|k| {
                let v = jsonschema::options().should_validate_formats(true).build(&schema(k.name)).unwrap();
                (k.name, v)
            })
            .collect()
    });
    &all.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no schema `{name}`")).1
}

/// The schema's complaints about `instance` (empty when valid).
pub(crate) fn schema_errors(name: &str, instance: &Value) -> Vec<String> {
    validator(name).iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).take(10).collect()
}

pub(crate) fn assert_valid(name: &str, instance: &Value) {
    let errors = schema_errors(name, instance);
    assert!(errors.is_empty(), "{name}: {errors:#?}");
}

pub(crate) fn yaml_to_json(yaml: &str) -> Value {
    serde_norway::from_str(yaml).unwrap()
}
