//! The public API as a downstream crate sees it, through the `ismap` facade.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ismap::controls::catalog::{
    CatalogDocument, CategoryDocument, DetailedDocument, DomainDocument, ObjectiveDocument, PartDocument,
};
use ismap::controls::{
    AgencyAdditions, Assessment, Baseline, Catalog, Completeness, Requirement, Rule, Severity, Statement, Verdict,
};
use ismap::model::{ControlId, ControlLevel, CriteriaPart, Lang, PeriodRule, Text};

#[test]
fn walk_the_embedded_catalog() {
    let c = Catalog::ismap_2022();
    let id: ControlId = "9.5.2.1.PB".parse().unwrap();
    let node = c.get(&id).unwrap();
    assert_eq!(node.requirement, Requirement::RequiredUnlessObjectiveExcluded);
    let chain: Vec<String> = std::iter::successors(Some(node), |n| c.parent(n)).map(|n| n.id.to_string()).collect();
    assert_eq!(chain, ["9.5.2.1.PB", "9.5.2.P", "9.5.P", "9"]);
    assert_eq!(c.domain_of(node).unwrap().title.as_ref().unwrap().get(Lang::En), "Access control");
    let objectives = c.at_level(ControlLevel::Objective).filter(|n| n.part == CriteriaPart::Controls).count();
    assert_eq!(objectives, 121);
    // Nodes come in numeric order.
    let ids: Vec<ControlId> = c.nodes().map(|n| n.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn build_a_catalog_in_code_and_assess_with_options() {
    let t = |s: &str| Some(Text::new(s, s));
    let doc = CatalogDocument::new(
        Text::new("小さな基準", "Small criteria"),
        "1.0.0",
        chrono::NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        Completeness::Complete,
        vec![PartDocument::new(
            CriteriaPart::Controls,
            vec![DomainDocument::new(
                "5",
                t("policies"),
                vec![CategoryDocument::new(
                    "5.1",
                    t("direction"),
                    vec![ObjectiveDocument::new(
                        "5.1.1",
                        t("policy set"),
                        vec![{
                            let mut d = DetailedDocument::new("5.1.1.1.B");
                            d.title = t("approved policy");
                            d
                        }],
                    )],
                )],
            )],
        )],
    );
    let (catalog, warnings) = Catalog::from_document(&doc).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(catalog.to_document(), doc);

    let statement = Statement::from_json_str(
        r#"{"service": {"name": {"en": "S"}, "provider": {"name": {"en": "P"}}, "model": "IaaS"},
            "program": "ISMAP", "catalog_version": "1.0.0",
            "period": {"start": "2024-04-01", "end": "2024-05-31"},
            "representative": {"name": "N", "title": "CEO"},
            "selections": [{"id": "5.1.1", "status": "selected"},
                           {"id": "5.1.1.1.B", "status": "selected", "controls": [{"text": "policy approved by the board"}]}]}"#,
    )
    .unwrap();
    let baseline = Baseline::ismap();
    let strict = Assessment::new(&catalog, &baseline).assess(&statement);
    assert_eq!(strict.verdict, Verdict::NotConformant);
    assert!(strict.has(Rule::AssessmentPeriodLength));
    // The period rule is configurable.
    let relaxed = Assessment::new(&catalog, &baseline).with_period_rule(PeriodRule::new(2, 12)).assess(&statement);
    assert_eq!(relaxed.verdict, Verdict::Conformant, "{:#?}", relaxed.findings);

    let additions = AgencyAdditions::from_json_str(
        r#"{"agency": {"en": "Agency"}, "requirements": [{"id": "AG-1", "title": {"en": "Data in Japan"}}]}"#,
    )
    .unwrap();
    let with_agency = Assessment::new(&catalog, &baseline)
        .with_period_rule(PeriodRule::new(2, 12))
        .with_additions(std::slice::from_ref(&additions))
        .assess(&statement);
    assert!(with_agency.has(Rule::AgencyRequirementUnaddressed));
}

#[test]
fn reports_round_trip_through_json() {
    let report = Assessment::new(Catalog::ismap_2022(), &Baseline::liu()).assess(&Statement::try_sample().unwrap());
    let json = serde_json::to_string(&report).unwrap();
    let back: ismap::controls::AssessmentReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    assert!(report.with_severity(Severity::Error).all(|f| !f.message.get(Lang::Ja).is_empty()));
    let sum: usize = report.parts.iter().map(|p| p.tally.errors).sum();
    let unattributed = report.findings.iter().filter(|f| f.control.is_none() && f.severity == Severity::Error).count();
    assert_eq!(sum + unattributed, report.totals.errors);
}
