//! The registry: the state of every service and audit institution, built by applying events one
//! at a time through the transition table and its guards.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, Months, NaiveDate};
use ismap_model::{
    AssessmentPeriod, CloudService, ISMAP_FIRST_LIST, PeriodError, Program, RegistrationNumber, ServiceModel, Text,
};
use schemars::JsonSchema;
use serde::Serialize;

use crate::machine::transition;
use crate::{
    Actor, Event, EventKind, EventType, ImpactLevel, IncidentId, InstitutionId, InstitutionKind, IsmsCertificate,
    LifecycleRule, ReportStage, Role, ServiceId, State, Subject, WorkflowRules,
};

/// The progress of the current registration cycle (a first registration, or a renewal).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Cycle {
    /// The ISMAP-LIU pre-application, if one was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_application: Option<PreApplication>,
    /// The declared assessment period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<AssessmentPeriod>,
    /// The engaged audit institution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution: Option<InstitutionId>,
    /// When the audit report was issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<NaiveDate>,
    /// When the application was submitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_on: Option<NaiveDate>,
    /// For a renewal using the management criteria's multi-year audit cycle: the ISMS certificate
    /// it rests on (ISMAP FAQ KB0011399).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_year_cycle: Option<IsmsCertificate>,
}

/// An ISMAP-LIU pre-application (事前申請).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PreApplication {
    /// When.
    pub on: NaiveDate,
    /// The procuring ministry.
    pub ministry: Text,
    /// Its impact assessment.
    pub impact: ImpactLevel,
}

/// A registration on the cloud service list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Registration {
    /// The registration number.
    pub number: RegistrationNumber,
    /// ISMAP or ISMAP-LIU.
    pub program: Program,
    /// The date of the first registration.
    pub registered_on: NaiveDate,
    /// The date of the last renewal, if renewed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewed_on: Option<NaiveDate>,
    /// The assessment period the registration currently rests on.
    pub period: AssessmentPeriod,
    /// The audit institution that audited that period.
    pub institution: InstitutionId,
    /// The last valid day: the day after the period's end plus 1 year 4 months (facts rule 6).
    pub expiry: NaiveDate,
    /// When a renewal application still awaiting its decision was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewal_applied_on: Option<NaiveDate>,
}

/// An incident reported by a registered service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Incident {
    /// The preliminary report's date (速報).
    pub preliminary_on: NaiveDate,
    /// The final report's date (確報), once made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_on: Option<NaiveDate>,
    /// The summary of the latest report.
    pub summary: Text,
}

/// How a registration or application ended (rejection, withdrawal or revocation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Ending {
    /// When.
    pub on: NaiveDate,
    /// The state entered.
    pub state: State,
    /// Why, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

/// Everything the registry knows about one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceRecord {
    /// The service.
    pub id: ServiceId,
    /// The state after the last event (see [`ServiceRecord::state_on`] for expiry).
    pub state: State,
    /// The service as last described (pre-application or application).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_service: Option<CloudService>,
    /// The program last applied for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<Program>,
    /// The cycle in progress.
    pub cycle: Cycle,
    /// The current (or last) registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// Incidents reported, by id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub incidents: BTreeMap<IncidentId, Incident>,
    /// Control changes (統制変更) notified.
    pub control_changes: u32,
    /// The date of the last control change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_control_change: Option<NaiveDate>,
    /// How it ended, when rejected, withdrawn or revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending: Option<Ending>,
    /// The date of the first event.
    pub first_event: NaiveDate,
    /// The date of the last event.
    pub last_event: NaiveDate,
    /// How many events concern the service.
    pub events: u64,
}

impl ServiceRecord {
    fn new(id: ServiceId, date: NaiveDate) -> Self {
        Self {
            id,
            state: State::NotStarted,
            cloud_service: None,
            program: None,
            cycle: Cycle::default(),
            registration: None,
            incidents: BTreeMap::new(),
            control_changes: 0,
            last_control_change: None,
            ending: None,
            first_event: date,
            last_event: date,
            events: 0,
        }
    }

    /// The state on `date`: the stored state, except that a registered service with no pending
    /// renewal is [`State::Expired`] after its expiry date (facts rules 6 and 7).
    #[must_use]
    pub fn state_on(&self, date: NaiveDate) -> State {
        match (&self.registration, self.state) {
            (Some(r), s) if s.is_registered() && s != State::RenewalPending && date > r.expiry => State::Expired,
            (_, s) => s,
        }
    }
}

/// An audit institution and its listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InstitutionRecord {
    /// The institution.
    pub id: InstitutionId,
    /// Its name.
    pub name: Text,
    /// Audit firm or other.
    pub kind: InstitutionKind,
    /// Listed or delisted.
    pub state: State,
    /// When it was (last) listed.
    pub listed_on: NaiveDate,
    /// When it was delisted, if it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delisted_on: Option<NaiveDate>,
    /// Why it was delisted, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delisting_reason: Option<Text>,
}

/// What an accepted event did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Applied {
    /// The service or institution.
    pub subject: Subject,
    /// The transition label.
    pub event: EventType,
    /// The state before (with expiry taken into account).
    pub from: State,
    /// The state after.
    pub to: State,
}

/// Why an event breaks a rule: the offending values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// The table has no transition for this event in this state.
    #[error("the event is not allowed in this state")]
    NoTransition,
    /// The actor's role may not perform the event.
    #[error("a {actor} may not record it (allowed: {allowed})")]
    ActorNotPermitted {
        /// The actor's role.
        actor: Role,
        /// The roles allowed, comma-separated.
        allowed: String,
    },
    /// The event is dated before the previous event in the journal.
    #[error("it is dated {at}, before the previous event at {previous}")]
    BeforePrevious {
        /// The event's time.
        at: DateTime<FixedOffset>,
        /// The previous event's time.
        previous: DateTime<FixedOffset>,
    },
    /// The assessment period breaks the length or contiguity rule.
    #[error("{0}")]
    Period(PeriodError),
    /// The institution is not on the list on the event's date.
    #[error("audit institution `{institution}` is not on the audit institution list on {on}")]
    InstitutionNotListed {
        /// The institution.
        institution: InstitutionId,
        /// The date.
        on: NaiveDate,
    },
    /// The institution's kind is not accepted.
    #[error("audit institution `{institution}` is of kind `{kind}`, which is not accepted")]
    InstitutionKindNotAccepted {
        /// The institution.
        institution: InstitutionId,
        /// Its kind.
        kind: InstitutionKind,
    },
    /// The report or audit comes from another actor than the engaged institution.
    #[error("the engaged audit institution is `{expected}`, not {actual}")]
    NotEngagedInstitution {
        /// The engaged institution.
        expected: InstitutionId,
        /// Who recorded the event.
        actual: String,
    },
    /// The report is issued before the period ended.
    #[error("the report is dated {report}, but the assessment period ends on {period_end}")]
    ReportBeforePeriodEnd {
        /// The report date.
        report: NaiveDate,
        /// The period's last day.
        period_end: NaiveDate,
    },
    /// The report is issued after its due date.
    #[error("the report is dated {report}, after its due date {due}")]
    ReportLate {
        /// The report date.
        report: NaiveDate,
        /// The due date.
        due: NaiveDate,
    },
    /// The program does not admit the service model.
    #[error("{program} does not admit {model} services")]
    ProgramNotAdmitted {
        /// The program.
        program: Program,
        /// The service model.
        model: ServiceModel,
    },
    /// The impact assessment is not low.
    #[error("the procuring ministry's impact assessment is `{impact}`, not `low`")]
    ImpactNotLow {
        /// The assessment.
        impact: ImpactLevel,
    },
    /// No low-impact pre-application in this cycle.
    #[error("no ISMAP-LIU pre-application with a low impact assessment precedes the application")]
    NoPreApplication,
    /// The registration number belongs to another service.
    #[error("registration number `{number}` already belongs to service `{owner}`")]
    NumberInUse {
        /// The number.
        number: RegistrationNumber,
        /// The service that has it.
        owner: ServiceId,
    },
    /// The registration expired.
    #[error("the registration expired on {expiry}")]
    RegistrationExpired {
        /// The expiry date (last valid day).
        expiry: NaiveDate,
    },
    /// A final report for an incident with no preliminary one.
    #[error("incident `{incident}` has no preliminary report")]
    NoPreliminaryReport {
        /// The incident.
        incident: IncidentId,
    },
    /// A final report for an incident already closed.
    #[error("incident `{incident}` already has its final report")]
    FinalAlreadyReported {
        /// The incident.
        incident: IncidentId,
    },
    /// A second preliminary report for the same incident id.
    #[error("incident `{incident}` was already reported")]
    IncidentAlreadyReported {
        /// The incident.
        incident: IncidentId,
    },
    /// The event predates the program it belongs to.
    #[error("{program} began on {starts}; nothing of it can happen before")]
    ProgramNotInOperation {
        /// The program.
        program: Program,
        /// Its first day.
        starts: NaiveDate,
    },
    /// An ISMAP registration dated before the first cloud service list was published.
    #[error("the first ISMAP cloud service list was published on {first_list}; no registration predates it")]
    BeforeFirstList {
        /// The first list's date.
        first_list: NaiveDate,
    },
    /// The ISMAP-LIU special measures are claimed where they do not apply.
    #[error("the ISMAP-LIU special measures apply only to ISMAP-LIU applications made from {from} through {until}")]
    SpecialMeasuresUnavailable {
        /// First day they applied.
        from: NaiveDate,
        /// Last day they applied.
        until: NaiveDate,
    },
    /// The management multi-year audit cycle is claimed before it existed.
    #[error("the management criteria's multi-year audit cycle applies from {from}")]
    MultiYearCycleNotInForce {
        /// Its first day.
        from: NaiveDate,
    },
    /// The ISMS certificate's body is not IAF-accredited.
    #[error("ISMS certificate `{number}` is not from an IAF-accredited certification body")]
    CertificateNotAccredited {
        /// The certificate number.
        number: String,
    },
    /// The ISMS certificate is not valid over the whole assessment period.
    #[error(
        "ISMS certificate `{number}` is valid {valid_from}..={valid_until}, not over the whole assessment period {period_start}..={period_end}"
    )]
    CertificateDoesNotCoverPeriod {
        /// The certificate number.
        number: String,
        /// First day valid.
        valid_from: NaiveDate,
        /// Last day valid.
        valid_until: NaiveDate,
        /// The period's first day.
        period_start: NaiveDate,
        /// The period's last day.
        period_end: NaiveDate,
    },
    /// The ISMS certificate's scope leaves out the service or the organisation.
    #[error("the scope of ISMS certificate `{number}` does not cover {}", service.as_ref().map_or_else(|| "the organisation".to_owned(), |s| format!("service `{s}`")))]
    CertificateScope {
        /// The certificate number.
        number: String,
        /// The service left out, or `None` when the organisation is.
        service: Option<ServiceId>,
    },
    /// A date computation left the calendar's range.
    #[error("a date is out of range")]
    DateOutOfRange,
}

impl Violation {
    /// The explanation in both languages.
    #[must_use]
    pub fn text(&self) -> Text {
        let ja = match self {
            Self::NoTransition => "この状態では許されない事象".to_owned(),
            Self::ActorNotPermitted { actor, allowed } => {
                format!("{} はこの事象を記録できない（可: {allowed}）", actor.text().get(ismap_model::Lang::Ja))
            }
            Self::BeforePrevious { at, previous } => format!("日時 {at} が直前の事象 {previous} より前"),
            Self::Period(e) => e.text().get(ismap_model::Lang::Ja).to_owned(),
            Self::InstitutionNotListed { institution, on } => {
                format!("監査機関 `{institution}` は {on} に監査機関リストに掲載されていない")
            }
            Self::InstitutionKindNotAccepted { institution, kind } => {
                format!("監査機関 `{institution}` の種別 `{kind}` は認められていない（当面は監査法人のみ）")
            }
            Self::NotEngagedInstitution { expected, actual } => {
                format!("契約した監査機関は `{expected}` であり {actual} ではない")
            }
            Self::ReportBeforePeriodEnd { report, period_end } => {
                format!("報告書の日付 {report} が監査対象期間の終了日 {period_end} 以前")
            }
            Self::ReportLate { report, due } => format!("報告書の日付 {report} が期限 {due} を過ぎている"),
            Self::ProgramNotAdmitted { program, model } => format!("{program} は {model} を対象としない"),
            Self::ImpactNotLow { impact } => format!("調達省庁の影響度評価が低位ではない（{impact}）"),
            Self::NoPreApplication => "低位の影響度評価を伴う ISMAP-LIU 事前申請がない".to_owned(),
            Self::NumberInUse { number, owner } => format!("登録番号 `{number}` はサービス `{owner}` が使用中"),
            Self::RegistrationExpired { expiry } => format!("登録は {expiry} に有効期限を迎えた"),
            Self::NoPreliminaryReport { incident } => format!("インシデント `{incident}` の速報がない"),
            Self::FinalAlreadyReported { incident } => format!("インシデント `{incident}` は確報済み"),
            Self::IncidentAlreadyReported { incident } => format!("インシデント `{incident}` は速報済み"),
            Self::ProgramNotInOperation { program, starts } => {
                format!("{program} は {starts} に開始しており、それ以前の事象はありえない")
            }
            Self::BeforeFirstList { first_list } => {
                format!("最初の ISMAP クラウドサービスリストは {first_list} に公開されており、それ以前の登録はない")
            }
            Self::SpecialMeasuresUnavailable { from, until } => {
                format!("ISMAP-LIU 特別措置は {from} から {until} までの ISMAP-LIU 申請に限られる")
            }
            Self::MultiYearCycleNotInForce { from } => {
                format!("マネジメント基準の複数年監査は {from} から適用される")
            }
            Self::CertificateNotAccredited { number } => {
                format!("ISMS 認証 `{number}` は IAF 加盟認定機関の認定を受けた認証機関のものではない")
            }
            Self::CertificateDoesNotCoverPeriod { number, valid_from, valid_until, period_start, period_end } => {
                format!(
                    "ISMS 認証 `{number}` の有効期間 {valid_from}〜{valid_until} が監査対象期間 {period_start}〜{period_end} 全体を覆っていない"
                )
            }
            Self::CertificateScope { number, service } => {
                let what = service.as_ref().map_or_else(|| "組織".to_owned(), |s| format!("サービス `{s}`"));
                format!("ISMS 認証 `{number}` の適用範囲が{what}を含まない")
            }
            Self::DateOutOfRange => "日付が範囲外".to_owned(),
        };
        Text::new(ja, self.to_string())
    }
}

/// An event the lifecycle rules refuse: the subject, its state, the event and the rule broken.
///
/// ```
/// use ismap_workflow::{Event, LifecycleRule, Registry, State, WorkflowRules};
/// let json = r#"{"at":"2024-04-01T09:00:00+09:00","actor":{"role":"ipa"},
///   "kind":{"type":"acceptancePassed","service":"s1"}}"#;
/// let event: Event = serde_json::from_str(json)?;
/// let err = Registry::new(WorkflowRules::default()).apply(&event).unwrap_err();
/// assert_eq!((err.state(), err.rule()), (State::NotStarted, LifecycleRule::Transition));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{subject} in state `{state}`: event `{event}` breaks rule `{rule}`: {violation}")]
pub struct RejectedEvent {
    subject: Subject,
    state: State,
    event: EventType,
    rule: LifecycleRule,
    violation: Violation,
}

impl RejectedEvent {
    /// The service or institution.
    #[must_use]
    pub const fn subject(&self) -> &Subject {
        &self.subject
    }

    /// Its state when the event arrived.
    #[must_use]
    pub const fn state(&self) -> State {
        self.state
    }

    /// The event's transition label.
    #[must_use]
    pub const fn event(&self) -> EventType {
        self.event
    }

    /// The rule broken.
    #[must_use]
    pub const fn rule(&self) -> LifecycleRule {
        self.rule
    }

    /// The offending values.
    #[must_use]
    pub const fn violation(&self) -> &Violation {
        &self.violation
    }

    /// The message in both languages.
    #[must_use]
    pub fn text(&self) -> Text {
        let v = self.violation.text();
        Text::new(
            format!(
                "{}（状態 {}）: 事象 {}（{}）は規則 {}「{}」に反する: {}",
                self.subject,
                self.state.text().get(ismap_model::Lang::Ja),
                self.event,
                self.event.name_ja(),
                self.rule,
                self.rule.title().get(ismap_model::Lang::Ja),
                v.get(ismap_model::Lang::Ja)
            ),
            self.to_string(),
        )
    }
}

/// The state of every service and audit institution after a sequence of events.
///
/// Replay is deterministic: it depends only on the rules and the order of events, never on the
/// clock or on hash-map order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    rules: WorkflowRules,
    services: BTreeMap<ServiceId, ServiceRecord>,
    institutions: BTreeMap<InstitutionId, InstitutionRecord>,
    numbers: BTreeMap<RegistrationNumber, ServiceId>,
    last_at: Option<DateTime<FixedOffset>>,
    events: u64,
}

/// An event at position `seq` (1-based) of a replayed sequence was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event #{seq}: {error}")]
pub struct ReplayError {
    seq: u64,
    error: RejectedEvent,
}

impl ReplayError {
    /// The 1-based position of the refused event.
    #[must_use]
    pub const fn seq(&self) -> u64 {
        self.seq
    }

    /// Why it was refused.
    #[must_use]
    pub const fn error(&self) -> &RejectedEvent {
        &self.error
    }
}

/// The last day of a span of `months` starting on `first`, counted as the Civil Code counts
/// months (arts. 140, 143; [`ismap_model::months_end`]): 3 months from 2023-10-01 run through
/// 2023-12-31, 3 months from 2023-11-30 through 2024-02-29.
pub(crate) fn months_after(first: NaiveDate, months: u32) -> Option<NaiveDate> {
    ismap_model::months_end(first, months)
}

/// The expiry date of a registration resting on `period`: the day after the period's last day
/// plus `months` (facts rule 6: 1 year 4 months), taken as the last valid day.
pub(crate) fn expiry_of(period: &AssessmentPeriod, months: u32) -> Option<NaiveDate> {
    period.day_after_end()?.checked_add_months(Months::new(months))
}

impl Registry {
    /// An empty registry applying `rules`.
    #[must_use]
    pub const fn new(rules: WorkflowRules) -> Self {
        Self {
            rules,
            services: BTreeMap::new(),
            institutions: BTreeMap::new(),
            numbers: BTreeMap::new(),
            last_at: None,
            events: 0,
        }
    }

    /// Applies every event in order.
    ///
    /// # Errors
    /// The first refused event, with its 1-based position.
    pub fn replay<'a>(rules: WorkflowRules, events: impl IntoIterator<Item = &'a Event>) -> Result<Self, ReplayError> {
        let mut r = Self::new(rules);
        for (i, e) in events.into_iter().enumerate() {
            r.apply(e).map_err(|error| ReplayError { seq: i as u64 + 1, error })?;
        }
        Ok(r)
    }

    /// Applies the events dated on or before `date` (the journal is in time order, so this is a
    /// prefix): the registry as it stood at the end of `date`.
    ///
    /// # Errors
    /// The first refused event, with its 1-based position.
    pub fn replay_until<'a>(
        rules: WorkflowRules,
        events: impl IntoIterator<Item = &'a Event>,
        date: NaiveDate,
    ) -> Result<Self, ReplayError> {
        Self::replay(rules, events.into_iter().take_while(|e| e.date() <= date))
    }

    /// The rules applied.
    #[must_use]
    pub const fn rules(&self) -> &WorkflowRules {
        &self.rules
    }

    /// Number of events applied.
    #[must_use]
    pub const fn len(&self) -> u64 {
        self.events
    }

    /// Whether no event was applied.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.events == 0
    }

    /// The time of the last event applied.
    #[must_use]
    pub const fn last_event_at(&self) -> Option<DateTime<FixedOffset>> {
        self.last_at
    }

    /// Every service, by id.
    #[must_use]
    pub const fn services(&self) -> &BTreeMap<ServiceId, ServiceRecord> {
        &self.services
    }

    /// The service a registration number was given to.
    #[must_use]
    pub fn service_by_number(&self, number: &RegistrationNumber) -> Option<&ServiceId> {
        self.numbers.get(number)
    }

    /// One service.
    #[must_use]
    pub fn service(&self, id: &ServiceId) -> Option<&ServiceRecord> {
        self.services.get(id)
    }

    /// Every audit institution, by id.
    #[must_use]
    pub const fn institutions(&self) -> &BTreeMap<InstitutionId, InstitutionRecord> {
        &self.institutions
    }

    /// The state of `subject` on `date` (expiry taken into account).
    #[must_use]
    pub fn state_of(&self, subject: &Subject, date: NaiveDate) -> State {
        match subject {
            Subject::Service(s) => self.services.get(s).map_or(State::NotStarted, |r| r.state_on(date)),
            Subject::Institution(i) => self.institutions.get(i).map_or(State::InstitutionUnlisted, |r| r.state),
        }
    }

    fn listed(&self, institution: &InstitutionId, on: NaiveDate) -> Result<&InstitutionRecord, Violation> {
        self.institutions
            .get(institution)
            .filter(|i| i.state == State::InstitutionListed)
            .ok_or_else(|| Violation::InstitutionNotListed { institution: institution.clone(), on })
    }

    /// Checks `event` against the transition table and its guards and, if it passes, applies it.
    /// A refused event leaves the registry unchanged.
    ///
    /// # Errors
    /// [`RejectedEvent`] naming the subject, its state, the event and the rule broken.
    pub fn apply(&mut self, event: &Event) -> Result<Applied, RejectedEvent> {
        let date = event.date();
        let subject = event.subject();
        let current = self.state_of(&subject, date);
        let ev = event.kind.event_type();
        let reject =
            |rule, violation| RejectedEvent { subject: subject.clone(), state: current, event: ev, rule, violation };

        if let Some(previous) = self.last_at.filter(|p| event.at < *p) {
            return Err(reject(
                LifecycleRule::ChronologicalOrder,
                Violation::BeforePrevious { at: event.at, previous },
            ));
        }
        let Some(t) = transition(current, ev) else {
            // Explain a refusal caused by expiry rather than by the table alone.
            if let (State::Expired, Subject::Service(s)) = (current, &subject)
                && let Some(rec) = self.services.get(s)
                && let (Some(reg), true) = (&rec.registration, transition(rec.state, ev).is_some())
            {
                let rule = if ev == EventType::RenewalApplied {
                    LifecycleRule::RenewalBeforeExpiry
                } else {
                    LifecycleRule::RegistrationValid
                };
                return Err(reject(rule, Violation::RegistrationExpired { expiry: reg.expiry }));
            }
            return Err(reject(LifecycleRule::Transition, Violation::NoTransition));
        };
        let role = event.actor.role();
        if !t.actors.contains(&role) {
            let allowed: Vec<String> = t.actors.iter().map(ToString::to_string).collect();
            return Err(reject(
                LifecycleRule::ActorRole,
                Violation::ActorNotPermitted { actor: role, allowed: allowed.join(", ") },
            ));
        }
        let to = t.to;
        let program = match (&event.kind, &subject) {
            (EventKind::LiuPreApplication { .. }, _) => Program::IsmapLiu,
            (EventKind::ApplicationSubmitted { program, .. }, _) => *program,
            (_, Subject::Service(s)) => self.services.get(s).and_then(|r| r.program).unwrap_or(Program::Ismap),
            (_, Subject::Institution(_)) => Program::Ismap,
        };
        if date < program.start_date() {
            return Err(reject(
                LifecycleRule::ProgramInOperation,
                Violation::ProgramNotInOperation { program, starts: program.start_date() },
            ));
        }
        // The first ISMAP cloud service list was published on 2021-03-12: no ISMAP registration
        // is dated before it.
        if ev == EventType::Registered && program == Program::Ismap && date < ISMAP_FIRST_LIST {
            return Err(reject(
                LifecycleRule::ProgramInOperation,
                Violation::BeforeFirstList { first_list: ISMAP_FIRST_LIST },
            ));
        }

        if let EventKind::AuditInstitutionListed { institution, name, kind } = &event.kind {
            self.institutions.insert(
                institution.clone(),
                InstitutionRecord {
                    id: institution.clone(),
                    name: name.clone(),
                    kind: *kind,
                    state: to,
                    listed_on: date,
                    delisted_on: None,
                    delisting_reason: None,
                },
            );
            return Ok(self.commit(event, subject, current, to));
        }
        if let EventKind::AuditInstitutionDelisted { institution, reason } = &event.kind {
            if let Some(rec) = self.institutions.get_mut(institution) {
                rec.state = to;
                rec.delisted_on = Some(date);
                rec.delisting_reason.clone_from(reason);
            }
            return Ok(self.commit(event, subject, current, to));
        }
        let Subject::Service(sid) = &subject else {
            return Err(reject(LifecycleRule::Transition, Violation::NoTransition));
        };

        // Guards: read-only checks, each naming its rule.
        let rec = self.services.get(sid);
        let cycle = rec.map(|r| &r.cycle);
        let new_cycle = State::CYCLE_START.contains(&current)
            || (current == State::Registered && ev == EventType::AssessmentPeriodDeclared);
        match &event.kind {
            EventKind::LiuPreApplication { cloud_service, impact, .. } => {
                if !Program::IsmapLiu.admits(cloud_service.model) {
                    return Err(reject(
                        LifecycleRule::LiuSaasOnly,
                        Violation::ProgramNotAdmitted { program: Program::IsmapLiu, model: cloud_service.model },
                    ));
                }
                if *impact != ImpactLevel::Low {
                    return Err(reject(LifecycleRule::LiuLowImpact, Violation::ImpactNotLow { impact: *impact }));
                }
            }
            EventKind::AssessmentPeriodDeclared { period, .. } => {
                period
                    .check(&self.rules.period)
                    .map_err(|e| reject(LifecycleRule::PeriodLength, Violation::Period(e)))?;
                if current == State::Registered
                    && let Some(reg) = rec.and_then(|r| r.registration.as_ref())
                {
                    period
                        .check_follows(&reg.period)
                        .map_err(|e| reject(LifecycleRule::PeriodContiguity, Violation::Period(e)))?;
                }
            }
            EventKind::AuditEngaged { institution, .. } => {
                let inst = self.listed(institution, date).map_err(|v| reject(LifecycleRule::InstitutionListed, v))?;
                if !self.rules.accepted_institution_kinds.contains(&inst.kind) {
                    return Err(reject(
                        LifecycleRule::InstitutionKind,
                        Violation::InstitutionKindNotAccepted { institution: institution.clone(), kind: inst.kind },
                    ));
                }
            }
            EventKind::AuditReportIssued { .. } | EventKind::AdditionalAuditCompleted { .. } => {
                let engaged = cycle.and_then(|c| c.institution.as_ref());
                let by = match &event.actor {
                    Actor::AuditInstitution { institution } => Some(institution),
                    _ => None,
                };
                let (Some(engaged), Some(by)) = (engaged, by) else {
                    return Err(reject(LifecycleRule::Transition, Violation::NoTransition));
                };
                if engaged != by {
                    return Err(reject(
                        LifecycleRule::EngagedInstitution,
                        Violation::NotEngagedInstitution { expected: engaged.clone(), actual: format!("`{by}`") },
                    ));
                }
                self.listed(by, date).map_err(|v| reject(LifecycleRule::InstitutionListed, v))?;
                if ev == EventType::AuditReportIssued {
                    let Some(period) = cycle.and_then(|c| c.period) else {
                        return Err(reject(LifecycleRule::Transition, Violation::NoTransition));
                    };
                    if date <= period.end() {
                        return Err(reject(
                            LifecycleRule::ReportAfterPeriod,
                            Violation::ReportBeforePeriodEnd { report: date, period_end: period.end() },
                        ));
                    }
                    if let Some(m) = self.rules.report_due_months {
                        let due = period
                            .day_after_end()
                            .and_then(|d| months_after(d, m))
                            .ok_or_else(|| reject(LifecycleRule::ReportDeadline, Violation::DateOutOfRange))?;
                        if date > due {
                            return Err(reject(
                                LifecycleRule::ReportDeadline,
                                Violation::ReportLate { report: date, due },
                            ));
                        }
                    }
                }
            }
            EventKind::ReAuditCompleted { .. } => {
                let Actor::AuditInstitution { institution } = &event.actor else {
                    return Err(reject(LifecycleRule::Transition, Violation::NoTransition));
                };
                let inst = self.listed(institution, date).map_err(|v| reject(LifecycleRule::InstitutionListed, v))?;
                if !self.rules.accepted_institution_kinds.contains(&inst.kind) {
                    return Err(reject(
                        LifecycleRule::InstitutionKind,
                        Violation::InstitutionKindNotAccepted { institution: institution.clone(), kind: inst.kind },
                    ));
                }
            }
            EventKind::ApplicationSubmitted { program, cloud_service, special_measures, .. } => {
                if !program.admits(cloud_service.model) {
                    return Err(reject(
                        LifecycleRule::LiuSaasOnly,
                        Violation::ProgramNotAdmitted { program: *program, model: cloud_service.model },
                    ));
                }
                let pre_ok =
                    cycle.and_then(|c| c.pre_application.as_ref()).is_some_and(|p| p.impact == ImpactLevel::Low);
                // Required only for applications made before the pre-application's abolition.
                if *program == Program::IsmapLiu
                    && !pre_ok
                    && LifecycleRule::LiuPreApplication.in_force(&self.rules, date)
                {
                    return Err(reject(LifecycleRule::LiuPreApplication, Violation::NoPreApplication));
                }
                let measures = LifecycleRule::LiuSpecialMeasures;
                if *special_measures && (*program != Program::IsmapLiu || !measures.in_force(&self.rules, date)) {
                    let range = measures.effective(&self.rules);
                    return Err(reject(
                        measures,
                        Violation::SpecialMeasuresUnavailable {
                            from: range.from.unwrap_or(date),
                            until: range.until.unwrap_or(date),
                        },
                    ));
                }
            }
            EventKind::Registered { number, .. } => {
                if let Some(owner) = self.numbers.get(number).filter(|o| *o != sid) {
                    return Err(reject(
                        LifecycleRule::RegistrationNumberUnique,
                        Violation::NumberInUse { number: number.clone(), owner: owner.clone() },
                    ));
                }
                let c = cycle.filter(|c| c.period.is_some() && c.institution.is_some());
                if c.is_none() || rec.and_then(|r| r.program).is_none() {
                    return Err(reject(LifecycleRule::Transition, Violation::NoTransition));
                }
            }
            EventKind::RenewalApplied { multi_year_cycle, .. } => {
                if let Some(reg) = rec.and_then(|r| r.registration.as_ref()).filter(|r| date > r.expiry) {
                    return Err(reject(
                        LifecycleRule::RenewalBeforeExpiry,
                        Violation::RegistrationExpired { expiry: reg.expiry },
                    ));
                }
                if let Some(cert) = multi_year_cycle {
                    let period = cycle
                        .and_then(|c| c.period)
                        .ok_or_else(|| reject(LifecycleRule::Transition, Violation::NoTransition))?;
                    self.check_certificate(sid, date, cert, &period)
                        .map_err(|v| reject(LifecycleRule::MultiYearCycleCertificate, v))?;
                }
            }
            EventKind::RenewalDecided { .. } => {
                if cycle.and_then(|c| c.period).is_none() || cycle.and_then(|c| c.institution.as_ref()).is_none() {
                    return Err(reject(LifecycleRule::Transition, Violation::NoTransition));
                }
            }
            EventKind::IncidentReported { incident, stage, .. } => {
                let existing = rec.and_then(|r| r.incidents.get(incident));
                match (stage, existing) {
                    (ReportStage::Preliminary, Some(_)) => {
                        return Err(reject(
                            LifecycleRule::IncidentIdUnique,
                            Violation::IncidentAlreadyReported { incident: incident.clone() },
                        ));
                    }
                    (ReportStage::Final, None) => {
                        return Err(reject(
                            LifecycleRule::FinalAfterPreliminary,
                            Violation::NoPreliminaryReport { incident: incident.clone() },
                        ));
                    }
                    (ReportStage::Final, Some(i)) if i.final_on.is_some() => {
                        return Err(reject(
                            LifecycleRule::FinalAfterPreliminary,
                            Violation::FinalAlreadyReported { incident: incident.clone() },
                        ));
                    }
                    _ => {}
                }
            }
            EventKind::PreConsultation { .. }
            | EventKind::AcceptancePassed { .. }
            | EventKind::AcceptanceReturned { .. }
            | EventKind::TechnicalReviewStarted { .. }
            | EventKind::AdditionalAuditRequested { .. }
            | EventKind::ReAuditRequested { .. }
            | EventKind::TechnicalReviewCompleted { .. }
            | EventKind::CommitteeDecided { .. }
            | EventKind::ControlChangeNotified { .. }
            | EventKind::Withdrawn { .. }
            | EventKind::Revoked { .. }
            | EventKind::AuditInstitutionListed { .. }
            | EventKind::AuditInstitutionDelisted { .. } => {}
        }

        // Effects: every guard passed.
        let validity = self.rules.validity_months;
        let rec = self.services.entry(sid.clone()).or_insert_with(|| ServiceRecord::new(sid.clone(), date));
        if new_cycle {
            rec.cycle = Cycle::default();
            if ev != EventType::AssessmentPeriodDeclared || current != State::Registered {
                rec.ending = None;
            }
        }
        match &event.kind {
            EventKind::LiuPreApplication { cloud_service, ministry, impact, .. } => {
                rec.cloud_service = Some(cloud_service.clone());
                rec.cycle.pre_application =
                    Some(PreApplication { on: date, ministry: ministry.clone(), impact: *impact });
            }
            EventKind::AssessmentPeriodDeclared { period, .. } => rec.cycle.period = Some(*period),
            EventKind::AuditEngaged { institution, .. } => rec.cycle.institution = Some(institution.clone()),
            EventKind::AuditReportIssued { .. } => rec.cycle.reported_on = Some(date),
            EventKind::ReAuditCompleted { .. } => {
                if let Actor::AuditInstitution { institution } = &event.actor {
                    rec.cycle.institution = Some(institution.clone());
                }
            }
            EventKind::ApplicationSubmitted { program, cloud_service, .. } => {
                rec.program = Some(*program);
                rec.cloud_service = Some(cloud_service.clone());
                rec.cycle.applied_on = Some(date);
            }
            EventKind::CommitteeDecided { reason, .. } if to == State::Rejected => {
                rec.ending = Some(Ending { on: date, state: to, reason: reason.clone() });
            }
            EventKind::Registered { number, .. } => {
                if let (Some(period), Some(institution), Some(program)) =
                    (rec.cycle.period, rec.cycle.institution.clone(), rec.program)
                {
                    let expiry = expiry_of(&period, validity).unwrap_or(period.end());
                    rec.registration = Some(Registration {
                        number: number.clone(),
                        program,
                        registered_on: date,
                        renewed_on: None,
                        period,
                        institution,
                        expiry,
                        renewal_applied_on: None,
                    });
                    rec.cycle = Cycle::default();
                    self.numbers.insert(number.clone(), sid.clone());
                }
            }
            EventKind::RenewalApplied { multi_year_cycle, .. } => {
                if let Some(reg) = rec.registration.as_mut() {
                    reg.renewal_applied_on = Some(date);
                }
                rec.cycle.applied_on = Some(date);
                rec.cycle.multi_year_cycle.clone_from(multi_year_cycle);
            }
            EventKind::RenewalDecided { .. } => {
                let cycle = std::mem::take(&mut rec.cycle);
                if let Some(reg) = rec.registration.as_mut() {
                    reg.renewal_applied_on = None;
                    if ev == EventType::RenewalRenewed
                        && let (Some(period), Some(institution)) = (cycle.period, cycle.institution)
                    {
                        reg.expiry = expiry_of(&period, validity).unwrap_or(reg.expiry);
                        reg.period = period;
                        reg.institution = institution;
                        reg.renewed_on = Some(date);
                    }
                }
            }
            EventKind::ControlChangeNotified { .. } => {
                rec.control_changes += 1;
                rec.last_control_change = Some(date);
            }
            EventKind::IncidentReported { incident, stage, summary, .. } => match stage {
                ReportStage::Preliminary => {
                    rec.incidents.insert(
                        incident.clone(),
                        Incident { preliminary_on: date, final_on: None, summary: summary.clone() },
                    );
                }
                ReportStage::Final => {
                    if let Some(i) = rec.incidents.get_mut(incident) {
                        i.final_on = Some(date);
                        i.summary = summary.clone();
                    }
                }
            },
            EventKind::Withdrawn { reason, .. } => {
                rec.ending = Some(Ending { on: date, state: to, reason: reason.clone() });
            }
            EventKind::Revoked { reason, .. } => {
                rec.ending = Some(Ending { on: date, state: to, reason: Some(reason.clone()) });
            }
            _ => {}
        }
        rec.state = to;
        rec.last_event = date;
        rec.events += 1;
        Ok(self.commit(event, subject, current, to))
    }

    /// The conditions of the management criteria's multi-year audit cycle (ISMAP FAQ KB0011399):
    /// in force on the application date, an IAF-accredited certificate valid over the whole
    /// assessment period, its scope covering the service and the organisation.
    fn check_certificate(
        &self,
        service: &ServiceId,
        date: NaiveDate,
        cert: &IsmsCertificate,
        period: &AssessmentPeriod,
    ) -> Result<(), Violation> {
        let rule = LifecycleRule::MultiYearCycleCertificate;
        if !rule.in_force(&self.rules, date) {
            return Err(Violation::MultiYearCycleNotInForce { from: rule.effective(&self.rules).from.unwrap_or(date) });
        }
        let number = cert.number.clone();
        if !cert.iaf_accredited {
            return Err(Violation::CertificateNotAccredited { number });
        }
        if cert.valid_from > period.start() || cert.valid_until < period.end() {
            return Err(Violation::CertificateDoesNotCoverPeriod {
                number,
                valid_from: cert.valid_from,
                valid_until: cert.valid_until,
                period_start: period.start(),
                period_end: period.end(),
            });
        }
        if !cert.scope_services.contains(service) {
            return Err(Violation::CertificateScope { number, service: Some(service.clone()) });
        }
        if !cert.covers_organization {
            return Err(Violation::CertificateScope { number, service: None });
        }
        Ok(())
    }

    fn commit(&mut self, event: &Event, subject: Subject, from: State, to: State) -> Applied {
        self.last_at = Some(event.at);
        self.events += 1;
        Applied { subject, event: event.kind.event_type(), from, to }
    }
}

impl fmt::Display for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} event(s), {} service(s), {} audit institution(s)",
            self.events,
            self.services.len(),
            self.institutions.len()
        )
    }
}
