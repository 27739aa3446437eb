//! The states and the transition table of the registration lifecycle (facts §3.4, DERIVED),
//! exportable as Mermaid and Graphviz DOT.

use std::fmt;
use std::fmt::Write as _;
use std::sync::LazyLock;

use ismap_model::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{EventType, LifecycleRule, Role};

/// A state of a service's registration, or of an audit institution's listing.
///
/// `Expired` is never entered by an event: a registered service whose expiry date has passed
/// without a pending renewal *is* expired on any later date ([`EventType::Expiry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum State {
    /// No event yet for the service.
    NotStarted,
    /// ISMAP-LIU pre-application (事前申請) made with a low impact assessment.
    PreApplied,
    /// Pre-consultation (事前相談) held.
    PreConsulted,
    /// Assessment period (監査対象期間) declared.
    PeriodDeclared,
    /// Audit engaged (監査契約).
    AuditEngaged,
    /// Audit report (実施結果報告書) issued.
    AuditReported,
    /// Application (登録申請) submitted.
    Applied,
    /// Returned by the acceptance check (差戻し).
    Returned,
    /// Acceptance check (受理確認) passed.
    Accepted,
    /// Under technical review (技術的審査).
    UnderReview,
    /// Additional audit (追加監査) in progress.
    AdditionalAudit,
    /// Re-audit (再監査) in progress.
    ReAudit,
    /// Review complete, awaiting the steering committee (運営委員会).
    AwaitingDecision,
    /// Approved by the committee, awaiting the registration number.
    Approved,
    /// Rejected by the committee.
    Rejected,
    /// Registered (登録) and on the cloud service list.
    Registered,
    /// Registered; the next period (renewal) declared.
    RenewalPeriodDeclared,
    /// Registered; the next period's audit engaged.
    RenewalAuditEngaged,
    /// Registered; the next period's report issued.
    RenewalAuditReported,
    /// Registered; renewal applied (更新申請), valid past expiry until the decision.
    RenewalPending,
    /// The registration expired (失効).
    Expired,
    /// Withdrawn by the provider (取下げ).
    Withdrawn,
    /// Revoked (取消).
    Revoked,
    /// Audit institution: never listed.
    InstitutionUnlisted,
    /// Audit institution: on the audit institution list.
    InstitutionListed,
    /// Audit institution: removed from the list.
    InstitutionDelisted,
}

/// Which state machine a state belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Machine {
    /// A cloud service's registration.
    Service,
    /// An audit institution's listing.
    Institution,
}

impl State {
    /// Every state.
    pub const ALL: [Self; 26] = [
        Self::NotStarted,
        Self::PreApplied,
        Self::PreConsulted,
        Self::PeriodDeclared,
        Self::AuditEngaged,
        Self::AuditReported,
        Self::Applied,
        Self::Returned,
        Self::Accepted,
        Self::UnderReview,
        Self::AdditionalAudit,
        Self::ReAudit,
        Self::AwaitingDecision,
        Self::Approved,
        Self::Rejected,
        Self::Registered,
        Self::RenewalPeriodDeclared,
        Self::RenewalAuditEngaged,
        Self::RenewalAuditReported,
        Self::RenewalPending,
        Self::Expired,
        Self::Withdrawn,
        Self::Revoked,
        Self::InstitutionUnlisted,
        Self::InstitutionListed,
        Self::InstitutionDelisted,
    ];

    /// States in which a service is registered (on the list while not expired).
    pub const REGISTERED: [Self; 5] = [
        Self::Registered,
        Self::RenewalPeriodDeclared,
        Self::RenewalAuditEngaged,
        Self::RenewalAuditReported,
        Self::RenewalPending,
    ];

    /// States from which a new registration cycle may start.
    pub const CYCLE_START: [Self; 4] = [Self::NotStarted, Self::Expired, Self::Withdrawn, Self::Rejected];

    /// The machine the state belongs to.
    #[must_use]
    pub const fn machine(self) -> Machine {
        match self {
            Self::InstitutionUnlisted | Self::InstitutionListed | Self::InstitutionDelisted => Machine::Institution,
            _ => Machine::Service,
        }
    }

    /// Whether a service in this state is registered (before considering the expiry date).
    #[must_use]
    pub fn is_registered(self) -> bool {
        Self::REGISTERED.contains(&self)
    }

    /// The camelCase name used in files and diagrams.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "notStarted",
            Self::PreApplied => "preApplied",
            Self::PreConsulted => "preConsulted",
            Self::PeriodDeclared => "periodDeclared",
            Self::AuditEngaged => "auditEngaged",
            Self::AuditReported => "auditReported",
            Self::Applied => "applied",
            Self::Returned => "returned",
            Self::Accepted => "accepted",
            Self::UnderReview => "underReview",
            Self::AdditionalAudit => "additionalAudit",
            Self::ReAudit => "reAudit",
            Self::AwaitingDecision => "awaitingDecision",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Registered => "registered",
            Self::RenewalPeriodDeclared => "renewalPeriodDeclared",
            Self::RenewalAuditEngaged => "renewalAuditEngaged",
            Self::RenewalAuditReported => "renewalAuditReported",
            Self::RenewalPending => "renewalPending",
            Self::Expired => "expired",
            Self::Withdrawn => "withdrawn",
            Self::Revoked => "revoked",
            Self::InstitutionUnlisted => "institutionUnlisted",
            Self::InstitutionListed => "institutionListed",
            Self::InstitutionDelisted => "institutionDelisted",
        }
    }

    /// The state's name in both languages.
    #[must_use]
    pub fn text(self) -> Text {
        let (ja, en) = match self {
            Self::NotStarted => ("未着手", "not started"),
            Self::PreApplied => ("事前申請済", "pre-applied (LIU)"),
            Self::PreConsulted => ("事前相談済", "pre-consulted"),
            Self::PeriodDeclared => ("監査対象期間設定済", "period declared"),
            Self::AuditEngaged => ("監査中", "audit engaged"),
            Self::AuditReported => ("実施結果報告書受領", "audit reported"),
            Self::Applied => ("登録申請中", "applied"),
            Self::Returned => ("差戻し", "returned"),
            Self::Accepted => ("受理", "accepted"),
            Self::UnderReview => ("技術的審査中", "under technical review"),
            Self::AdditionalAudit => ("追加監査中", "additional audit"),
            Self::ReAudit => ("再監査中", "re-audit"),
            Self::AwaitingDecision => ("運営委員会審議待ち", "awaiting committee decision"),
            Self::Approved => ("登録決定", "approved"),
            Self::Rejected => ("登録不可", "rejected"),
            Self::Registered => ("登録", "registered"),
            Self::RenewalPeriodDeclared => ("登録（更新期間設定済）", "registered, renewal period declared"),
            Self::RenewalAuditEngaged => ("登録（更新監査中）", "registered, renewal audit engaged"),
            Self::RenewalAuditReported => ("登録（更新監査報告済）", "registered, renewal audit reported"),
            Self::RenewalPending => ("登録（更新申請中）", "registered, renewal pending"),
            Self::Expired => ("失効", "expired"),
            Self::Withdrawn => ("取下げ", "withdrawn"),
            Self::Revoked => ("取消", "revoked"),
            Self::InstitutionUnlisted => ("未掲載", "not listed"),
            Self::InstitutionListed => ("監査機関リスト掲載", "listed"),
            Self::InstitutionDelisted => ("監査機関リスト抹消", "delisted"),
        };
        Text::new(ja, en)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the transition table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Transition {
    /// The state before.
    pub from: State,
    /// The event.
    pub event: EventType,
    /// The state after.
    pub to: State,
    /// Roles allowed to perform the event (empty for the passage of time).
    pub actors: Vec<Role>,
    /// The guards checked besides the table itself.
    pub guards: Vec<LifecycleRule>,
}

const IN_CYCLE: [State; 13] = [
    State::PreApplied,
    State::PreConsulted,
    State::PeriodDeclared,
    State::AuditEngaged,
    State::AuditReported,
    State::Applied,
    State::Returned,
    State::Accepted,
    State::UnderReview,
    State::AdditionalAudit,
    State::ReAudit,
    State::AwaitingDecision,
    State::Approved,
];

static TABLE: LazyLock<Vec<Transition>> = LazyLock::new(build);

fn build() -> Vec<Transition> {
    use EventType as E;
    use LifecycleRule as R;
    use Role::{AuditInstitution, Ipa, Provider, SteeringCommittee};
    use State as S;

    let mut t = Vec::new();
    let mut add = |from: &[State], event: EventType, to: State, actors: &[Role], guards: &[LifecycleRule]| {
        for f in from {
            t.push(Transition { from: *f, event, to, actors: actors.to_vec(), guards: guards.to_vec() });
        }
    };
    let starts = State::CYCLE_START;
    let pre = [S::NotStarted, S::PreApplied, S::PreConsulted, S::Expired, S::Withdrawn, S::Rejected];
    let reg = State::REGISTERED;
    let audit_guards = [R::EngagedInstitution, R::InstitutionListed, R::ReportAfterPeriod, R::ReportDeadline];

    add(
        &[&starts[..], &[S::PreConsulted]].concat(),
        E::LiuPreApplication,
        S::PreApplied,
        &[Provider],
        &[R::LiuSaasOnly, R::LiuLowImpact],
    );
    add(&pre, E::PreConsultation, S::PreConsulted, &[Provider], &[]);
    add(&pre, E::AssessmentPeriodDeclared, S::PeriodDeclared, &[Provider], &[R::PeriodLength]);
    add(
        &[S::Registered],
        E::AssessmentPeriodDeclared,
        S::RenewalPeriodDeclared,
        &[Provider],
        &[R::PeriodLength, R::PeriodContiguity],
    );
    let engage = [R::InstitutionListed, R::InstitutionKind];
    add(&[S::PeriodDeclared], E::AuditEngaged, S::AuditEngaged, &[Provider], &engage);
    add(&[S::RenewalPeriodDeclared], E::AuditEngaged, S::RenewalAuditEngaged, &[Provider], &engage);
    add(&[S::AuditEngaged], E::AuditReportIssued, S::AuditReported, &[AuditInstitution], &audit_guards);
    add(&[S::RenewalAuditEngaged], E::AuditReportIssued, S::RenewalAuditReported, &[AuditInstitution], &audit_guards);
    add(
        &[S::AuditReported, S::Returned],
        E::ApplicationSubmitted,
        S::Applied,
        &[Provider],
        &[R::LiuSaasOnly, R::LiuPreApplication],
    );
    add(&[S::Applied], E::AcceptancePassed, S::Accepted, &[Ipa], &[]);
    add(&[S::Applied], E::AcceptanceReturned, S::Returned, &[Ipa], &[]);
    add(&[S::Accepted], E::TechnicalReviewStarted, S::UnderReview, &[Ipa], &[]);
    add(&[S::UnderReview], E::AdditionalAuditRequested, S::AdditionalAudit, &[Ipa], &[]);
    add(
        &[S::AdditionalAudit],
        E::AdditionalAuditCompleted,
        S::UnderReview,
        &[AuditInstitution],
        &[R::EngagedInstitution, R::InstitutionListed],
    );
    add(&[S::UnderReview], E::ReAuditRequested, S::ReAudit, &[Ipa], &[]);
    add(
        &[S::ReAudit],
        E::ReAuditCompleted,
        S::UnderReview,
        &[AuditInstitution],
        &[R::InstitutionListed, R::InstitutionKind],
    );
    add(&[S::UnderReview], E::TechnicalReviewCompleted, S::AwaitingDecision, &[Ipa], &[]);
    add(&[S::AwaitingDecision], E::CommitteeRegister, S::Approved, &[SteeringCommittee], &[]);
    add(&[S::AwaitingDecision], E::CommitteeReject, S::Rejected, &[SteeringCommittee], &[]);
    add(&[S::Approved], E::Registered, S::Registered, &[SteeringCommittee, Ipa], &[R::RegistrationNumberUnique]);
    add(&[S::RenewalAuditReported], E::RenewalApplied, S::RenewalPending, &[Provider], &[R::RenewalBeforeExpiry]);
    add(&[S::RenewalPending], E::RenewalRenewed, S::Registered, &[SteeringCommittee], &[]);
    add(&[S::RenewalPending], E::RenewalRefused, S::Registered, &[SteeringCommittee], &[]);
    for s in reg {
        add(&[s], E::ControlChangeNotified, s, &[Provider], &[R::RegistrationValid]);
        add(&[s], E::IncidentPreliminary, s, &[Provider], &[R::RegistrationValid, R::IncidentIdUnique]);
        add(&[s], E::IncidentFinal, s, &[Provider], &[R::RegistrationValid, R::FinalAfterPreliminary]);
    }
    add(&reg, E::Revoked, S::Revoked, &[SteeringCommittee], &[]);
    add(&[&IN_CYCLE[..], &reg[..]].concat(), E::Withdrawn, S::Withdrawn, &[Provider], &[]);
    add(
        &[S::Registered, S::RenewalPeriodDeclared, S::RenewalAuditEngaged, S::RenewalAuditReported],
        E::Expiry,
        S::Expired,
        &[],
        &[],
    );
    add(
        &[S::InstitutionUnlisted, S::InstitutionDelisted],
        E::InstitutionListed,
        S::InstitutionListed,
        &[SteeringCommittee],
        &[],
    );
    add(&[S::InstitutionListed], E::InstitutionDelisted, S::InstitutionDelisted, &[SteeringCommittee], &[]);
    t
}

/// The transition table: every allowed (state, event) pair, the state after, who may perform the
/// event and the guards checked. [`crate::Registry::apply`] is driven by this table.
///
/// ```
/// use ismap_workflow::{transitions, EventType, State};
/// let t = transitions().iter().find(|t| t.from == State::RenewalPending && t.event == EventType::RenewalRenewed);
/// assert_eq!(t.map(|t| t.to), Some(State::Registered));
/// ```
#[must_use]
pub fn transitions() -> &'static [Transition] {
    &TABLE
}

/// The transition for `event` from `from`, if the table allows it.
#[must_use]
pub fn transition(from: State, event: EventType) -> Option<&'static Transition> {
    TABLE.iter().find(|t| t.from == from && t.event == event)
}

fn label(t: &Transition) -> String {
    if t.guards.is_empty() {
        t.event.as_str().to_owned()
    } else {
        let g: Vec<&str> = t.guards.iter().map(|g| g.id()).collect();
        format!("{} [{}]", t.event.as_str(), g.join(", "))
    }
}

/// The transition table as a Mermaid `stateDiagram-v2`, one block per machine.
#[must_use]
pub fn to_mermaid() -> String {
    let mut out = String::from("stateDiagram-v2\n");
    for (machine, title) in [(Machine::Service, "Service registration"), (Machine::Institution, "Audit institution")] {
        let _ = writeln!(out, "    state \"{title}\" as {machine:?} {{");
        if machine == Machine::Service {
            let _ = writeln!(out, "        [*] --> notStarted");
        } else {
            let _ = writeln!(out, "        [*] --> institutionUnlisted");
        }
        for t in TABLE.iter().filter(|t| t.from.machine() == machine) {
            let _ = writeln!(out, "        {} --> {}: {}", t.from, t.to, label(t));
        }
        out.push_str("    }\n");
    }
    out
}

/// The transition table as a Graphviz DOT digraph, one cluster per machine.
#[must_use]
pub fn to_dot() -> String {
    let mut out = String::from("digraph ismap_registration {\n    rankdir=LR;\n    node [shape=box, style=rounded];\n");
    for (machine, title) in [(Machine::Service, "Service registration"), (Machine::Institution, "Audit institution")] {
        let _ = writeln!(out, "    subgraph cluster_{machine:?} {{\n        label=\"{title}\";");
        for s in State::ALL.iter().filter(|s| s.machine() == machine) {
            let _ =
                writeln!(out, "        {} [label=\"{}\\n{}\"];", s, s.as_str(), s.text().get(ismap_model::Lang::Ja));
        }
        for t in TABLE.iter().filter(|t| t.from.machine() == machine) {
            let _ = writeln!(out, "        {} -> {} [label=\"{}\"];", t.from, t.to, label(t));
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn table_is_a_function_of_state_and_event() {
        let mut seen = BTreeSet::new();
        for t in transitions() {
            assert!(seen.insert((t.from, t.event)), "duplicate row {} {}", t.from, t.event);
            assert_eq!(t.from.machine(), t.to.machine(), "{} -> {}", t.from, t.to);
        }
    }

    #[test]
    fn every_state_is_reachable_and_every_event_used() {
        let targets: BTreeSet<State> = transitions().iter().map(|t| t.to).collect();
        for s in State::ALL {
            if s != State::NotStarted && s != State::InstitutionUnlisted {
                assert!(targets.contains(&s), "{s} unreachable");
            }
        }
        let events: BTreeSet<EventType> = transitions().iter().map(|t| t.event).collect();
        assert_eq!(events.len(), EventType::ALL.len());
    }

    #[test]
    fn diagrams_mention_every_row() {
        let (m, d) = (to_mermaid(), to_dot());
        for t in transitions() {
            assert!(m.contains(&format!("{} --> {}: {}", t.from, t.to, t.event)), "{t:?}");
            assert!(d.contains(&format!("{} -> {} [label=\"{}", t.from, t.to, t.event)), "{t:?}");
        }
    }
}
