//! Invariants of a loaded scenario, shared by the scenario targets.

use cyder_scenario::{AnalysisOptions, Format, load_scenario, parse_document, validate};

/// Parses, validates, round-trips and analyses `s`.
pub fn check(s: &str, format: Format) {
    let Ok(doc) = parse_document(s, format) else { return };
    let report = validate(&doc);
    let _ = serde_json::to_string(&report).expect("a validation report serializes");
    let Ok(scenario) = load_scenario(s, format) else { return };
    let json = serde_json::to_string(&scenario).expect("a scenario serializes");
    let again = load_scenario(&json, Format::Json).expect("a scenario's own JSON loads");
    assert_eq!(serde_json::to_string(&again).expect("serialize"), json, "JSON round trip");
    let analysis = scenario.analyze(&AnalysisOptions::default());
    let _ = serde_json::to_string(&analysis).expect("an analysis serializes");
}
