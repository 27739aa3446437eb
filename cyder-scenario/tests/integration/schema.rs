//! The documents we ship and produce validate against the JSON Schemas generated from the types.

use cyder_scenario::{
    ActionLog, AfterActionReport, Analysis, AnalysisOptions, ScenarioDocument, ValidationReport, default_scenario,
    sample_log,
};
use schemars::JsonSchema;
use serde_json::Value;

fn check<T: JsonSchema>(instance: &Value) -> Vec<String> {
    let schema = schemars::generate::SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<T>();
    let schema = serde_json::to_value(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator.iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

#[test]
fn shipped_and_produced_documents_match_their_schemas() {
    let s = default_scenario().unwrap();
    assert_eq!(check::<ScenarioDocument>(&serde_json::to_value(s.document()).unwrap()), Vec::<String>::new());
    let log = sample_log().unwrap();
    assert_eq!(check::<ActionLog>(&serde_json::to_value(&log).unwrap()), Vec::<String>::new());
    let checked = log.check(&s).unwrap();
    let report = s.after_action_report(&checked);
    assert_eq!(check::<AfterActionReport>(&serde_json::to_value(&report).unwrap()), Vec::<String>::new());
    let a = s.analyze(&AnalysisOptions::default());
    assert_eq!(check::<Analysis>(&serde_json::to_value(&a).unwrap()), Vec::<String>::new());
    let v = cyder_scenario::validate(s.document());
    assert_eq!(check::<ValidationReport>(&serde_json::to_value(&v).unwrap()), Vec::<String>::new());
}

#[test]
fn the_schema_rejects_what_serde_rejects() {
    let mut doc = serde_json::to_value(default_scenario().unwrap().document()).unwrap();
    let good = doc["attackSteps"][0]["id"].clone();
    doc["attackSteps"][0]["id"] = Value::from("Recon Step");
    assert!(!check::<ScenarioDocument>(&doc).is_empty());
    assert!(serde_json::from_value::<ScenarioDocument>(doc.clone()).is_err());
    // A malformed technique id is a validation issue (reported with every other problem), not a
    // schema violation: the document type reads it as text.
    doc["attackSteps"][0]["id"] = good;
    doc["attackSteps"][0]["technique"] = Value::from("T15");
    assert!(check::<ScenarioDocument>(&doc).is_empty());
    assert!(serde_json::from_value::<ScenarioDocument>(doc.clone()).is_ok());
    doc["attackSteps"][0]["technique"] = Value::from("T1589.002");
    doc["extra"] = Value::from(1);
    assert!(!check::<ScenarioDocument>(&doc).is_empty());
    assert!(serde_json::from_value::<ScenarioDocument>(doc).is_err());
}
