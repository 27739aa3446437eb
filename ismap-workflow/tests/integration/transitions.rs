//! Every transition of the table, legal and illegal, and every guard.

use chrono::{DateTime, FixedOffset, NaiveDate};
use ismap_model::{AssessmentPeriod, CloudService, PeriodError, Program, Provider, ServiceModel, Text};
use ismap_workflow::{
    Actor, CommitteeDecision, Event, EventKind, EventType, ImpactLevel, InstitutionKind, LifecycleRule, ListingStatus,
    Registry, RenewalDecision, ReportStage, State, Subject, ValidUntil, Violation, WorkflowRules, transition,
    transitions,
};

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_hms_opt(10, 0, 0).unwrap().and_local_timezone(FixedOffset::east_opt(9 * 3600).unwrap()).unwrap()
}

pub(crate) const SVC: &str = "svc";

fn provider() -> Actor {
    Actor::Provider { name: Text::new("テスト株式会社", "Test K.K.") }
}

fn firm() -> Actor {
    Actor::AuditInstitution { institution: "firm".parse().unwrap() }
}

fn cloud(model: ServiceModel) -> CloudService {
    CloudService::new(Text::new("テスト", "Test"), Provider::new(Text::new("テスト株式会社", "Test K.K.")), model)
}

fn p1() -> AssessmentPeriod {
    AssessmentPeriod::new(d(2024, 1, 1), d(2024, 12, 31)).unwrap()
}

fn p2() -> AssessmentPeriod {
    AssessmentPeriod::new(d(2025, 1, 1), d(2025, 12, 31)).unwrap()
}

/// A valid event of type `ty` for the test service (or institution `x`), as it would follow `from`.
fn event(ty: EventType, from: State, date: NaiveDate) -> Event {
    let service = SVC.parse().unwrap();
    let (actor, kind) = match ty {
        EventType::LiuPreApplication => (
            provider(),
            EventKind::LiuPreApplication {
                service,
                cloud_service: cloud(ServiceModel::SaaS),
                ministry: Text::new("架空省", "Ministry of Examples"),
                impact: ImpactLevel::Low,
            },
        ),
        EventType::PreConsultation => (provider(), EventKind::PreConsultation { service }),
        EventType::AssessmentPeriodDeclared => (
            provider(),
            EventKind::AssessmentPeriodDeclared {
                service,
                period: if from == State::Registered { p2() } else { p1() },
            },
        ),
        EventType::AuditEngaged => {
            (provider(), EventKind::AuditEngaged { service, institution: "firm".parse().unwrap() })
        }
        EventType::AuditReportIssued => (firm(), EventKind::AuditReportIssued { service }),
        EventType::ApplicationSubmitted => (
            provider(),
            EventKind::ApplicationSubmitted {
                service,
                program: Program::Ismap,
                cloud_service: cloud(ServiceModel::SaaS),
                special_measures: false,
            },
        ),
        EventType::AcceptancePassed => (Actor::Ipa {}, EventKind::AcceptancePassed { service }),
        EventType::AcceptanceReturned => {
            (Actor::Ipa {}, EventKind::AcceptanceReturned { service, reason: Text::en("incomplete") })
        }
        EventType::TechnicalReviewStarted => (Actor::Ipa {}, EventKind::TechnicalReviewStarted { service }),
        EventType::AdditionalAuditRequested => {
            (Actor::Ipa {}, EventKind::AdditionalAuditRequested { service, reason: Text::en("selection changed") })
        }
        EventType::AdditionalAuditCompleted => (firm(), EventKind::AdditionalAuditCompleted { service }),
        EventType::ReAuditRequested => {
            (Actor::Ipa {}, EventKind::ReAuditRequested { service, reason: Text::en("procedure gap") })
        }
        EventType::ReAuditCompleted => (firm(), EventKind::ReAuditCompleted { service }),
        EventType::TechnicalReviewCompleted => (Actor::Ipa {}, EventKind::TechnicalReviewCompleted { service }),
        EventType::CommitteeRegister => (
            Actor::SteeringCommittee {},
            EventKind::CommitteeDecided { service, decision: CommitteeDecision::Register, reason: None },
        ),
        EventType::CommitteeReject => (
            Actor::SteeringCommittee {},
            EventKind::CommitteeDecided { service, decision: CommitteeDecision::Reject, reason: Some(Text::en("no")) },
        ),
        EventType::Registered => {
            (Actor::SteeringCommittee {}, EventKind::Registered { service, number: "C25-0001-1".parse().unwrap() })
        }
        EventType::RenewalApplied => (provider(), EventKind::RenewalApplied { service, multi_year_cycle: None }),
        EventType::RenewalRenewed => (
            Actor::SteeringCommittee {},
            EventKind::RenewalDecided { service, decision: RenewalDecision::Renewed, reason: None },
        ),
        EventType::RenewalRefused => (
            Actor::SteeringCommittee {},
            EventKind::RenewalDecided { service, decision: RenewalDecision::Refused, reason: None },
        ),
        EventType::ControlChangeNotified => (
            provider(),
            EventKind::ControlChangeNotified { service, summary: Text::en("new tool"), controls: Vec::new() },
        ),
        EventType::IncidentPreliminary | EventType::IncidentFinal => (
            provider(),
            EventKind::IncidentReported {
                service,
                incident: "inc-1".parse().unwrap(),
                stage: if ty == EventType::IncidentFinal { ReportStage::Final } else { ReportStage::Preliminary },
                summary: Text::en("incident"),
            },
        ),
        EventType::Withdrawn => (provider(), EventKind::Withdrawn { service, reason: None }),
        EventType::Revoked => (Actor::SteeringCommittee {}, EventKind::Revoked { service, reason: Text::en("breach") }),
        EventType::InstitutionListed => (
            Actor::SteeringCommittee {},
            EventKind::AuditInstitutionListed {
                institution: "x".parse().unwrap(),
                name: Text::en("X Audit"),
                kind: InstitutionKind::AuditFirm,
            },
        ),
        EventType::InstitutionDelisted | EventType::Expiry => (
            Actor::SteeringCommittee {},
            EventKind::AuditInstitutionDelisted { institution: "x".parse().unwrap(), reason: None },
        ),
    };
    Event::new(at(date), actor, kind)
}

/// The events that bring the test subject to `state`, and the date of the last one.
pub(crate) fn path_to(state: State) -> (Vec<Event>, NaiveDate) {
    use EventType as E;
    use State as S;
    let mut evs = vec![
        Event::new(
            at(d(2024, 1, 1)),
            Actor::SteeringCommittee {},
            EventKind::AuditInstitutionListed {
                institution: "firm".parse().unwrap(),
                name: Text::new("テスト監査法人", "Test Audit Firm"),
                kind: InstitutionKind::AuditFirm,
            },
        ),
        Event::new(
            at(d(2024, 1, 1)),
            Actor::SteeringCommittee {},
            EventKind::AuditInstitutionListed {
                institution: "other".parse().unwrap(),
                name: Text::en("Other Assurance"),
                kind: InstitutionKind::Other,
            },
        ),
    ];
    let mut push = |ty, from, date| evs.push(event(ty, from, date));
    let first: &[(EventType, State, NaiveDate)] = &[
        (E::AssessmentPeriodDeclared, S::NotStarted, d(2024, 11, 1)),
        (E::AuditEngaged, S::PeriodDeclared, d(2024, 11, 2)),
        (E::AuditReportIssued, S::AuditEngaged, d(2025, 1, 10)),
        (E::ApplicationSubmitted, S::AuditReported, d(2025, 1, 15)),
    ];
    let review: &[(EventType, State, NaiveDate)] =
        &[(E::AcceptancePassed, S::Applied, d(2025, 1, 20)), (E::TechnicalReviewStarted, S::Accepted, d(2025, 1, 21))];
    let decide: &[(EventType, State, NaiveDate)] = &[
        (E::TechnicalReviewCompleted, S::UnderReview, d(2025, 1, 23)),
        (E::CommitteeRegister, S::AwaitingDecision, d(2025, 1, 24)),
        (E::Registered, S::Approved, d(2025, 1, 25)),
    ];
    let renew: &[(EventType, State, NaiveDate)] = &[
        (E::AssessmentPeriodDeclared, S::Registered, d(2025, 4, 1)),
        (E::AuditEngaged, S::RenewalPeriodDeclared, d(2025, 4, 2)),
        (E::AuditReportIssued, S::RenewalAuditEngaged, d(2026, 1, 10)),
        (E::RenewalApplied, S::RenewalAuditReported, d(2026, 1, 15)),
    ];
    let take = |steps: &[(EventType, State, NaiveDate)], upto: Option<State>| -> Vec<(EventType, State, NaiveDate)> {
        let mut out = Vec::new();
        for s in steps {
            if Some(s.1) == upto {
                break;
            }
            out.push(*s);
        }
        out
    };
    let mut steps: Vec<(EventType, State, NaiveDate)> = Vec::new();
    match state {
        S::NotStarted | S::InstitutionUnlisted => {}
        S::PreApplied => steps.push((E::LiuPreApplication, S::NotStarted, d(2024, 10, 1))),
        S::PreConsulted => steps.push((E::PreConsultation, S::NotStarted, d(2024, 10, 1))),
        S::PeriodDeclared | S::AuditEngaged | S::AuditReported | S::Applied => {
            let next = match state {
                S::PeriodDeclared => S::PeriodDeclared,
                S::AuditEngaged => S::AuditEngaged,
                S::AuditReported => S::AuditReported,
                _ => S::Applied,
            };
            steps.extend(take(first, Some(next)));
        }
        S::Returned => {
            steps.extend(first);
            steps.push((E::AcceptanceReturned, S::Applied, d(2025, 1, 20)));
        }
        S::Accepted => {
            steps.extend(first);
            steps.extend(take(review, Some(S::Accepted)));
        }
        S::UnderReview | S::AdditionalAudit | S::ReAudit | S::AwaitingDecision | S::Approved | S::Rejected => {
            steps.extend(first);
            steps.extend(review);
            match state {
                S::AdditionalAudit => steps.push((E::AdditionalAuditRequested, S::UnderReview, d(2025, 1, 22))),
                S::ReAudit => steps.push((E::ReAuditRequested, S::UnderReview, d(2025, 1, 22))),
                S::AwaitingDecision => steps.extend(take(decide, Some(S::AwaitingDecision))),
                S::Approved => steps.extend(take(decide, Some(S::Approved))),
                S::Rejected => {
                    steps.extend(take(decide, Some(S::AwaitingDecision)));
                    steps.push((E::CommitteeReject, S::AwaitingDecision, d(2025, 1, 24)));
                }
                _ => {}
            }
        }
        S::Registered | S::Expired | S::Revoked => {
            steps.extend(first);
            steps.extend(review);
            steps.extend(decide);
            if state == S::Revoked {
                steps.push((E::Revoked, S::Registered, d(2025, 2, 1)));
            }
        }
        S::RenewalPeriodDeclared | S::RenewalAuditEngaged | S::RenewalAuditReported | S::RenewalPending => {
            steps.extend(first);
            steps.extend(review);
            steps.extend(decide);
            let upto = match state {
                S::RenewalPeriodDeclared => Some(S::RenewalPeriodDeclared),
                S::RenewalAuditEngaged => Some(S::RenewalAuditEngaged),
                S::RenewalAuditReported => Some(S::RenewalAuditReported),
                _ => None,
            };
            steps.extend(take(renew, upto));
        }
        S::Withdrawn => {
            steps.extend(take(first, Some(S::PeriodDeclared)));
            steps.push((E::Withdrawn, S::PeriodDeclared, d(2024, 11, 2)));
        }
        S::InstitutionListed | S::InstitutionDelisted => {
            steps.push((E::InstitutionListed, S::InstitutionUnlisted, d(2024, 2, 1)));
            if state == S::InstitutionDelisted {
                steps.push((E::InstitutionDelisted, S::InstitutionListed, d(2024, 3, 1)));
            }
        }
    }
    let mut last = d(2024, 1, 1);
    for (ty, from, date) in steps {
        push(ty, from, date);
        last = date;
    }
    if state == S::Expired {
        // Registered with expiry 2026-05-01 (day after 2024-12-31 + 1 year 4 months): expired after it.
        last = d(2026, 6, 1);
    }
    (evs, last)
}

fn subject_of(state: State) -> Subject {
    match state.machine() {
        ismap_workflow::Machine::Service => Subject::Service(SVC.parse().unwrap()),
        ismap_workflow::Machine::Institution => Subject::Institution("x".parse().unwrap()),
    }
}

fn reach(state: State) -> (Registry, NaiveDate) {
    let (evs, last) = path_to(state);
    let r = Registry::replay(WorkflowRules::default(), &evs).unwrap();
    assert_eq!(r.state_of(&subject_of(state), last), state, "path to {state}");
    (r, last)
}

/// The date of the test event: the next day, or a date that satisfies the report guards.
fn date_for(ty: EventType, from: State, last: NaiveDate) -> NaiveDate {
    match (ty, from) {
        (EventType::AuditReportIssued, State::AuditEngaged) => d(2025, 1, 10),
        (EventType::AuditReportIssued, State::RenewalAuditEngaged) => d(2026, 1, 10),
        _ => last.succ_opt().unwrap(),
    }
}

#[test]
fn every_legal_transition() {
    for t in transitions() {
        if t.event == EventType::Expiry {
            continue;
        }
        let (mut r, last) = reach(t.from);
        let date = date_for(t.event, t.from, last);
        if t.event == EventType::IncidentFinal {
            r.apply(&event(EventType::IncidentPreliminary, t.from, date)).unwrap();
        }
        let applied = r
            .apply(&event(t.event, t.from, date))
            .unwrap_or_else(|e| panic!("{} --{}--> {}: {e}", t.from, t.event, t.to));
        assert_eq!((applied.from, applied.to), (t.from, t.to), "{}", t.event);
        assert_eq!(r.state_of(&subject_of(t.from), date), t.to);
    }
}

#[test]
fn every_illegal_transition_names_state_event_and_rule() {
    let mut checked = 0;
    for from in State::ALL {
        for ty in EventType::ALL {
            let service_event = !matches!(ty, EventType::InstitutionListed | EventType::InstitutionDelisted);
            let service_state = from.machine() == ismap_workflow::Machine::Service;
            if ty == EventType::Expiry || service_event != service_state || transition(from, ty).is_some() {
                continue;
            }
            let (mut r, last) = reach(from);
            let before = r.clone();
            let err = r.apply(&event(ty, from, date_for(ty, from, last))).unwrap_err();
            assert_eq!((err.state(), err.event()), (from, ty));
            let expected_rule = if from == State::Expired && transition(State::Registered, ty).is_some() {
                if ty == EventType::RenewalApplied {
                    LifecycleRule::RenewalBeforeExpiry
                } else {
                    LifecycleRule::RegistrationValid
                }
            } else {
                LifecycleRule::Transition
            };
            assert_eq!(err.rule(), expected_rule, "{from} {ty}: {err}");
            assert!(err.to_string().contains(from.as_str()) && err.to_string().contains(ty.as_str()));
            assert!(err.text().is_bilingual());
            assert_eq!(r, before, "a refused event changed the registry");
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
}

fn registered() -> (Registry, NaiveDate) {
    reach(State::Registered)
}

fn refused(r: &mut Registry, e: &Event) -> (LifecycleRule, Violation) {
    let err = r.apply(e).unwrap_err();
    (err.rule(), err.violation().clone())
}

#[test]
fn period_length_and_renewal_contiguity() {
    let (mut r, _) = reach(State::NotStarted);
    let mut e = event(EventType::AssessmentPeriodDeclared, State::NotStarted, d(2024, 11, 1));
    for (start, end, ok) in [
        (d(2024, 4, 1), d(2024, 6, 29), false),
        (d(2024, 4, 1), d(2024, 6, 30), true),
        (d(2024, 4, 1), d(2025, 3, 31), true),
        (d(2024, 4, 1), d(2025, 4, 1), false),
    ] {
        e.kind = EventKind::AssessmentPeriodDeclared {
            service: SVC.parse().unwrap(),
            period: AssessmentPeriod::new(start, end).unwrap(),
        };
        let mut r2 = r.clone();
        match r2.apply(&e) {
            Ok(_) => assert!(ok),
            Err(err) => {
                assert!(!ok);
                assert_eq!(err.rule(), LifecycleRule::PeriodLength);
            }
        }
    }
    let (mut reg, last) = registered();
    let mut e = event(EventType::AssessmentPeriodDeclared, State::Registered, last.succ_opt().unwrap());
    e.kind = EventKind::AssessmentPeriodDeclared {
        service: SVC.parse().unwrap(),
        period: AssessmentPeriod::new(d(2025, 1, 2), d(2025, 12, 31)).unwrap(),
    };
    let (rule, v) = refused(&mut reg, &e);
    assert_eq!(rule, LifecycleRule::PeriodContiguity);
    assert!(matches!(v, Violation::Period(PeriodError::NotContiguous { expected, .. }) if expected == d(2025, 1, 1)));
    r.apply(&event(EventType::AssessmentPeriodDeclared, State::NotStarted, d(2024, 11, 1))).unwrap();
}

#[test]
fn audit_institution_listed_and_of_an_accepted_kind() {
    let (r, _) = reach(State::PeriodDeclared);
    let date = d(2024, 11, 2);
    let engage = |inst: &str| {
        let mut e = event(EventType::AuditEngaged, State::PeriodDeclared, date);
        e.kind = EventKind::AuditEngaged { service: SVC.parse().unwrap(), institution: inst.parse().unwrap() };
        e
    };
    assert_eq!(refused(&mut r.clone(), &engage("nobody")).0, LifecycleRule::InstitutionListed);
    assert_eq!(refused(&mut r.clone(), &engage("other")).0, LifecycleRule::InstitutionKind);
    // Configurable: accept other kinds too.
    let mut rules = WorkflowRules::default();
    rules.accepted_institution_kinds.insert(InstitutionKind::Other);
    let (evs, _) = path_to(State::PeriodDeclared);
    let mut lax = Registry::replay(rules, &evs).unwrap();
    assert!(lax.apply(&engage("other")).is_ok());
    // Delisted before the report date: the report is refused.
    let (mut r, _) = reach(State::AuditEngaged);
    r.apply(&Event::new(
        at(d(2024, 12, 1)),
        Actor::SteeringCommittee {},
        EventKind::AuditInstitutionDelisted { institution: "firm".parse().unwrap(), reason: None },
    ))
    .unwrap();
    let report = event(EventType::AuditReportIssued, State::AuditEngaged, d(2025, 1, 10));
    let (rule, v) = refused(&mut r, &report);
    assert_eq!(rule, LifecycleRule::InstitutionListed);
    assert!(matches!(v, Violation::InstitutionNotListed { on, .. } if on == d(2025, 1, 10)));
}

#[test]
fn audit_report_guards() {
    let (r, _) = reach(State::AuditEngaged);
    let mut by_other = event(EventType::AuditReportIssued, State::AuditEngaged, d(2025, 1, 10));
    by_other.actor = Actor::AuditInstitution { institution: "other".parse().unwrap() };
    assert_eq!(refused(&mut r.clone(), &by_other).0, LifecycleRule::EngagedInstitution);
    let early = event(EventType::AuditReportIssued, State::AuditEngaged, d(2024, 12, 31));
    assert_eq!(refused(&mut r.clone(), &early).0, LifecycleRule::ReportAfterPeriod);
    // Due within 3 months of the period's end (2024-12-31): through 2025-03-31.
    assert!(r.clone().apply(&event(EventType::AuditReportIssued, State::AuditEngaged, d(2025, 3, 31))).is_ok());
    let late = event(EventType::AuditReportIssued, State::AuditEngaged, d(2025, 4, 1));
    let (rule, v) = refused(&mut r.clone(), &late);
    assert_eq!(rule, LifecycleRule::ReportDeadline);
    assert_eq!(v, Violation::ReportLate { report: d(2025, 4, 1), due: d(2025, 3, 31) });
    // Configurable (UNVERIFIED): no deadline.
    let mut rules = WorkflowRules::default();
    rules.report_due_months = None;
    let (evs, _) = path_to(State::AuditEngaged);
    assert!(Registry::replay(rules, &evs).unwrap().apply(&late).is_ok());
    // Wrong role altogether.
    let mut by_provider = event(EventType::AuditReportIssued, State::AuditEngaged, d(2025, 1, 10));
    by_provider.actor = provider();
    assert_eq!(refused(&mut r.clone(), &by_provider).0, LifecycleRule::ActorRole);
}

#[test]
fn liu_rules() {
    let (r, _) = reach(State::NotStarted);
    let pre = |model, impact| {
        let mut e = event(EventType::LiuPreApplication, State::NotStarted, d(2024, 10, 1));
        e.kind = EventKind::LiuPreApplication {
            service: SVC.parse().unwrap(),
            cloud_service: cloud(model),
            ministry: Text::en("Ministry"),
            impact,
        };
        e
    };
    assert_eq!(refused(&mut r.clone(), &pre(ServiceModel::IaaS, ImpactLevel::Low)).0, LifecycleRule::LiuSaasOnly);
    assert_eq!(refused(&mut r.clone(), &pre(ServiceModel::SaaS, ImpactLevel::Medium)).0, LifecycleRule::LiuLowImpact);
    // LIU application without a pre-application.
    let (r, _) = reach(State::AuditReported);
    let apply = |program, model| {
        let mut e = event(EventType::ApplicationSubmitted, State::AuditReported, d(2025, 1, 15));
        e.kind = EventKind::ApplicationSubmitted {
            service: SVC.parse().unwrap(),
            program,
            cloud_service: cloud(model),
            special_measures: false,
        };
        e
    };
    assert_eq!(
        refused(&mut r.clone(), &apply(Program::IsmapLiu, ServiceModel::SaaS)).0,
        LifecycleRule::LiuPreApplication
    );
    assert_eq!(refused(&mut r.clone(), &apply(Program::IsmapLiu, ServiceModel::PaaS)).0, LifecycleRule::LiuSaasOnly);
    assert!(r.clone().apply(&apply(Program::Ismap, ServiceModel::PaaS)).is_ok());
    // With the pre-application first, the LIU application passes.
    let (mut evs, _) = path_to(State::NotStarted);
    evs.push(pre(ServiceModel::SaaS, ImpactLevel::Low));
    let (rest, _) = path_to(State::AuditReported);
    evs.extend(rest.into_iter().skip(2));
    let mut r = Registry::replay(WorkflowRules::default(), &evs).unwrap();
    r.apply(&apply(Program::IsmapLiu, ServiceModel::SaaS)).unwrap();
}

#[test]
fn registration_number_is_unique_per_service() {
    let (evs, last) = path_to(State::Approved);
    let mut r = Registry::replay(WorkflowRules::default(), &evs).unwrap();
    // Another service already holds C25-0001-1.
    let mut other: Vec<Event> = path_to(State::Registered).0.into_iter().skip(2).collect();
    for e in &mut other {
        e.kind = serde_json::from_str(&serde_json::to_string(&e.kind).unwrap().replace("\"svc\"", "\"svc2\"")).unwrap();
        e.at = at(last);
    }
    for e in &other {
        r.apply(e).unwrap();
    }
    let reg = event(EventType::Registered, State::Approved, last.succ_opt().unwrap());
    let (rule, v) = refused(&mut r, &reg);
    assert_eq!(rule, LifecycleRule::RegistrationNumberUnique);
    assert!(matches!(v, Violation::NumberInUse { owner, .. } if owner.as_str() == "svc2"));
}

#[test]
fn expiry_and_validity_while_renewal_pending() {
    let (r, _) = registered();
    let svc = SVC.parse().unwrap();
    // Period 2024-01-01..=2024-12-31: expiry 2025-01-01 + 1 year 4 months = 2026-05-01 (last valid day).
    assert_eq!(r.valid_until(&svc, d(2025, 6, 1)), ValidUntil::Date { date: d(2026, 5, 1) });
    assert_eq!(r.listing(&svc, d(2026, 5, 1)), ListingStatus::Valid);
    assert_eq!(r.listing(&svc, d(2026, 5, 2)), ListingStatus::Expired);
    assert_eq!(r.state_of(&Subject::Service(svc.clone()), d(2026, 5, 2)), State::Expired);

    let (mut pending, _) = reach(State::RenewalPending);
    assert_eq!(pending.listing(&svc, d(2026, 3, 1)), ListingStatus::RenewalPending);
    assert_eq!(pending.listing(&svc, d(2026, 9, 1)), ListingStatus::ValidPendingRenewalDecision);
    assert_eq!(pending.valid_until(&svc, d(2026, 9, 1)), ValidUntil::PendingRenewalDecision { expiry: d(2026, 5, 1) });
    // Decided after the expiry date: renewed, the new period sets the new expiry.
    let mut renewed = pending.clone();
    renewed.apply(&event(EventType::RenewalRenewed, State::RenewalPending, d(2026, 9, 1))).unwrap();
    assert_eq!(renewed.valid_until(&svc, d(2026, 9, 1)), ValidUntil::Date { date: d(2027, 5, 1) });
    // Refused after the expiry date: expired at once.
    pending.apply(&event(EventType::RenewalRefused, State::RenewalPending, d(2026, 9, 1))).unwrap();
    assert_eq!(pending.listing(&svc, d(2026, 9, 1)), ListingStatus::Expired);

    // A renewal application after expiry is refused, naming the rule.
    let (evs, _) = path_to(State::RenewalAuditReported);
    let mut r = Registry::replay(WorkflowRules::default(), &evs).unwrap();
    let (rule, v) = refused(&mut r, &event(EventType::RenewalApplied, State::RenewalAuditReported, d(2026, 5, 2)));
    assert_eq!(rule, LifecycleRule::RenewalBeforeExpiry);
    assert_eq!(v, Violation::RegistrationExpired { expiry: d(2026, 5, 1) });
}

#[test]
fn incidents_final_only_after_preliminary() {
    let (mut r, last) = registered();
    let day = last.succ_opt().unwrap();
    let fin = event(EventType::IncidentFinal, State::Registered, day);
    let (rule, v) = refused(&mut r, &fin);
    assert_eq!(rule, LifecycleRule::FinalAfterPreliminary);
    assert!(matches!(v, Violation::NoPreliminaryReport { .. }));
    r.apply(&event(EventType::IncidentPreliminary, State::Registered, day)).unwrap();
    assert_eq!(
        refused(&mut r, &event(EventType::IncidentPreliminary, State::Registered, day)).0,
        LifecycleRule::IncidentIdUnique
    );
    let due = r.deadlines(day, d(2030, 1, 1));
    assert!(due.deadlines.iter().any(|x| x.due == day + chrono::Days::new(30)));
    r.apply(&fin).unwrap();
    assert!(matches!(
        refused(&mut r, &fin),
        (LifecycleRule::FinalAfterPreliminary, Violation::FinalAlreadyReported { .. })
    ));
}

#[test]
fn chronological_order_and_actor_roles() {
    let (mut r, last) = registered();
    let early = event(EventType::ControlChangeNotified, State::Registered, last.pred_opt().unwrap());
    assert_eq!(refused(&mut r, &early).0, LifecycleRule::ChronologicalOrder);
    let mut by_ipa = event(EventType::ControlChangeNotified, State::Registered, last);
    by_ipa.actor = Actor::Ipa {};
    let (rule, v) = refused(&mut r, &by_ipa);
    assert_eq!(rule, LifecycleRule::ActorRole);
    assert!(matches!(v, Violation::ActorNotPermitted { .. }));
}

/// Months are counted as the Civil Code counts them (arts. 140 and 143; issue 13 item 1), both by
/// the period-length guard and by the report deadline: 12 months from 2024-02-29 end on
/// 2025-02-28, 3 months from 31 March end on 30 June, and 3 months from 30 November end on the
/// last day of February (there is no 30 February).
#[test]
fn months_are_counted_as_the_civil_code_counts_them() {
    let listed = Event::new(
        at(d(2023, 6, 1)),
        Actor::SteeringCommittee {},
        EventKind::AuditInstitutionListed {
            institution: "firm".parse().unwrap(),
            name: Text::new("テスト監査法人", "Test Audit Firm"),
            kind: InstitutionKind::AuditFirm,
        },
    );
    let declare = |start, end, on| {
        Event::new(
            at(on),
            provider(),
            EventKind::AssessmentPeriodDeclared {
                service: SVC.parse().unwrap(),
                period: AssessmentPeriod::new(start, end).unwrap(),
            },
        )
    };
    let mut r = Registry::new(WorkflowRules::default());
    r.apply(&listed).unwrap();
    assert!(r.clone().apply(&declare(d(2024, 2, 29), d(2025, 2, 28), d(2024, 3, 1))).is_ok());
    let (rule, v) = refused(&mut r.clone(), &declare(d(2024, 3, 31), d(2024, 6, 29), d(2024, 4, 1)));
    assert_eq!(rule, LifecycleRule::PeriodLength);
    assert!(matches!(v, Violation::Period(PeriodError::TooShort { .. })));
    // Exactly 3 months (2023-08-30..=2023-11-29); the report is due 3 months from 2023-11-30.
    r.apply(&declare(d(2023, 8, 30), d(2023, 11, 29), d(2023, 8, 30))).unwrap();
    r.apply(&Event::new(
        at(d(2023, 8, 31)),
        provider(),
        EventKind::AuditEngaged { service: SVC.parse().unwrap(), institution: "firm".parse().unwrap() },
    ))
    .unwrap();
    let report = |on| Event::new(at(on), firm(), EventKind::AuditReportIssued { service: SVC.parse().unwrap() });
    assert!(r.clone().apply(&report(d(2024, 2, 29))).is_ok());
    let (rule, v) = refused(&mut r, &report(d(2024, 3, 1)));
    assert_eq!(rule, LifecycleRule::ReportDeadline);
    assert_eq!(v, Violation::ReportLate { report: d(2024, 3, 1), due: d(2024, 2, 29) });
}
