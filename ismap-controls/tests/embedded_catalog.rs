//! The embedded 2022-04-01 catalog: it loads without problems and has the documented counts
//! (`ismap-criteria-ids.md`, "Counts (2022-04-01)").
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ismap_controls::{Catalog, Completeness, Requirement};
use ismap_model::{ControlLevel, CriteriaPart, Suffix};

#[test]
fn loads_without_errors_or_warnings() {
    let (catalog, warnings) = Catalog::from_json_str(Catalog::ismap_2022_json()).unwrap();
    // The management criteria number their categories from 4.4 (facts §1.6), so the only
    // warning is the gap 4.1–4.3 under domain 4.
    let gaps: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(gaps, ["warning at $.parts[1].domains[0]: numbering gap under `4`: missing 1, 2, 3"]);
    assert_eq!(catalog.meta().completeness, Completeness::StructureOnly);
    assert_eq!(catalog.meta().version.to_string(), "2022.4.1");
    assert_eq!(catalog.meta().effective.to_string(), "2022-04-01");
    assert_eq!(Catalog::ismap_2022().nodes().len(), catalog.nodes().len());
}

fn count(part: CriteriaPart, level: ControlLevel) -> usize {
    Catalog::ismap_2022().in_part(part).filter(|n| n.level == level).count()
}

#[test]
fn governance_and_management_counts() {
    assert_eq!(count(CriteriaPart::Governance, ControlLevel::Objective), 6);
    assert_eq!(count(CriteriaPart::Governance, ControlLevel::Detailed), 18);
    assert_eq!(count(CriteriaPart::Management, ControlLevel::Objective), 21);
    assert_eq!(count(CriteriaPart::Management, ControlLevel::Detailed), 64);
    assert!(
        Catalog::ismap_2022()
            .nodes()
            .filter(|n| n.part != CriteriaPart::Controls && n.level >= ControlLevel::Objective)
            .all(|n| n.requirement == Requirement::Required)
    );
}

#[test]
fn controls_counts() {
    let c = Catalog::ismap_2022();
    assert_eq!(count(CriteriaPart::Controls, ControlLevel::Domain), 14);
    assert_eq!(count(CriteriaPart::Controls, ControlLevel::Category), 37);
    assert_eq!(count(CriteriaPart::Controls, ControlLevel::Objective), 121);
    let cloud_objectives: Vec<String> = c
        .in_part(CriteriaPart::Controls)
        .filter(|n| n.level == ControlLevel::Objective && n.cloud_specific)
        .map(|n| n.id.to_string())
        .collect();
    assert_eq!(cloud_objectives, ["6.3.1.P", "8.1.5.P", "9.5.1.P", "9.5.2.P", "12.1.5.P", "12.4.5.P", "13.1.4.P"]);
    let detailed: Vec<_> = c.in_part(CriteriaPart::Controls).filter(|n| n.level == ControlLevel::Detailed).collect();
    assert_eq!(detailed.len(), 31);
    assert_eq!(detailed.iter().filter(|n| n.id.suffix() == Some(Suffix::PB)).count(), 28);
    assert_eq!(detailed.iter().filter(|n| n.id.suffix() == Some(Suffix::B)).count(), 3);
    assert!(detailed.iter().all(|n| n.requirement == Requirement::RequiredUnlessObjectiveExcluded));
    // Every controls objective and above has a title; refs point at ISO/IEC 27002 or 27017.
    for n in c.in_part(CriteriaPart::Controls).filter(|n| n.level <= ControlLevel::Objective) {
        assert!(n.title.as_ref().is_some_and(|t| t.is_bilingual()), "{} lacks a bilingual title", n.id);
    }
}

#[test]
fn round_trips_through_the_document_form() {
    let c = Catalog::ismap_2022();
    let doc = c.to_document();
    let (again, _) = Catalog::from_document(&doc).unwrap();
    assert_eq!(again.to_document(), doc);
    let json: serde_json::Value = serde_json::from_str(Catalog::ismap_2022_json()).unwrap();
    assert_eq!(serde_json::to_value(&doc).unwrap(), json, "the data file is in canonical form");
}
