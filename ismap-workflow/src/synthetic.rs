//! Synthetic registries for benchmarks and tests (feature `test-util`): any number of services,
//! each running a legal lifecycle (first registration, yearly renewals, control changes and
//! incidents), interleaved in time order.

use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate};
use ismap_model::{AssessmentPeriod, CloudService, Program, Provider, RegistrationNumber, ServiceModel, Text};

use crate::{
    Actor, CommitteeDecision, Event, EventKind, ImpactLevel, IncidentId, InstitutionId, InstitutionKind,
    RenewalDecision, ReportStage, ServiceId,
};

/// Number of audit institutions the synthetic registry lists.
pub const INSTITUTIONS: usize = 10;

/// The first day events are dated (a Monday, after both programs began: ISMAP 2020-06-03,
/// ISMAP-LIU 2022-11-01); step `t` is `t` weeks later.
fn day(t: u64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2022, 11, 7)?.checked_add_days(Days::new(7 * t))
}

fn at(date: NaiveDate) -> Option<DateTime<FixedOffset>> {
    date.and_hms_opt(10, 0, 0)?.and_local_timezone(FixedOffset::east_opt(9 * 3600)?).single()
}

fn institution(i: usize) -> Option<InstitutionId> {
    format!("inst-{i:02}").parse().ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    PreApply,
    Declare,
    Engage,
    Report,
    Apply,
    Accept,
    ReviewStart,
    ReviewDone,
    Committee,
    Register,
    RenewDeclare,
    RenewEngage,
    RenewReport,
    RenewApply,
    RenewDecide,
}

/// One service's generator: the next legal event on each step's date.
#[derive(Debug, Clone)]
struct ServiceGen {
    id: ServiceId,
    n: usize,
    liu: bool,
    next: Step,
    period: Option<AssessmentPeriod>,
    filler: u64,
}

impl ServiceGen {
    fn new(n: usize) -> Option<Self> {
        let liu = n.is_multiple_of(10);
        Some(Self {
            id: format!("svc-{n:05}").parse().ok()?,
            n,
            liu,
            next: if liu { Step::PreApply } else { Step::Declare },
            period: None,
            filler: 0,
        })
    }

    fn cloud_service(&self) -> CloudService {
        let model = if self.liu {
            ServiceModel::SaaS
        } else {
            match self.n % 3 {
                0 => ServiceModel::IaaS,
                1 => ServiceModel::PaaS,
                _ => ServiceModel::SaaS,
            }
        };
        CloudService::new(
            Text::new(format!("サービス{}", self.n), format!("Service {}", self.n)),
            Provider::new(Text::new(format!("事業者{}", self.n % 500), format!("Provider {}", self.n % 500))),
            model,
        )
    }

    fn provider(&self) -> Actor {
        Actor::Provider { name: Text::new(format!("事業者{}", self.n % 500), format!("Provider {}", self.n % 500)) }
    }

    fn auditor(&self) -> Option<Actor> {
        Some(Actor::AuditInstitution { institution: institution(self.n % INSTITUTIONS)? })
    }

    /// A control change or one stage of an incident, cycling.
    fn filler(&mut self) -> (Actor, EventKind) {
        let k = self.filler;
        self.filler += 1;
        let service = self.id.clone();
        let incident = format!("inc-{}", k / 3).parse::<IncidentId>();
        match (k % 3, incident) {
            (1, Ok(incident)) => (
                self.provider(),
                EventKind::IncidentReported {
                    service,
                    incident,
                    stage: ReportStage::Preliminary,
                    summary: Text::new("不審な通信を検知", "suspicious traffic detected"),
                },
            ),
            (2, Ok(incident)) => (
                self.provider(),
                EventKind::IncidentReported {
                    service,
                    incident,
                    stage: ReportStage::Final,
                    summary: Text::new("影響なしと確認", "no impact confirmed"),
                },
            ),
            _ => (
                self.provider(),
                EventKind::ControlChangeNotified {
                    service,
                    summary: Text::new("運用手順の更新", "operating procedure updated"),
                    controls: Vec::new(),
                },
            ),
        }
    }

    fn next_event(&mut self, date: NaiveDate) -> Option<Event> {
        let service = self.id.clone();
        let inst = institution(self.n % INSTITUTIONS)?;
        let ipa = Actor::Ipa {};
        let sc = Actor::SteeringCommittee {};
        let (actor, kind, then) = match self.next {
            Step::PreApply => (
                self.provider(),
                EventKind::LiuPreApplication {
                    service,
                    cloud_service: self.cloud_service(),
                    ministry: Text::new("架空省", "Ministry of Examples"),
                    impact: ImpactLevel::Low,
                },
                Step::Declare,
            ),
            Step::Declare => {
                // A 12-month period that ended just before the first events.
                let p = AssessmentPeriod::new(
                    NaiveDate::from_ymd_opt(2021, 11, 1)?,
                    NaiveDate::from_ymd_opt(2022, 10, 31)?,
                )
                .ok()?;
                self.period = Some(p);
                (self.provider(), EventKind::AssessmentPeriodDeclared { service, period: p }, Step::Engage)
            }
            Step::Engage => (self.provider(), EventKind::AuditEngaged { service, institution: inst }, Step::Report),
            Step::Report => (self.auditor()?, EventKind::AuditReportIssued { service }, Step::Apply),
            Step::Apply => (
                self.provider(),
                EventKind::ApplicationSubmitted {
                    service,
                    program: if self.liu { Program::IsmapLiu } else { Program::Ismap },
                    cloud_service: self.cloud_service(),
                    special_measures: false,
                },
                Step::Accept,
            ),
            Step::Accept => (ipa, EventKind::AcceptancePassed { service }, Step::ReviewStart),
            Step::ReviewStart => (ipa, EventKind::TechnicalReviewStarted { service }, Step::ReviewDone),
            Step::ReviewDone => (ipa, EventKind::TechnicalReviewCompleted { service }, Step::Committee),
            Step::Committee => (
                sc,
                EventKind::CommitteeDecided { service, decision: CommitteeDecision::Register, reason: None },
                Step::Register,
            ),
            Step::Register => {
                let letter = char::from(b'C' + u8::try_from(self.n / 10_000).ok()?);
                let number: RegistrationNumber = format!("{letter}20-{:04}-1", self.n % 10_000).parse().ok()?;
                (sc, EventKind::Registered { service, number }, Step::RenewDeclare)
            }
            Step::RenewDeclare => {
                let prev = self.period?;
                let start = prev.day_after_end()?;
                let end = start.checked_add_months(Months::new(12))?.checked_sub_days(Days::new(1))?;
                let p = AssessmentPeriod::new(start, end).ok()?;
                self.period = Some(p);
                (self.provider(), EventKind::AssessmentPeriodDeclared { service, period: p }, Step::RenewEngage)
            }
            Step::RenewEngage => {
                (self.provider(), EventKind::AuditEngaged { service, institution: inst }, Step::RenewReport)
            }
            Step::RenewReport if date > self.period?.end() => {
                (self.auditor()?, EventKind::AuditReportIssued { service }, Step::RenewApply)
            }
            Step::RenewApply => {
                (self.provider(), EventKind::RenewalApplied { service, multi_year_cycle: None }, Step::RenewDecide)
            }
            Step::RenewDecide => (
                sc,
                EventKind::RenewalDecided { service, decision: RenewalDecision::Renewed, reason: None },
                Step::RenewDeclare,
            ),
            Step::RenewReport => {
                let (actor, kind) = self.filler();
                return Some(Event::new(at(date)?, actor, kind));
            }
        };
        self.next = then;
        Some(Event::new(at(date)?, actor, kind))
    }
}

/// The events of a synthetic registry of `services` services with `per_service` events each
/// (plus one listing event per audit institution first), in time order.
///
/// Each service registers (ISMAP, or ISMAP-LIU for every tenth), then renews every year with a
/// contiguous 12-month period, filling the weeks between with control changes and incidents.
/// One event per service per week.
pub fn events(services: usize, per_service: usize) -> impl Iterator<Item = Event> {
    let listings = (0..INSTITUTIONS).filter_map(|i| {
        Some(Event::new(
            at(day(0)?)?,
            Actor::SteeringCommittee {},
            EventKind::AuditInstitutionListed {
                institution: institution(i)?,
                name: Text::new(format!("監査法人{i}"), format!("Audit Firm {i}")),
                kind: InstitutionKind::AuditFirm,
            },
        ))
    });
    let mut gens: Vec<ServiceGen> = (0..services).filter_map(ServiceGen::new).collect();
    let per_service = per_service as u64;
    let body = (0..per_service).flat_map(move |t| {
        let date = day(t);
        let batch: Vec<Event> = gens.iter_mut().filter_map(|g| g.next_event(date?)).collect();
        batch
    });
    listings.chain(body)
}

/// Writes [`events`] as a chained JSON Lines journal; returns the number of entries.
///
/// # Errors
/// A write failure.
pub fn write_journal<W: std::io::Write>(out: W, services: usize, per_service: usize) -> std::io::Result<u64> {
    let mut w = crate::ChainWriter::new(out);
    for e in events(services, per_service) {
        w.push(&e)?;
    }
    let n = w.len();
    w.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Registry, WorkflowRules};

    #[test]
    fn synthetic_registry_replays_cleanly() {
        let events: Vec<Event> = events(30, 150).collect();
        assert_eq!(events.len(), INSTITUTIONS + 30 * 150);
        let r = Registry::replay(WorkflowRules::default(), &events).unwrap();
        assert_eq!(r.services().len(), 30);
        let renewed = r.services().values().filter(|s| s.registration.as_ref().is_some_and(|g| g.renewed_on.is_some()));
        assert!(renewed.count() > 0);
    }
}
