//! Rules in time (issue 13 items 5, 6 and 8): program start dates, the ISMAP-LIU rules that began
//! or ended on a date, and the ISMS certificate of the management multi-year audit cycle. Each test
//! cites the published fact it is written from.

use chrono::{DateTime, FixedOffset, NaiveDate};
use ismap_model::{AssessmentPeriod, CloudService, Program, Provider, ServiceModel, Text};
use ismap_workflow::{
    Actor, CommitteeDecision, DeadlineKind, Event, EventKind, ImpactLevel, InstitutionKind, IsmsCertificate,
    LifecycleRule, Registry, ReportStage, Violation, WorkflowRules,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_hms_opt(10, 0, 0).unwrap().and_local_timezone(FixedOffset::east_opt(9 * 3600).unwrap()).unwrap()
}

fn provider() -> Actor {
    Actor::Provider { name: Text::en("Test K.K.") }
}

fn firm() -> Actor {
    Actor::AuditInstitution { institution: "firm".parse().unwrap() }
}

fn saas() -> CloudService {
    CloudService::new(Text::en("Test"), Provider::new(Text::en("Test K.K.")), ServiceModel::SaaS)
}

fn ev(on: NaiveDate, actor: Actor, kind: EventKind) -> Event {
    Event::new(at(on), actor, kind)
}

fn svc() -> ismap_workflow::ServiceId {
    "svc".parse().unwrap()
}

fn listing(on: NaiveDate) -> Event {
    ev(
        on,
        Actor::SteeringCommittee {},
        EventKind::AuditInstitutionListed {
            institution: "firm".parse().unwrap(),
            name: Text::en("Test Audit Firm"),
            kind: InstitutionKind::AuditFirm,
        },
    )
}

fn pre_application(on: NaiveDate) -> Event {
    ev(
        on,
        provider(),
        EventKind::LiuPreApplication {
            service: svc(),
            cloud_service: saas(),
            ministry: Text::en("Ministry of Examples"),
            impact: ImpactLevel::Low,
        },
    )
}

fn application(on: NaiveDate, program: Program, special_measures: bool) -> Event {
    ev(
        on,
        provider(),
        EventKind::ApplicationSubmitted { service: svc(), program, cloud_service: saas(), special_measures },
    )
}

/// The events that give service `svc` an audited 12-month period ending `end`, reported the next
/// day, ready to apply (with an ISMAP-LIU pre-application first when `pre` is given), and that day.
fn audited_events(end: NaiveDate, pre: Option<NaiveDate>) -> (Vec<Event>, NaiveDate) {
    let start = end.checked_sub_months(chrono::Months::new(12)).unwrap().succ_opt().unwrap();
    let mut evs = vec![listing(d(2020, 6, 3))];
    evs.extend(pre.map(pre_application));
    // Declared on the period's first day, but not before ISMAP or a pre-application existed.
    let declared = pre.map_or(start, |p| p.max(start)).max(d(2020, 6, 3));
    evs.push(ev(
        declared,
        provider(),
        EventKind::AssessmentPeriodDeclared { service: svc(), period: AssessmentPeriod::new(start, end).unwrap() },
    ));
    evs.push(ev(
        declared,
        provider(),
        EventKind::AuditEngaged { service: svc(), institution: "firm".parse().unwrap() },
    ));
    let reported = end.succ_opt().unwrap();
    evs.push(ev(reported, firm(), EventKind::AuditReportIssued { service: svc() }));
    (evs, reported)
}

/// [`audited_events`] replayed under the default rules.
fn audited(end: NaiveDate, pre: Option<NaiveDate>) -> (Registry, NaiveDate) {
    let (evs, reported) = audited_events(end, pre);
    (Registry::replay(WorkflowRules::default(), &evs).unwrap(), reported)
}

fn refused(r: &mut Registry, e: &Event) -> (LifecycleRule, Violation) {
    let err = r.apply(e).unwrap_err();
    (err.rule(), err.violation().clone())
}

/// ISMAP's regulations took effect on 2020-06-03 (Control Criteria revision table): nothing of
/// ISMAP, not even the audit institution list, predates it.
#[test]
fn nothing_of_ismap_before_2020_06_03() {
    let mut r = Registry::new(WorkflowRules::default());
    let (rule, v) = refused(&mut r, &listing(d(2020, 6, 2)));
    assert_eq!(rule, LifecycleRule::ProgramInOperation);
    assert_eq!(v, Violation::ProgramNotInOperation { program: Program::Ismap, starts: d(2020, 6, 3) });
    let declare = ev(
        d(2020, 5, 1),
        provider(),
        EventKind::AssessmentPeriodDeclared {
            service: svc(),
            period: AssessmentPeriod::new(d(2019, 4, 1), d(2020, 3, 31)).unwrap(),
        },
    );
    assert_eq!(refused(&mut r, &declare).0, LifecycleRule::ProgramInOperation);
    assert!(r.apply(&listing(d(2020, 6, 3))).is_ok());
}

/// The first ISMAP cloud service list was published on 2021-03-12 (IPA; NEC Solution
/// Innovators' glossary): no ISMAP registration is dated before it.
#[test]
fn no_ismap_registration_before_the_first_list() {
    let (r, reported) = audited(d(2020, 12, 31), None);
    assert_eq!(reported, d(2021, 1, 1));
    let steps = [
        (
            provider(),
            EventKind::ApplicationSubmitted {
                service: svc(),
                program: Program::Ismap,
                cloud_service: saas(),
                special_measures: false,
            },
        ),
        (Actor::Ipa {}, EventKind::AcceptancePassed { service: svc() }),
        (Actor::Ipa {}, EventKind::TechnicalReviewStarted { service: svc() }),
        (Actor::Ipa {}, EventKind::TechnicalReviewCompleted { service: svc() }),
        (
            Actor::SteeringCommittee {},
            EventKind::CommitteeDecided { service: svc(), decision: CommitteeDecision::Register, reason: None },
        ),
    ];
    let mut r = r;
    for (actor, kind) in steps {
        r.apply(&ev(d(2021, 2, 1), actor, kind)).unwrap();
    }
    let registered = |on| {
        ev(
            on,
            Actor::SteeringCommittee {},
            EventKind::Registered { service: svc(), number: "C21-0001-2".parse().unwrap() },
        )
    };
    let (rule, v) = refused(&mut r.clone(), &registered(d(2021, 3, 11)));
    assert_eq!(
        (rule, v),
        (LifecycleRule::ProgramInOperation, Violation::BeforeFirstList { first_list: d(2021, 3, 12) })
    );
    assert!(r.apply(&registered(d(2021, 3, 12))).is_ok());
}

/// ISMAP-LIU operates from 2022-11-01 (Digital Agency; KPMG 2022-12): no pre-application and no
/// ISMAP-LIU application before.
#[test]
fn nothing_of_ismap_liu_before_2022_11_01() {
    let mut r = Registry::replay(WorkflowRules::default(), &[listing(d(2020, 6, 3))]).unwrap();
    let (rule, v) = refused(&mut r, &pre_application(d(2022, 10, 31)));
    assert_eq!(rule, LifecycleRule::ProgramInOperation);
    assert_eq!(v, Violation::ProgramNotInOperation { program: Program::IsmapLiu, starts: d(2022, 11, 1) });
    assert!(r.clone().apply(&pre_application(d(2022, 11, 1))).is_ok());
    let (mut r, reported) = audited(d(2022, 9, 30), None);
    assert_eq!(
        refused(&mut r.clone(), &application(reported, Program::IsmapLiu, false)).0,
        LifecycleRule::ProgramInOperation
    );
    assert!(r.apply(&application(reported, Program::Ismap, false)).is_ok());
}

/// The ISMAP-LIU pre-application is required only for applications made before its abolition
/// (2025-04-01 by default: the portal's ISMAP-LIU introduction material of 2025-04-01, UNVERIFIED,
/// so a setting).
#[test]
fn liu_pre_application_required_only_before_its_abolition() {
    let (r, _) = audited(d(2025, 2, 28), None);
    let (rule, v) = refused(&mut r.clone(), &application(d(2025, 3, 31), Program::IsmapLiu, false));
    assert_eq!((rule, v), (LifecycleRule::LiuPreApplication, Violation::NoPreApplication));
    assert!(r.clone().apply(&application(d(2025, 4, 1), Program::IsmapLiu, false)).is_ok());
    // The setting moves the cut-off, or keeps the pre-application forever.
    for abolished in [Some(d(2025, 10, 1)), None] {
        let mut rules = WorkflowRules::default();
        rules.liu_pre_application_abolished = abolished;
        let mut r = Registry::replay(rules, &audited_events(d(2025, 2, 28), None).0).unwrap();
        assert_eq!(
            refused(&mut r, &application(d(2025, 6, 1), Program::IsmapLiu, false)).0,
            LifecycleRule::LiuPreApplication
        );
    }
    // With a pre-application, before the cut-off, it passes.
    let (mut r, reported) = audited(d(2024, 9, 30), Some(d(2024, 6, 1)));
    assert!(r.apply(&application(reported, Program::IsmapLiu, false)).is_ok());
}

/// The ISMAP-LIU special measures apply to ISMAP-LIU applications made by 2025-03-31 (令和7年3月末;
/// Digital Agency, published 2023-05-19).
#[test]
fn liu_special_measures_until_2025_03_31() {
    let (r, _) = audited(d(2024, 12, 31), Some(d(2024, 6, 1)));
    assert!(r.clone().apply(&application(d(2025, 3, 31), Program::IsmapLiu, true)).is_ok());
    let (rule, v) = refused(&mut r.clone(), &application(d(2025, 4, 1), Program::IsmapLiu, true));
    assert_eq!(rule, LifecycleRule::LiuSpecialMeasures);
    assert_eq!(v, Violation::SpecialMeasuresUnavailable { from: d(2023, 5, 19), until: d(2025, 3, 31) });
    assert_eq!(
        refused(&mut r.clone(), &application(d(2025, 1, 15), Program::Ismap, true)).0,
        LifecycleRule::LiuSpecialMeasures
    );
    assert!(r.clone().apply(&application(d(2025, 4, 1), Program::IsmapLiu, false)).is_ok());
}

/// Registers `svc` under `program` on `end + 1 month`, for a period ending `end`.
fn registered(program: Program, end: NaiveDate) -> (Registry, NaiveDate) {
    let pre = (program == Program::IsmapLiu).then(|| d(2022, 11, 1));
    let (mut r, reported) = audited(end, pre);
    let steps = [
        (
            provider(),
            EventKind::ApplicationSubmitted { service: svc(), program, cloud_service: saas(), special_measures: false },
        ),
        (Actor::Ipa {}, EventKind::AcceptancePassed { service: svc() }),
        (Actor::Ipa {}, EventKind::TechnicalReviewStarted { service: svc() }),
        (Actor::Ipa {}, EventKind::TechnicalReviewCompleted { service: svc() }),
        (
            Actor::SteeringCommittee {},
            EventKind::CommitteeDecided { service: svc(), decision: CommitteeDecision::Register, reason: None },
        ),
        (Actor::SteeringCommittee {}, EventKind::Registered { service: svc(), number: "C23-0001-2".parse().unwrap() }),
    ];
    for (actor, kind) in steps {
        r.apply(&ev(reported, actor, kind)).unwrap();
    }
    (r, reported)
}

/// ISMAP-LIU incident reporting applies to incidents recognised on or after 2024-01-04 (ISMAP FAQ
/// KB0010899): an incident first reported on 2024-01-03 carries no final-report duty, one reported
/// on 2024-01-04 does. ISMAP keeps the (configurable) deadline either way.
#[test]
fn liu_incident_reporting_duties_from_2024_01_04() {
    let incident = |on, id: &str| {
        ev(
            on,
            provider(),
            EventKind::IncidentReported {
                service: svc(),
                incident: id.parse().unwrap(),
                stage: ReportStage::Preliminary,
                summary: Text::en("incident"),
            },
        )
    };
    let finals = |r: &Registry| {
        r.deadlines(d(2024, 1, 1), d(2024, 12, 31))
            .deadlines
            .iter()
            .filter_map(|x| match &x.kind {
                DeadlineKind::FinalIncidentReport { incident, .. } => Some(incident.to_string()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    for program in [Program::IsmapLiu, Program::Ismap] {
        let (mut r, _) = registered(program, d(2023, 6, 30));
        r.apply(&incident(d(2024, 1, 3), "inc-early")).unwrap();
        r.apply(&incident(d(2024, 1, 4), "inc-late")).unwrap();
        let expected: &[&str] = if program == Program::IsmapLiu { &["inc-late"] } else { &["inc-early", "inc-late"] };
        assert_eq!(finals(&r), expected, "{program}");
    }
}

fn certificate() -> IsmsCertificate {
    serde_json::from_value(serde_json::json!({
        "standard": "isoIec27001", "number": "IS 000001", "body": {"en": "Example Certification"},
        "iafAccredited": true, "validFrom": "2024-01-01", "validUntil": "2026-12-31",
        "scopeServices": ["svc"], "coversOrganization": true
    }))
    .unwrap()
}

/// A registry with `svc` registered on the period 2023-07-01..=2024-06-30 and its renewal period
/// `renewal` audited: ready for the renewal application.
fn renewal_ready(renewal: (NaiveDate, NaiveDate)) -> (Registry, NaiveDate) {
    let (mut r, _) = registered(Program::Ismap, d(2024, 6, 30));
    let declared = d(2024, 7, 2);
    r.apply(&ev(
        declared,
        provider(),
        EventKind::AssessmentPeriodDeclared {
            service: svc(),
            period: AssessmentPeriod::new(renewal.0, renewal.1).unwrap(),
        },
    ))
    .unwrap();
    r.apply(&ev(
        declared,
        provider(),
        EventKind::AuditEngaged { service: svc(), institution: "firm".parse().unwrap() },
    ))
    .unwrap();
    let reported = renewal.1.succ_opt().unwrap();
    r.apply(&ev(reported, firm(), EventKind::AuditReportIssued { service: svc() })).unwrap();
    (r, reported)
}

fn renewal(on: NaiveDate, cert: Option<IsmsCertificate>) -> Event {
    ev(on, provider(), EventKind::RenewalApplied { service: svc(), multi_year_cycle: cert })
}

/// The management criteria's multi-year audit cycle (ISMAP FAQ KB0011399, from 2024-08-01):
/// renewals only, an ISMS certificate from an IAF-accredited body, valid over the whole audit
/// period, its scope covering the service and the organisation.
#[test]
fn multi_year_cycle_needs_a_certificate_covering_period_and_service() {
    let (r, on) = renewal_ready((d(2024, 7, 1), d(2025, 6, 30)));
    let mut ok = r.clone();
    ok.apply(&renewal(on, Some(certificate()))).unwrap();
    assert_eq!(ok.service(&svc()).unwrap().cycle.multi_year_cycle, Some(certificate()));
    assert!(r.clone().apply(&renewal(on, None)).is_ok());
    let broken = |f: &dyn Fn(&mut IsmsCertificate)| {
        let mut c = certificate();
        f(&mut c);
        refused(&mut r.clone(), &renewal(on, Some(c)))
    };
    let (rule, v) = broken(&|c| c.valid_from = d(2024, 7, 2));
    assert_eq!(rule, LifecycleRule::MultiYearCycleCertificate);
    assert!(matches!(v, Violation::CertificateDoesNotCoverPeriod { valid_from, .. } if valid_from == d(2024, 7, 2)));
    assert!(matches!(broken(&|c| c.valid_until = d(2025, 6, 29)).1, Violation::CertificateDoesNotCoverPeriod { .. }));
    assert!(matches!(broken(&|c| c.iaf_accredited = false).1, Violation::CertificateNotAccredited { .. }));
    assert_eq!(
        broken(&|c| c.scope_services = vec!["other".parse().unwrap()]).1,
        Violation::CertificateScope { number: "IS 000001".into(), service: Some(svc()) }
    );
    assert_eq!(
        broken(&|c| c.covers_organization = false).1,
        Violation::CertificateScope { number: "IS 000001".into(), service: None }
    );
}

/// Before 2024-08-01 the management criteria had no multi-year cycle (KB0011399).
#[test]
fn multi_year_cycle_not_before_2024_08_01() {
    let (mut r, _) = registered(Program::Ismap, d(2023, 6, 30));
    r.apply(&ev(
        d(2023, 7, 2),
        provider(),
        EventKind::AssessmentPeriodDeclared {
            service: svc(),
            period: AssessmentPeriod::new(d(2023, 7, 1), d(2024, 6, 30)).unwrap(),
        },
    ))
    .unwrap();
    r.apply(&ev(
        d(2023, 7, 2),
        provider(),
        EventKind::AuditEngaged { service: svc(), institution: "firm".parse().unwrap() },
    ))
    .unwrap();
    r.apply(&ev(d(2024, 7, 20), firm(), EventKind::AuditReportIssued { service: svc() })).unwrap();
    let mut c = certificate();
    c.valid_from = d(2023, 1, 1);
    let (rule, v) = refused(&mut r.clone(), &renewal(d(2024, 7, 31), Some(c.clone())));
    assert_eq!(
        (rule, v),
        (LifecycleRule::MultiYearCycleCertificate, Violation::MultiYearCycleNotInForce { from: d(2024, 8, 1) })
    );
    assert!(r.apply(&renewal(d(2024, 8, 1), Some(c))).is_ok());
}

/// Rules as dated data (issue 13 item 6): on 2021-01-01 no ISMAP-LIU rule is in force; on
/// 2026-01-01 the ISMAP-LIU rules are, except the pre-application (abolished 2025-04-01 by
/// default) and the special measures (applications by 2025-03-31), and the multi-year cycle
/// certificate rule is (from 2024-08-01).
#[test]
fn rules_in_force_differ_between_2021_and_2026() {
    let rules = WorkflowRules::default();
    let in_force = |on| LifecycleRule::ALL.iter().filter(|r| r.in_force(&rules, on)).copied().collect::<Vec<_>>();
    let early = in_force(d(2021, 1, 1));
    let late = in_force(d(2026, 1, 1));
    for r in [
        LifecycleRule::LiuSaasOnly,
        LifecycleRule::LiuLowImpact,
        LifecycleRule::LiuPreApplication,
        LifecycleRule::LiuSpecialMeasures,
        LifecycleRule::LiuIncidentReporting,
        LifecycleRule::MultiYearCycleCertificate,
    ] {
        assert!(!early.contains(&r), "{r} on 2021-01-01");
    }
    for r in [LifecycleRule::LiuSaasOnly, LifecycleRule::LiuIncidentReporting, LifecycleRule::MultiYearCycleCertificate]
    {
        assert!(late.contains(&r), "{r} on 2026-01-01");
    }
    for r in [LifecycleRule::LiuPreApplication, LifecycleRule::LiuSpecialMeasures] {
        assert!(!late.contains(&r), "{r} on 2026-01-01");
    }
    assert!(in_force(d(2025, 3, 31)).contains(&LifecycleRule::LiuPreApplication));
    assert!(early.contains(&LifecycleRule::PeriodLength) && late.contains(&LifecycleRule::PeriodLength));
}
