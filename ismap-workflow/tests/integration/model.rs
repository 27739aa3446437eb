//! Model-based property test: random event sequences are applied to the registry and to a small
//! reference model written independently of the transition table; they must agree on every
//! acceptance, refusal and state. The registry never panics, and replay is deterministic and
//! idempotent (also through a JSON Lines round trip).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate};
use ismap_model::{AssessmentPeriod, CloudService, Program, Provider, ServiceModel, Text};
use ismap_workflow::{
    Actor, CommitteeDecision, Event, EventKind, ImpactLevel, InstitutionKind, ListingStatus, Registry, RenewalDecision,
    ReportStage, State, Subject, WorkflowRules, verify_lines, write_lines,
};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    New,
    PreApp,
    PreCons,
    Declared,
    Engaged,
    Reported,
    Applied,
    Returned,
    Accepted,
    Review,
    Extra,
    Reaudit,
    Awaiting,
    Approved,
    Rejected,
    Reg,
    RDeclared,
    REngaged,
    RReported,
    RPending,
    Expired,
    Withdrawn,
    Revoked,
}

#[derive(Debug, Clone, Default)]
struct Svc {
    s: Option<S>,
    pre_low: bool,
    period: Option<(NaiveDate, NaiveDate)>,
    inst: Option<&'static str>,
    program: Option<Program>,
    reg_period: Option<(NaiveDate, NaiveDate)>,
    expiry: Option<NaiveDate>,
    incidents: BTreeMap<u8, bool>,
}

#[derive(Debug, Clone, Default)]
struct Model {
    svcs: [Svc; 2],
    firm_listed: bool,
    numbers: BTreeMap<u8, usize>,
}

fn add_months(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_add_months(Months::new(m)).unwrap()
}

/// The last day of `m` months from `start` (Civil Code art. 143): the day before the
/// corresponding day, or the last day of the month that has none (where chrono clamps).
fn civil_end(start: NaiveDate, m: u32) -> NaiveDate {
    let same = add_months(start, m);
    if same.day() == start.day() { same - Days::new(1) } else { same }
}

impl Svc {
    fn state(&self, on: NaiveDate) -> S {
        let s = self.s.unwrap_or(S::New);
        match (s, self.expiry) {
            (S::Reg | S::RDeclared | S::REngaged | S::RReported, Some(x)) if on > x => S::Expired,
            _ => s,
        }
    }
}

/// One random step: which service, which event, how many days later, and a variant byte that
/// picks payload details (some of them invalid).
#[derive(Debug, Clone)]
struct Cmd {
    /// Whether to take the natural next step of the service's state (chosen by the model) rather
    /// than `kind`, so that sequences reach registration and renewal.
    follow: bool,
    svc: usize,
    kind: u8,
    days: u64,
    variant: u8,
}

fn cmd() -> impl Strategy<Value = Cmd> {
    (
        proptest::bool::weighted(0.75),
        0usize..2,
        0u8..24,
        prop_oneof![3 => Just(0u64), 4 => 1u64..10, 1 => 10u64..120],
        any::<u8>(),
    )
        .prop_map(|(follow, svc, kind, days, variant)| Cmd { follow, svc, kind, days, variant })
}

fn at(d: NaiveDate) -> DateTime<FixedOffset> {
    d.and_hms_opt(9, 0, 0).unwrap().and_local_timezone(FixedOffset::east_opt(9 * 3600).unwrap()).unwrap()
}

const SVC_IDS: [&str; 2] = ["s0", "s1"];

fn cloud(model: ServiceModel) -> CloudService {
    CloudService::new(Text::en("Svc"), Provider::new(Text::en("P")), model)
}

/// Builds the event for `c` on `date` and predicts, with the reference model, whether it is
/// accepted; on acceptance the model is updated.
fn step(m: &mut Model, c: &Cmd, date: NaiveDate) -> (Event, bool) {
    let v = c.variant;
    let service = SVC_IDS[c.svc].parse().unwrap();
    let prov = Actor::Provider { name: Text::en("P") };
    let firm = Actor::AuditInstitution { institution: "firm".parse().unwrap() };
    let wrong_actor = v.is_multiple_of(23);
    let s = m.svcs[c.svc].state(date);
    let cur = m.svcs[c.svc].clone();
    let registered = matches!(s, S::Reg | S::RDeclared | S::REngaged | S::RReported | S::RPending);
    let start = matches!(s, S::New | S::Expired | S::Withdrawn | S::Rejected);
    let mut next = cur.clone();
    let chosen = if c.follow { natural(s, v) } else { c.kind };
    let (actor, kind, ok, to): (Actor, EventKind, bool, Option<S>) = match chosen {
        0 => {
            let model = if v.is_multiple_of(5) { ServiceModel::IaaS } else { ServiceModel::SaaS };
            let impact = if v.is_multiple_of(7) { ImpactLevel::Medium } else { ImpactLevel::Low };
            let ok = (start || s == S::PreCons) && model == ServiceModel::SaaS && impact == ImpactLevel::Low;
            if ok {
                if start {
                    next.period = None;
                    next.inst = None;
                }
                next.pre_low = true;
            }
            (
                prov,
                EventKind::LiuPreApplication { service, cloud_service: cloud(model), ministry: Text::en("M"), impact },
                ok,
                Some(S::PreApp),
            )
        }
        1 => {
            let ok = start || matches!(s, S::PreApp | S::PreCons);
            if ok && start {
                next.pre_low = false;
                next.period = None;
                next.inst = None;
            }
            (prov, EventKind::PreConsultation { service }, ok, Some(S::PreCons))
        }
        2 => {
            // A period: contiguous with the registered one when registered (unless v says not),
            // of 2, 3, 6, 12 or 13 months.
            let months = [2u32, 3, 6, 12, 13][usize::from(v % 5)];
            let pstart = match (s, cur.reg_period) {
                (S::Reg, Some((_, e))) if !v.is_multiple_of(11) => e + Days::new(1),
                _ => date - Days::new(370),
            };
            let pend = civil_end(pstart, months);
            let len_ok = (3..=12).contains(&months);
            let contiguous = s != S::Reg || cur.reg_period.is_some_and(|(_, e)| e + Days::new(1) == pstart);
            let from_ok = start || matches!(s, S::PreApp | S::PreCons | S::Reg);
            let ok = from_ok && len_ok && contiguous;
            if ok {
                if start || s == S::Reg {
                    next.pre_low = false;
                }
                next.period = Some((pstart, pend));
                next.inst = None;
            }
            (
                prov,
                EventKind::AssessmentPeriodDeclared { service, period: AssessmentPeriod::new(pstart, pend).unwrap() },
                ok,
                Some(if s == S::Reg { S::RDeclared } else { S::Declared }),
            )
        }
        3 => {
            let inst = ["firm", "other", "ghost"][usize::from(v % 3)];
            let inst_ok = inst == "firm" && m.firm_listed;
            let ok = matches!(s, S::Declared | S::RDeclared) && inst_ok;
            if ok {
                next.inst = Some("firm");
            }
            (
                prov,
                EventKind::AuditEngaged { service, institution: inst.parse().unwrap() },
                ok,
                Some(if s == S::RDeclared { S::REngaged } else { S::Engaged }),
            )
        }
        4 => {
            let in_time = cur.period.is_some_and(|(_, e)| date > e && date <= civil_end(e + Days::new(1), 3));
            let ok = matches!(s, S::Engaged | S::REngaged) && m.firm_listed && in_time;
            (
                firm,
                EventKind::AuditReportIssued { service },
                ok,
                Some(if s == S::REngaged { S::RReported } else { S::Reported }),
            )
        }
        5 => {
            let program = if v.is_multiple_of(2) { Program::Ismap } else { Program::IsmapLiu };
            let model = if v.is_multiple_of(3) { ServiceModel::PaaS } else { ServiceModel::SaaS };
            let ok = matches!(s, S::Reported | S::Returned)
                && program.admits(model)
                // The pre-application is required for applications before 2025-04-01 (the
                // default abolition date, issue 13 item 5).
                && (program == Program::Ismap || cur.pre_low || date >= NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
            if ok {
                next.program = Some(program);
            }
            (
                prov,
                EventKind::ApplicationSubmitted {
                    service,
                    program,
                    cloud_service: cloud(model),
                    special_measures: false,
                },
                ok,
                Some(S::Applied),
            )
        }
        6 => (Actor::Ipa {}, EventKind::AcceptancePassed { service }, s == S::Applied, Some(S::Accepted)),
        7 => (
            Actor::Ipa {},
            EventKind::AcceptanceReturned { service, reason: Text::en("r") },
            s == S::Applied,
            Some(S::Returned),
        ),
        8 => (Actor::Ipa {}, EventKind::TechnicalReviewStarted { service }, s == S::Accepted, Some(S::Review)),
        9 => (
            Actor::Ipa {},
            EventKind::AdditionalAuditRequested { service, reason: Text::en("r") },
            s == S::Review,
            Some(S::Extra),
        ),
        10 => (firm, EventKind::AdditionalAuditCompleted { service }, s == S::Extra && m.firm_listed, Some(S::Review)),
        11 => (
            Actor::Ipa {},
            EventKind::ReAuditRequested { service, reason: Text::en("r") },
            s == S::Review,
            Some(S::Reaudit),
        ),
        12 => (firm, EventKind::ReAuditCompleted { service }, s == S::Reaudit && m.firm_listed, Some(S::Review)),
        13 => (Actor::Ipa {}, EventKind::TechnicalReviewCompleted { service }, s == S::Review, Some(S::Awaiting)),
        14 => {
            let register = !v.is_multiple_of(4);
            (
                Actor::SteeringCommittee {},
                EventKind::CommitteeDecided {
                    service,
                    decision: if register { CommitteeDecision::Register } else { CommitteeDecision::Reject },
                    reason: None,
                },
                s == S::Awaiting,
                Some(if register { S::Approved } else { S::Rejected }),
            )
        }
        15 => {
            let n = v % 2;
            let free = m.numbers.get(&n).is_none_or(|owner| *owner == c.svc);
            let ok = s == S::Approved && free;
            if ok {
                let p = cur.period.unwrap();
                next.reg_period = Some(p);
                next.expiry = Some(add_months(p.1 + Days::new(1), 16));
                next.period = None;
                next.inst = None;
                next.pre_low = false;
            }
            (
                Actor::SteeringCommittee {},
                EventKind::Registered { service, number: format!("C25-000{n}-1").parse().unwrap() },
                ok,
                Some(S::Reg),
            )
        }
        16 => {
            (prov, EventKind::RenewalApplied { service, multi_year_cycle: None }, s == S::RReported, Some(S::RPending))
        }
        17 => {
            let renew = !v.is_multiple_of(3);
            let ok = s == S::RPending;
            if ok && renew {
                let p = cur.period.unwrap();
                next.reg_period = Some(p);
                next.expiry = Some(add_months(p.1 + Days::new(1), 16));
            }
            if ok {
                next.period = None;
                next.inst = None;
            }
            (
                Actor::SteeringCommittee {},
                EventKind::RenewalDecided {
                    service,
                    decision: if renew { RenewalDecision::Renewed } else { RenewalDecision::Refused },
                    reason: None,
                },
                ok,
                Some(S::Reg),
            )
        }
        18 => (
            prov,
            EventKind::ControlChangeNotified { service, summary: Text::en("c"), controls: Vec::new() },
            registered,
            Some(s),
        ),
        19 => {
            let id = v % 3;
            let fin = v.is_multiple_of(2);
            let ok = registered && matches!((fin, cur.incidents.get(&id)), (false, None) | (true, Some(false)));
            if ok {
                next.incidents.insert(id, fin);
            }
            (
                prov,
                EventKind::IncidentReported {
                    service,
                    incident: format!("i{id}").parse().unwrap(),
                    stage: if fin { ReportStage::Final } else { ReportStage::Preliminary },
                    summary: Text::en("i"),
                },
                ok,
                Some(s),
            )
        }
        20 => (prov, EventKind::Withdrawn { service, reason: None }, !start && s != S::Revoked, Some(S::Withdrawn)),
        21 => (
            Actor::SteeringCommittee {},
            EventKind::Revoked { service, reason: Text::en("r") },
            registered,
            Some(S::Revoked),
        ),
        22 => {
            let ok = !m.firm_listed;
            if ok {
                m.firm_listed = true;
            }
            return (
                Event::new(
                    at(date),
                    Actor::SteeringCommittee {},
                    EventKind::AuditInstitutionListed {
                        institution: "firm".parse().unwrap(),
                        name: Text::en("Firm"),
                        kind: InstitutionKind::AuditFirm,
                    },
                ),
                ok,
            );
        }
        _ => {
            let ok = m.firm_listed;
            if ok {
                m.firm_listed = false;
            }
            return (
                Event::new(
                    at(date),
                    Actor::SteeringCommittee {},
                    EventKind::AuditInstitutionDelisted { institution: "firm".parse().unwrap(), reason: None },
                ),
                ok,
            );
        }
    };
    let actor = if wrong_actor { Actor::AuditInstitution { institution: "other".parse().unwrap() } } else { actor };
    // A wrong actor is refused whatever the state: by role, or (for audit-institution events) as
    // an institution that was never engaged nor listed.
    let ok = ok && !wrong_actor;
    if ok {
        if chosen == 15 {
            m.numbers.insert(c.variant % 2, c.svc);
        }
        next.s = to;
        m.svcs[c.svc] = next;
    }
    (Event::new(at(date), actor, kind), ok)
}

/// The usual next event kind from `s` (with some alternatives picked by `v`).
fn natural(s: S, v: u8) -> u8 {
    match s {
        S::New | S::Expired | S::Withdrawn | S::Rejected => [2, 2, 0, 1][usize::from(v % 4)],
        S::PreApp | S::PreCons => 2,
        S::Declared | S::RDeclared => 3,
        S::Engaged | S::REngaged => 4,
        S::Reported | S::Returned => 5,
        S::Applied => {
            if v.is_multiple_of(5) {
                7
            } else {
                6
            }
        }
        S::Accepted => 8,
        S::Review => [13, 13, 9, 11][usize::from(v % 4)],
        S::Extra => 10,
        S::Reaudit => 12,
        S::Awaiting => 14,
        S::Approved => 15,
        S::Reg => [2, 2, 18, 19, 19, 20, 21, 22][usize::from(v % 8)],
        S::RReported => 16,
        S::RPending => [17, 17, 18, 19][usize::from(v % 4)],
        S::Revoked => 1,
    }
}

fn to_state(s: S) -> State {
    match s {
        S::New => State::NotStarted,
        S::PreApp => State::PreApplied,
        S::PreCons => State::PreConsulted,
        S::Declared => State::PeriodDeclared,
        S::Engaged => State::AuditEngaged,
        S::Reported => State::AuditReported,
        S::Applied => State::Applied,
        S::Returned => State::Returned,
        S::Accepted => State::Accepted,
        S::Review => State::UnderReview,
        S::Extra => State::AdditionalAudit,
        S::Reaudit => State::ReAudit,
        S::Awaiting => State::AwaitingDecision,
        S::Approved => State::Approved,
        S::Rejected => State::Rejected,
        S::Reg => State::Registered,
        S::RDeclared => State::RenewalPeriodDeclared,
        S::REngaged => State::RenewalAuditEngaged,
        S::RReported => State::RenewalAuditReported,
        S::RPending => State::RenewalPending,
        S::Expired => State::Expired,
        S::Withdrawn => State::Withdrawn,
        S::Revoked => State::Revoked,
    }
}

fn same_state(model: S, real: State) -> bool {
    to_state(model) == real
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn registry_agrees_with_reference_model(cmds in proptest::collection::vec(cmd(), 1..200)) {
        let mut model = Model::default();
        let mut registry = Registry::new(WorkflowRules::default());
        let mut date = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let mut accepted = Vec::new();
        let (listing, ok) = step(&mut model, &Cmd { follow: false, svc: 0, kind: 22, days: 0, variant: 1 }, date);
        prop_assert!(ok);
        registry.apply(&listing).unwrap();
        accepted.push(listing);
        for c in &cmds {
            date = date + Days::new(c.days);
            let (event, expect_ok) = step(&mut model, c, date);
            let result = registry.apply(&event);
            prop_assert_eq!(result.is_ok(), expect_ok, "{:?} -> {:?}", event.kind, result);
            if result.is_ok() {
                accepted.push(event);
            }
            for (i, id) in SVC_IDS.iter().enumerate() {
                let real = registry.state_of(&Subject::Service(id.parse().unwrap()), date);
                let expected = model.svcs[i].state(date);
                prop_assert!(same_state(expected, real), "service {}: model {:?}, registry {}", id, expected, real);
                let listed = registry.listing(&id.parse().unwrap(), date).is_valid();
                let model_listed = matches!(expected, S::Reg | S::RDeclared | S::REngaged | S::RReported | S::RPending);
                prop_assert_eq!(listed, model_listed);
                if expected == S::RPending && model.svcs[i].expiry.is_some_and(|x| date > x) {
                    prop_assert_eq!(registry.listing(&id.parse().unwrap(), date), ListingStatus::ValidPendingRenewalDecision);
                }
            }
        }
        // Replay of the accepted events is deterministic and idempotent.
        let once = Registry::replay(WorkflowRules::default(), &accepted).unwrap();
        let twice = Registry::replay(WorkflowRules::default(), &accepted).unwrap();
        prop_assert_eq!(&once, &registry);
        prop_assert_eq!(&once, &twice);
        // And survives the journal: write, verify, read back, replay.
        let mut buf = Vec::new();
        write_lines(&mut buf, &accepted).unwrap();
        let mut back = Vec::new();
        let report = verify_lines(buf.as_slice(), |e| back.push(e.event)).unwrap();
        prop_assert!(report.is_ok());
        prop_assert_eq!(&back, &accepted);
        prop_assert_eq!(Registry::replay(WorkflowRules::default(), &back).unwrap(), registry);
    }
}

/// The generator reaches the deep states (registration, renewal, refusal paths), so the property
/// above exercises them rather than only early refusals.
#[test]
fn generator_reaches_deep_states() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..300 {
        let cmds = proptest::collection::vec(cmd(), 1..200).new_tree(&mut runner).unwrap().current();
        let mut model = Model::default();
        let mut date = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        step(&mut model, &Cmd { follow: false, svc: 0, kind: 22, days: 0, variant: 1 }, date);
        for c in &cmds {
            date = date + Days::new(c.days);
            step(&mut model, c, date);
            for s in &model.svcs {
                seen.insert(to_state(s.state(date)));
            }
        }
    }
    for s in [
        State::PreApplied,
        State::Returned,
        State::AdditionalAudit,
        State::ReAudit,
        State::Rejected,
        State::Registered,
        State::RenewalAuditReported,
        State::RenewalPending,
        State::Expired,
        State::Withdrawn,
        State::Revoked,
    ] {
        assert!(seen.contains(&s), "{s} never reached; seen {seen:?}");
    }
}
