//! Queries and projections over the embedded sample journal.

use chrono::NaiveDate;
use ismap_controls::{AgencyAdditions, Assessment, AssessmentReport, Baseline, Catalog, Rule, Statement, Verdict};
use ismap_model::Program;
use ismap_workflow::{
    DeadlineKind, ListFilter, ListingStatus, ProcurementCheck, Registry, ServiceId, Subject, ValidUntil, WorkflowRules,
    history, sample_entries, sample_registry,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn on(date: NaiveDate) -> Registry {
    let entries = sample_entries().unwrap();
    Registry::replay_until(WorkflowRules::default(), entries.iter().map(|e| &e.event), date).unwrap()
}

fn id(s: &str) -> ServiceId {
    s.parse().unwrap()
}

#[test]
fn lists_on_dates() {
    let names = |r: &Registry, p, date, all| {
        let mut f = ListFilter::new();
        f.include_lapsed = all;
        r.cloud_service_list(p, date, &f).entries.iter().map(|e| (e.service.to_string(), e.status)).collect::<Vec<_>>()
    };
    let r = on(d(2025, 3, 1));
    assert_eq!(
        names(&r, Program::Ismap, d(2025, 3, 1), false),
        vec![
            ("kumo-base".to_owned(), ListingStatus::Valid),
            ("hoshizora-drive".to_owned(), ListingStatus::ValidPendingRenewalDecision),
        ]
    );
    assert_eq!(names(&r, Program::Ismap, d(2025, 3, 1), true).len(), 3);
    assert_eq!(
        names(&r, Program::IsmapLiu, d(2025, 3, 1), false),
        vec![("sakura-forms".to_owned(), ListingStatus::Valid)]
    );
    // Before the first registration: empty; tsubame-mail on the list between 2022-12-15 and 2023-11-01.
    assert!(names(&on(d(2022, 1, 1)), Program::Ismap, d(2022, 1, 1), false).is_empty());
    assert_eq!(names(&on(d(2023, 11, 1)), Program::Ismap, d(2023, 11, 1), false).len(), 1);
    assert!(names(&on(d(2023, 11, 2)), Program::Ismap, d(2023, 11, 2), false).is_empty());
    assert_eq!(
        names(&on(d(2023, 11, 15)), Program::Ismap, d(2023, 11, 15), false),
        vec![("kumo-base".to_owned(), ListingStatus::Valid)]
    );
    let r = on(d(2023, 11, 2));
    assert_eq!(r.listing(&id("tsubame-mail"), d(2023, 11, 2)), ListingStatus::Expired);
    // Filters.
    let r = sample_registry().unwrap();
    let mut f = ListFilter::new();
    f.provider = Some("雲ベース".to_owned());
    assert_eq!(r.cloud_service_list(Program::Ismap, d(2025, 5, 20), &f).entries.len(), 1);
    f.provider = Some("hoshizora".to_owned());
    assert_eq!(
        r.cloud_service_list(Program::Ismap, d(2025, 5, 20), &f).entries[0].registration_number.as_str(),
        "C24-0101-1"
    );
    let mut f = ListFilter::new();
    f.institution = Some("kirigaoka-audit".parse().unwrap());
    assert_eq!(r.cloud_service_list(Program::Ismap, d(2025, 5, 20), &f).entries.len(), 1);
}

#[test]
fn renewal_after_expiry_and_delisted_institution() {
    let r = sample_registry().unwrap();
    let h = id("hoshizora-drive");
    // Renewed on 2025-04-21 on the 2023-10-01..2024-09-30 period: expiry 2026-02-01.
    assert_eq!(r.valid_until(&h, d(2025, 5, 20)), ValidUntil::Date { date: d(2026, 2, 1) });
    let before = on(d(2025, 3, 1));
    assert_eq!(before.valid_until(&h, d(2025, 3, 1)), ValidUntil::PendingRenewalDecision { expiry: d(2025, 2, 1) });
    let kiri = &r.institutions()[&"kirigaoka-audit".parse().unwrap()];
    assert_eq!(kiri.delisted_on, Some(d(2024, 12, 20)));
    let subject = Subject::Service(h);
    let entries = sample_entries().unwrap();
    assert_eq!(history(&entries, &subject).count(), 20);
}

#[test]
fn deadlines_on_2025_06_01() {
    let r = on(d(2025, 6, 1));
    let due = r.deadlines(d(2025, 6, 1), d(2025, 8, 30));
    let got: Vec<(NaiveDate, &str)> = due.deadlines.iter().map(|x| (x.due, x.service.as_str())).collect();
    assert_eq!(got, vec![(d(2025, 6, 19), "kumo-base"), (d(2025, 6, 30), "kumo-base"), (d(2025, 8, 1), "kumo-base")]);
    assert!(matches!(due.deadlines[0].kind, DeadlineKind::FinalIncidentReport { .. }));
    assert!(matches!(due.deadlines[1].kind, DeadlineKind::AuditReport { period_end } if period_end == d(2025, 3, 31)));
    // Later, the report is overdue.
    let r = on(d(2025, 7, 15));
    let late = r.deadlines(d(2025, 7, 15), d(2025, 7, 20));
    assert!(late.deadlines.iter().any(|x| x.overdue && matches!(x.kind, DeadlineKind::AuditReport { .. })));
}

fn report(verdict: Verdict, program: Program, agencies: &[&AgencyAdditions]) -> AssessmentReport {
    let statement = Statement::try_sample().unwrap();
    let baseline = if program == Program::Ismap { Baseline::ismap() } else { Baseline::liu() };
    let r = Assessment::new(Catalog::ismap_2022(), &baseline).assess(&statement);
    // Adjust the real report (a document type, so through JSON) to the case under test.
    let mut v = serde_json::to_value(&r).unwrap();
    v["verdict"] = serde_json::to_value(verdict).unwrap();
    v["program"] = serde_json::to_value(program).unwrap();
    v["service"] = serde_json::json!({"ja": "星空ドライブ", "en": "Hoshizora Drive"});
    v["period"] = serde_json::json!({"start": "2023-10-01", "end": "2024-09-30"});
    v["agencies"] = serde_json::to_value(agencies.iter().map(|a| a.agency.clone()).collect::<Vec<_>>()).unwrap();
    serde_json::from_value(v).unwrap()
}

#[test]
fn may_procure_combines_registry_and_conformance() {
    let r = sample_registry().unwrap();
    let h = id("hoshizora-drive");
    let date = d(2025, 5, 20);
    let agency: AgencyAdditions =
        AgencyAdditions::from_json_str(r#"{"agency": {"ja": "架空庁", "en": "Example Agency"}}"#).unwrap();
    let ok = r.may_procure(
        &h,
        date,
        &report(Verdict::Conformant, Program::Ismap, &[&agency]),
        std::slice::from_ref(&agency),
    );
    assert!(ok.allowed, "{ok:?}");
    assert!(ok.findings.is_empty(), "{:?}", ok.findings);
    let no_additions =
        r.may_procure(&h, date, &report(Verdict::Conformant, Program::Ismap, &[]), std::slice::from_ref(&agency));
    assert!(!no_additions.allowed);
    assert_eq!(no_additions.findings[0].check, ProcurementCheck::AgencyAdditionsApplied);
    let bad = r.may_procure(&h, date, &report(Verdict::NotConformant, Program::Ismap, &[]), &[]);
    assert!(!bad.allowed && bad.findings.iter().any(|f| f.check == ProcurementCheck::Conformant));
    let wrong = r.may_procure(&h, date, &report(Verdict::Conformant, Program::IsmapLiu, &[]), &[]);
    assert!(wrong.findings.iter().any(|f| f.check == ProcurementCheck::Program && f.blocking));
    // Expired, withdrawn and unknown services may not be procured.
    for s in ["tsubame-mail", "hikari-analytics", "nobody"] {
        let dec = r.may_procure(&id(s), date, &report(Verdict::Conformant, Program::Ismap, &[]), &[]);
        assert!(!dec.allowed && dec.findings[0].check == ProcurementCheck::OnList, "{s}");
    }
    // Valid past expiry while the renewal decision is pending: allowed, with a caution.
    let pending = on(d(2025, 3, 1));
    let dec = pending.may_procure(&h, d(2025, 3, 1), &report(Verdict::Conformant, Program::Ismap, &[]), &[]);
    assert!(dec.allowed);
    assert_eq!(dec.listing, ListingStatus::ValidPendingRenewalDecision);
}

/// Issue 13 item 9 (Control Criteria §2.2.2, §2.2.4: an underlying service whose controls are
/// inherited must itself be on the ISMAP list): procurement and the conformance engine check each
/// underlying service the statement inherits from against the registry on the date.
#[test]
fn underlying_services_are_checked_against_the_registry() {
    let r = sample_registry().unwrap();
    let h = id("hoshizora-drive");
    let date = d(2025, 5, 20);
    let with_underlying = |number: &str| {
        let mut st = Statement::try_sample().unwrap();
        let hikari = st.service.underlying.iter_mut().find(|u| u.key == "kumo-base").unwrap();
        hikari.registration = Some(number.parse().unwrap());
        st
    };
    let underlying_findings = |st: &Statement| {
        let dec = r.may_procure_statement(&h, date, &report(Verdict::Conformant, Program::Ismap, &[]), &[], st);
        let found: Vec<String> = dec
            .findings
            .iter()
            .filter(|f| f.check == ProcurementCheck::UnderlyingListed && f.blocking)
            .map(|f| f.message.get(ismap_model::Lang::En).to_owned())
            .collect();
        // The sample also inherits from `cdn-edge`, which has no registration number at all.
        let (cdn, hikari): (Vec<String>, Vec<String>) = found.into_iter().partition(|m| m.contains("`cdn-edge`"));
        assert!(cdn.len() == 1 && cdn[0].contains("has no registration number"), "{cdn:?}");
        (dec.allowed, hikari)
    };
    // kumo-base (C23-0042-1) is validly listed on the date.
    let listed = with_underlying("C23-0042-1");
    assert_eq!(underlying_findings(&listed), (false, vec![]));
    // tsubame-mail (C22-0077-1) expired; C22-0999-1 is nobody's number.
    let expired = with_underlying("C22-0077-1");
    let (allowed, found) = underlying_findings(&expired);
    assert!(!allowed);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].contains("`kumo-base`") && found[0].contains("C22-0077-1") && found[0].contains("(expired)"),
        "{found:?}"
    );
    let unknown = with_underlying("C22-0999-1");
    let (allowed, found) = underlying_findings(&unknown);
    assert!(!allowed && found[0].contains("not in the registry"), "{found:?}");
    // The conformance engine, given the registry, reports the same as a rule.
    let assess = |st: &Statement| {
        Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).with_listings(&r.listings_on(date)).assess(st)
    };
    assert!(!assess(&listed).has(Rule::UnderlyingServiceNotListed));
    let rep = assess(&expired);
    let f = rep.findings.iter().find(|f| f.rule == Rule::UnderlyingServiceNotListed).unwrap();
    assert_eq!(f.path.as_deref(), Some("$.service.underlying[0].registration"));
    assert_eq!(rep.verdict, Verdict::NotConformant);
    // Without a registry the rule is not checked.
    let plain = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).assess(&expired);
    assert!(!plain.has(Rule::UnderlyingServiceNotListed));
}
