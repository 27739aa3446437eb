//! Every conformance rule, positive and negative, on a small complete catalog.
//!
//! `conformant()` is a statement with no finding at all; each test breaks it in one way and
//! checks that exactly the expected rule fires (and that it does not fire on the original).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ismap_controls::{
    AgencyAdditions, Assessment, AssessmentReport, Baseline, Catalog, Rule, Severity, Statement, Verdict,
};
use serde_json::{Value, json};

fn catalog_json(completeness: &str) -> Value {
    let t = |s: &str| json!({"ja": s, "en": s});
    json!({
        "name": t("test"), "version": "1.0.0", "effective": "2022-04-01", "completeness": completeness,
        "parts": [
            {"part": "governance", "domains": [{"id": "3", "title": t("gov"), "categories": [
                {"id": "3.1", "title": t("g"), "objectives": [
                    {"id": "3.1.1", "title": t("overview")},
                    {"id": "3.1.2", "title": t("evaluate"), "controls": [{"id": "3.1.2.1", "title": t("e1")}]}
                ]}]}]},
            {"part": "management", "domains": [{"id": "4", "title": t("mgmt"), "categories": [
                {"id": "4.1", "title": t("m"), "objectives": [
                    {"id": "4.1.1", "title": t("m1"), "controls": [{"id": "4.1.1.1", "title": t("m11")}]}
                ]}]}]},
            {"part": "controls", "domains": [
                {"id": "8", "title": t("assets"), "categories": [{"id": "8.1", "title": t("resp"), "objectives": [
                    {"id": "8.1.1", "title": t("inventory"), "controls": [
                        {"id": "8.1.1.1", "title": t("opt")}, {"id": "8.1.1.2.PB", "title": t("basic")}]},
                    {"id": "8.1.2", "title": t("ownership"), "controls": [{"id": "8.1.2.1", "title": t("opt")}]}
                ]}]},
                {"id": "9", "title": t("access"), "categories": [{"id": "9.1", "title": t("ac"), "objectives": [
                    {"id": "9.1.1", "title": t("policy"), "controls": [
                        {"id": "9.1.1.1", "title": t("opt")}, {"id": "9.1.1.2.B", "title": t("basic")}]}
                ]}]}
            ]}
        ]
    })
}

fn catalog() -> Catalog {
    Catalog::from_document(&serde_json::from_value(catalog_json("complete")).unwrap()).unwrap().0
}

fn structure_only_catalog() -> Catalog {
    Catalog::from_document(&serde_json::from_value(catalog_json("structure_only")).unwrap()).unwrap().0
}

fn sel(id: &str) -> Value {
    json!({"id": id, "status": "selected", "controls": [{"ref": "X-1", "text": format!("control for {id}")}]})
}

fn conformant() -> Value {
    let ids = [
        "3.1.1",
        "3.1.2",
        "3.1.2.1",
        "4.1.1",
        "4.1.1.1",
        "8.1.1",
        "8.1.1.1",
        "8.1.1.2.PB",
        "8.1.2",
        "8.1.2.1",
        "9.1.1",
        "9.1.1.1",
        "9.1.1.2.B",
    ];
    json!({
        "service": {
            "name": {"ja": "テスト", "en": "Test"},
            "provider": {"name": {"en": "Provider"}},
            "model": "SaaS",
            "regions": ["Tokyo"],
            "underlying": [
                {"key": "iaas", "name": {"en": "IaaS"}, "registration": "C21-0004-2"},
                {"key": "cdn", "name": {"en": "CDN"}}
            ]
        },
        "program": "ISMAP",
        "catalog_version": "1.0.0",
        "period": {"start": "2024-04-01", "end": "2025-03-31"},
        "representative": {"name": "Name", "title": "CISO"},
        "selections": ids.iter().map(|i| sel(i)).collect::<Vec<_>>()
    })
}

fn assess_with(st: &Value, catalog: &Catalog, baseline: &Baseline, additions: &[AgencyAdditions]) -> AssessmentReport {
    let statement: Statement = serde_json::from_value(st.clone()).unwrap();
    Assessment::new(catalog, baseline).with_additions(additions).assess(&statement)
}

fn assess(st: &Value) -> AssessmentReport {
    assess_with(st, &catalog(), &Baseline::ismap(), &[])
}

fn set(st: &mut Value, id: &str, entry: Value) {
    let list = st["selections"].as_array_mut().unwrap();
    let pos = list.iter().position(|s| s["id"] == id).unwrap();
    list[pos] = entry;
}

fn remove(st: &mut Value, id: &str) {
    st["selections"].as_array_mut().unwrap().retain(|s| s["id"] != id);
}

/// Asserts the rule fires (and names `control` when given) and the verdict follows its severity.
fn fires(r: &AssessmentReport, rule: Rule, control: Option<&str>) {
    let hit = r.findings.iter().find(|f| f.rule == rule);
    let hit = hit.unwrap_or_else(|| panic!("{rule} did not fire: {:#?}", r.findings));
    if let Some(c) = control {
        assert_eq!(hit.control.map(|c| c.to_string()).as_deref(), Some(c), "{hit:?}");
    }
    if rule.severity() == Severity::Error {
        assert_eq!(r.verdict, Verdict::NotConformant);
    }
}

#[test]
fn the_conformant_statement_has_no_finding() {
    let r = assess(&conformant());
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.verdict, Verdict::Conformant);
    assert_eq!(r.totals.selected, 13);
    for rule in Rule::ALL {
        assert!(!r.has(rule));
    }
}

#[test]
fn required_item_not_selected() {
    let mut st = conformant();
    remove(&mut st, "4.1.1.1");
    fires(&assess(&st), Rule::RequiredItemNotSelected, Some("4.1.1.1"));
    let mut st = conformant();
    set(&mut st, "3.1.2", json!({"id": "3.1.2", "status": "not_selected", "reason": "n/a"}));
    fires(&assess(&st), Rule::RequiredItemNotSelected, Some("3.1.2"));
}

#[test]
fn objective_not_addressed() {
    let mut st = conformant();
    remove(&mut st, "8.1.2");
    remove(&mut st, "8.1.2.1");
    let r = assess(&st);
    fires(&r, Rule::ObjectiveNotAddressed, Some("8.1.2"));
    // 8.1.2.1 is optional: left out against a complete catalog it is unaddressed, not an objective error.
    assert!(r.findings.iter().any(|f| f.rule == Rule::DetailedControlUnaddressed));
}

#[test]
fn excluded_objective_is_fine_with_a_reason_and_covers_its_basic_controls() {
    let mut st = conformant();
    set(&mut st, "8.1.1", json!({"id": "8.1.1", "status": "excluded", "reason": "no assets of this kind"}));
    remove(&mut st, "8.1.1.1");
    remove(&mut st, "8.1.1.2.PB");
    let r = assess(&st);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.totals.excluded, 1);
}

#[test]
fn reason_missing() {
    let mut st = conformant();
    set(&mut st, "8.1.2", json!({"id": "8.1.2", "status": "excluded", "reason": "  "}));
    remove(&mut st, "8.1.2.1");
    fires(&assess(&st), Rule::ReasonMissing, Some("8.1.2"));
    let mut st = conformant();
    set(&mut st, "8.1.1.1", json!({"id": "8.1.1.1", "status": "not_selected", "reason": ""}));
    let r = assess(&st);
    fires(&r, Rule::ReasonMissing, Some("8.1.1.1"));
    assert_eq!(r.findings[0].path.as_deref(), Some("$.selections[6].reason"));
}

#[test]
fn basic_requirement_not_selected() {
    let mut st = conformant();
    set(&mut st, "9.1.1.2.B", json!({"id": "9.1.1.2.B", "status": "not_selected", "reason": "alternative"}));
    fires(&assess(&st), Rule::BasicRequirementNotSelected, Some("9.1.1.2.B"));
    let mut st = conformant();
    remove(&mut st, "8.1.1.2.PB");
    fires(&assess(&st), Rule::BasicRequirementNotSelected, Some("8.1.1.2.PB"));
}

#[test]
fn detailed_control_unaddressed_whenever_the_catalog_lists_it() {
    let mut st = conformant();
    remove(&mut st, "9.1.1.1");
    fires(&assess(&st), Rule::DetailedControlUnaddressed, Some("9.1.1.1"));
    // A structure-only catalog that does list an optional control still needs an answer for it;
    // the embedded one lists none, so the rule cannot fire there.
    let r = assess_with(&st, &structure_only_catalog(), &Baseline::ismap(), &[]);
    fires(&r, Rule::DetailedControlUnaddressed, Some("9.1.1.1"));
    let embedded = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&Statement::try_sample().unwrap());
    assert!(!embedded.has(Rule::DetailedControlUnaddressed));
}

#[test]
fn individual_control_missing() {
    let mut st = conformant();
    set(&mut st, "8.1.2.1", json!({"id": "8.1.2.1", "status": "selected", "controls": [{"text": " "}]}));
    fires(&assess(&st), Rule::IndividualControlMissing, Some("8.1.2.1"));
    // A mandatory governance item without detailed controls needs its own individual control.
    let mut st = conformant();
    set(&mut st, "3.1.1", json!({"id": "3.1.1", "status": "selected"}));
    fires(&assess(&st), Rule::IndividualControlMissing, Some("3.1.1"));
    // An objective with detailed controls does not.
    let mut st = conformant();
    set(&mut st, "8.1.1", json!({"id": "8.1.1", "status": "selected"}));
    assert!(assess(&st).findings.is_empty());
}

#[test]
fn inheritance_needs_a_registered_underlying_service() {
    let mut st = conformant();
    set(&mut st, "8.1.2.1", json!({"id": "8.1.2.1", "status": "inherited", "from": "iaas"}));
    assert!(assess(&st).findings.is_empty());
    set(&mut st, "8.1.2.1", json!({"id": "8.1.2.1", "status": "inherited", "from": "cdn"}));
    fires(&assess(&st), Rule::InheritanceUnregistered, Some("8.1.2.1"));
    set(&mut st, "8.1.2.1", json!({"id": "8.1.2.1", "status": "inherited", "from": "nowhere"}));
    fires(&assess(&st), Rule::InheritanceUnregistered, Some("8.1.2.1"));
}

#[test]
fn selected_under_excluded_objective() {
    let mut st = conformant();
    set(&mut st, "8.1.1", json!({"id": "8.1.1", "status": "excluded", "reason": "does not apply"}));
    let r = assess(&st);
    fires(&r, Rule::SelectedUnderExcludedObjective, Some("8.1.1.1"));
    assert!(r.findings.iter().any(|f| f.control.map(|c| c.to_string()).as_deref() == Some("8.1.1.2.PB")));
}

#[test]
fn exclusion_not_allowed() {
    let mut st = conformant();
    set(&mut st, "8.1.1.1", json!({"id": "8.1.1.1", "status": "excluded", "reason": "x"}));
    fires(&assess(&st), Rule::ExclusionNotAllowed, Some("8.1.1.1"));
    let mut st = conformant();
    set(&mut st, "4.1.1", json!({"id": "4.1.1", "status": "excluded", "reason": "x"}));
    let r = assess(&st);
    fires(&r, Rule::ExclusionNotAllowed, Some("4.1.1"));
    fires(&r, Rule::RequiredItemNotSelected, Some("4.1.1"));
}

#[test]
fn not_selectable() {
    let mut st = conformant();
    st["selections"].as_array_mut().unwrap().push(sel("8.1"));
    fires(&assess(&st), Rule::NotSelectable, Some("8.1"));
}

#[test]
fn unknown_control_is_an_error_or_a_warning_by_completeness() {
    let mut st = conformant();
    st["selections"].as_array_mut().unwrap().push(sel("8.1.1.9"));
    let r = assess(&st);
    fires(&r, Rule::UnknownControl, Some("8.1.1.9"));
    assert_eq!(r.verdict, Verdict::NotConformant);
    let r = assess_with(&st, &structure_only_catalog(), &Baseline::ismap(), &[]);
    let f = r.findings.iter().find(|f| f.rule == Rule::UnknownControl).unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(r.verdict, Verdict::Conformant);
    // A suffix that differs from the catalog's is an error either way.
    let mut st = conformant();
    set(&mut st, "8.1.1.2.PB", sel("8.1.1.2.P"));
    let r = assess_with(&st, &structure_only_catalog(), &Baseline::ismap(), &[]);
    assert!(r.findings.iter().any(|f| f.rule == Rule::UnknownControl && f.severity == Severity::Error));
}

/// Issue 13 item 4: the structure-only catalog is complete down to the objectives (Control
/// Criteria Chapter 5 lists every objective; only the optional detailed controls of Attached
/// table 3 are left out), so only an unknown detailed control under a known objective is a
/// warning; an unknown domain, category or objective is an error.
#[test]
fn unknown_ids_above_the_detailed_controls_are_errors_even_against_a_structure_only_catalog() {
    let severity_of = |id: &str| {
        let mut st = conformant();
        st["selections"].as_array_mut().unwrap().push(sel(id));
        let r = assess_with(&st, &structure_only_catalog(), &Baseline::ismap(), &[]);
        let f = r.findings.iter().find(|f| f.rule == Rule::UnknownControl).unwrap().clone();
        (f.severity, f.message.get(ismap_model::Lang::En).to_owned())
    };
    assert_eq!(severity_of("9.1.1.7").0, Severity::Warning);
    let (sev, msg) = severity_of("99.1.1.1");
    assert_eq!(sev, Severity::Error);
    assert!(msg.contains("`99` does not exist"), "{msg}");
    let (sev, msg) = severity_of("8.1.3");
    assert_eq!(sev, Severity::Error);
    assert!(msg.contains("`8.1.3` does not exist"), "{msg}");
    let (sev, msg) = severity_of("8.1.3.1");
    assert_eq!(sev, Severity::Error);
    assert!(msg.contains("`8.1.3` does not exist"), "{msg}");
    assert_eq!(severity_of("8.2.1").0, Severity::Error);
    // Governance and management items are all listed even in a structure-only catalog.
    assert_eq!(severity_of("3.1.2.9").0, Severity::Error);
}

/// Issue 13 item 3 (Control Criteria §2.2.4: excluding an objective excludes its detailed
/// controls): a control the catalog does not list is still under its objective by its id.
#[test]
fn an_excluded_objective_covers_unlisted_controls_too() {
    let mut st = conformant();
    set(&mut st, "9.1.1", json!({"id": "9.1.1", "status": "excluded", "reason": "does not apply"}));
    for id in ["9.1.1.1", "9.1.1.2.B"] {
        remove(&mut st, id);
    }
    st["selections"].as_array_mut().unwrap().push(sel("9.1.1.7"));
    let r = assess_with(&st, &structure_only_catalog(), &Baseline::ismap(), &[]);
    fires(&r, Rule::SelectedUnderExcludedObjective, Some("9.1.1.7"));
    assert_eq!(r.verdict, Verdict::NotConformant);
    // Not selected under the excluded objective: fine.
    set(&mut st, "9.1.1.7", json!({"id": "9.1.1.7", "status": "not_selected", "reason": "objective excluded"}));
    let r = assess_with(&st, &structure_only_catalog(), &Baseline::ismap(), &[]);
    assert!(!r.has(Rule::SelectedUnderExcludedObjective));
}

/// Issue 13 item 2 (Control Criteria §2.2.2, §2.2.4): inheritance covers controls implemented by
/// the underlying service, so governance (Chapter 3) and management (Chapter 4) items, which
/// belong to the provider's own organisation, cannot be inherited.
#[test]
fn governance_and_management_items_cannot_be_inherited() {
    for id in ["3.1.2.1", "4.1.1", "4.1.1.1"] {
        let mut st = conformant();
        set(&mut st, id, json!({"id": id, "status": "inherited", "from": "iaas"}));
        let r = assess(&st);
        fires(&r, Rule::InheritanceNotApplicable, Some(id));
        assert!(!r.has(Rule::InheritanceUnregistered));
    }
    let mut st = conformant();
    set(&mut st, "8.1.1.1", json!({"id": "8.1.1.1", "status": "inherited", "from": "iaas"}));
    assert!(assess(&st).findings.is_empty());
}

#[test]
fn duplicate_selection() {
    let mut st = conformant();
    st["selections"].as_array_mut().unwrap().push(sel("8.1.2.1"));
    let r = assess(&st);
    fires(&r, Rule::DuplicateSelection, Some("8.1.2.1"));
    assert_eq!(r.findings[0].path.as_deref(), Some("$.selections[13]"));
}

#[test]
fn assessment_period_length() {
    let mut st = conformant();
    st["period"] = json!({"start": "2024-04-01", "end": "2024-06-29"});
    fires(&assess(&st), Rule::AssessmentPeriodLength, None);
    st["period"] = json!({"start": "2024-04-01", "end": "2024-06-30"});
    assert!(!assess(&st).has(Rule::AssessmentPeriodLength));
    st["period"] = json!({"start": "2024-04-01", "end": "2025-04-01"});
    fires(&assess(&st), Rule::AssessmentPeriodLength, None);
    // Civil Code arts. 140 and 143 (months as Japanese law counts them): 12 months from
    // 29 February 2024 end on 28 February 2025; 3 months from 31 March end on 30 June.
    st["period"] = json!({"start": "2024-02-29", "end": "2025-02-28"});
    assert!(!assess(&st).has(Rule::AssessmentPeriodLength));
    st["period"] = json!({"start": "2024-03-31", "end": "2024-06-29"});
    fires(&assess(&st), Rule::AssessmentPeriodLength, None);
    st["period"] = json!({"start": "2024-03-31", "end": "2024-06-30"});
    assert!(!assess(&st).has(Rule::AssessmentPeriodLength));
}

#[test]
fn assessment_period_not_contiguous() {
    let mut st = conformant();
    st["previous_period"] = json!({"start": "2023-04-01", "end": "2024-03-31"});
    assert!(assess(&st).findings.is_empty());
    st["previous_period"] = json!({"start": "2023-04-01", "end": "2024-03-30"});
    fires(&assess(&st), Rule::AssessmentPeriodNotContiguous, None);
}

#[test]
fn change_outside_period() {
    let mut st = conformant();
    let change = |d: &str| json!({"changed_on": d, "before": "weekly", "after": "daily"});
    let with = |changes: Value| json!({"id": "8.1.2.1", "status": "selected", "controls": [{"text": "c"}], "changes": changes});
    set(&mut st, "8.1.2.1", with(json!([change("2024-10-01"), change("2025-03-31")])));
    assert!(assess(&st).findings.is_empty());
    set(&mut st, "8.1.2.1", with(json!([change("2024-04-01")])));
    fires(&assess(&st), Rule::ChangeOutsidePeriod, Some("8.1.2.1"));
    set(&mut st, "8.1.2.1", with(json!([change("2024-10-01"), change("2024-09-01")])));
    let r = assess(&st);
    fires(&r, Rule::ChangeOutsidePeriod, Some("8.1.2.1"));
    assert_eq!(r.findings[0].path.as_deref(), Some("$.selections[9].changes[1].changed_on"));
}

#[test]
fn objective_without_detailed_control_is_a_warning() {
    let mut st = conformant();
    set(&mut st, "8.1.2.1", json!({"id": "8.1.2.1", "status": "not_selected", "reason": "not needed"}));
    let r = assess(&st);
    fires(&r, Rule::ObjectiveWithoutDetailedControl, Some("8.1.2"));
    assert_eq!(r.verdict, Verdict::Conformant);
}

#[test]
fn catalog_version_mismatch() {
    let mut st = conformant();
    st["catalog_version"] = json!("2.0.0");
    fires(&assess(&st), Rule::CatalogVersionMismatch, None);
}

#[test]
fn liu_is_for_saas_only_and_must_match_the_baseline() {
    let mut st = conformant();
    st["program"] = json!("ISMAP-LIU");
    let liu = Baseline::liu();
    let r = assess_with(&st, &catalog(), &liu, &[]);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert!(r.audit_scope.is_some());
    st["service"]["model"] = json!("PaaS");
    fires(&assess_with(&st, &catalog(), &liu, &[]), Rule::ProgramNotAdmitted, None);
    fires(&assess(&st), Rule::BaselineProgramMismatch, None);
}

#[test]
fn representative_missing() {
    let mut st = conformant();
    st["representative"]["title"] = json!("");
    fires(&assess(&st), Rule::RepresentativeMissing, None);
}

fn additions() -> AgencyAdditions {
    AgencyAdditions::from_json_str(
        r#"{"agency": {"ja": "架空庁", "en": "Fictional Agency"},
            "require": ["8.1.1.1"],
            "requirements": [{"id": "FA-01", "title": {"ja": "国内データ保管", "en": "Data kept in Japan"}}]}"#,
    )
    .unwrap()
}

#[test]
fn agency_additions() {
    let adds = [additions()];
    let mut st = conformant();
    st["agency_responses"] = json!([{"id": "FA-01", "controls": [{"text": "all data in Tokyo and Osaka"}]}]);
    let r = assess_with(&st, &catalog(), &Baseline::ismap(), &adds);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.agencies.len(), 1);

    set(&mut st, "8.1.1.1", json!({"id": "8.1.1.1", "status": "not_selected", "reason": "optional"}));
    fires(&assess_with(&st, &catalog(), &Baseline::ismap(), &adds), Rule::AgencyControlNotSelected, Some("8.1.1.1"));

    let mut st = conformant();
    fires(&assess_with(&st, &catalog(), &Baseline::ismap(), &adds), Rule::AgencyRequirementUnaddressed, None);
    st["agency_responses"] = json!([{"id": "FA-01", "controls": [{"text": "ok"}]}, {"id": "XX-9", "controls": []}]);
    let r = assess_with(&st, &catalog(), &Baseline::ismap(), &adds);
    fires(&r, Rule::UnknownAgencyRequirement, None);
    assert_eq!(r.verdict, Verdict::Conformant, "an unknown response is a warning");
}

#[test]
fn agency_documents_reject_duplicate_and_malformed_ids() {
    let dup = r#"{"agency": {"en": "A"}, "requirements": [{"id": "A-1", "title": {"en": "x"}}, {"id": "A-1", "title": {"en": "y"}}]}"#;
    let e = AgencyAdditions::from_json_str(dup).unwrap_err();
    assert_eq!(e.path, "$.requirements[1].id");
    let bad = r#"{"agency": {"en": "A"}, "requirements": [{"id": "a b", "title": {"en": "x"}}]}"#;
    assert_eq!(AgencyAdditions::from_json_str(bad).unwrap_err().path, "$.requirements[0].id");
}

#[test]
fn findings_are_all_reported_at_once_in_a_deterministic_order() {
    let mut st = conformant();
    remove(&mut st, "4.1.1.1");
    set(&mut st, "9.1.1.2.B", json!({"id": "9.1.1.2.B", "status": "not_selected", "reason": ""}));
    st["period"] = json!({"start": "2024-04-01", "end": "2024-05-01"});
    st["selections"].as_array_mut().unwrap().push(sel("8.1.1.9"));
    let r = assess(&st);
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    assert_eq!(
        rules,
        [
            "assessment-period-length",
            "required-item-not-selected",
            "unknown-control",
            "reason-missing",
            "basic-requirement-not-selected"
        ]
    );
    assert_eq!(r.totals.errors, 5);
    let again = assess(&st);
    assert_eq!(serde_json::to_string(&r).unwrap(), serde_json::to_string(&again).unwrap());
}

#[test]
fn statements_reject_unknown_fields_and_bad_ids_with_a_path() {
    let mut st = conformant();
    st["selections"][2]["id"] = json!("3.1.2.1.X");
    let e = Statement::from_json_str(&st.to_string()).unwrap_err();
    assert!(e.path.starts_with("$.selections[2]"), "{e}");
    let mut st = conformant();
    st["surprise"] = json!(1);
    let e = Statement::from_json_str(&st.to_string()).unwrap_err();
    assert!(e.message.contains("surprise"), "{e}");
    let mut st = conformant();
    st["period"] = json!({"start": "2025-04-01", "end": "2024-04-01"});
    assert!(Statement::from_json_str(&st.to_string()).is_err());
}

#[test]
fn statements_load_from_toml_too() {
    let toml = r#"
program = "ISMAP"
catalog_version = "1.0.0"
[service]
name = { ja = "テスト" }
provider = { name = { en = "P" } }
model = "SaaS"
[period]
start = "2024-04-01"
end = "2025-03-31"
[representative]
name = "N"
title = "CISO"
[[selections]]
id = "8.1.1"
status = "excluded"
reason = "does not apply"
"#;
    let st = Statement::from_toml_str(toml).unwrap();
    assert_eq!(st.selections.len(), 1);
    let e = Statement::from_toml_str(&toml.replace("\"8.1.1\"", "\"8..1\"")).unwrap_err();
    assert_eq!(e.format, "TOML");
    assert!(e.path.contains("selections"), "{e}");
}

#[test]
fn the_embedded_sample_is_not_conformant_for_realistic_reasons() {
    let r = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&Statement::try_sample().unwrap());
    assert_eq!(r.verdict, Verdict::NotConformant);
    for rule in [
        Rule::RequiredItemNotSelected,
        Rule::ReasonMissing,
        Rule::BasicRequirementNotSelected,
        Rule::InheritanceUnregistered,
        Rule::ChangeOutsidePeriod,
        Rule::IndividualControlMissing,
        Rule::ObjectiveWithoutDetailedControl,
    ] {
        assert!(r.has(rule), "{rule}");
    }
}

/// Issue 13 item 4 against the embedded 2022-04-01 structure: `99.1.1.1` (no domain 99) and
/// `5.1.3` (domain 5 has objectives 5.1.1 and 5.1.2 only, Control Criteria Chapter 5) are errors;
/// `5.1.1.9`, an unlisted detailed control under a known objective, stays a warning.
#[test]
fn unknown_ids_against_the_embedded_structure() {
    let mut st = Statement::try_sample().unwrap();
    let mut add = |id: &str| {
        let v = sel(id);
        st.selections.push(serde_json::from_value(v).unwrap());
    };
    for id in ["99.1.1.1", "5.1.3", "5.1.1.9"] {
        add(id);
    }
    let r = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&st);
    let severity = |id: &str| {
        r.findings
            .iter()
            .find(|f| f.rule == Rule::UnknownControl && f.control.map(|c| c.to_string()).as_deref() == Some(id))
            .map(|f| f.severity)
    };
    assert_eq!(severity("99.1.1.1"), Some(Severity::Error));
    assert_eq!(severity("5.1.3"), Some(Severity::Error));
    assert_eq!(severity("5.1.1.9"), Some(Severity::Warning));
}
