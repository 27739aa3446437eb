//! Registration events: what happened, when, and who did it.
//!
//! An [`Event`] is a fact recorded in the journal: a timestamp, an [`Actor`] and an [`EventKind`].
//! The lifecycle rules that decide whether an event may happen are in [`crate::Registry::apply`];
//! an event here is only well-formed data (valid ids, dates and text).

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use ismap_model::{AssessmentPeriod, CloudService, ControlId, DocumentVersion, Program, RegistrationNumber, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{IncidentId, InstitutionId, ServiceId};

/// The format version of registration events written by this library (the `format_version` of an
/// [`Event`], also inside journal entries). Version 0 is an event without the field, as written
/// before format versions: the same format, read as it is.
pub const EVENT_FORMAT_VERSION: u32 = 1;

/// One recorded fact of the registration lifecycle.
///
/// The rules use the calendar date of `at` in its own offset (write Japan times as `+09:00`).
///
/// ```
/// use ismap_workflow::{Event, EventKind};
/// let json = r#"{"at":"2024-04-01T09:00:00+09:00","actor":{"role":"provider","name":{"ja":"星空テクノロジーズ"}},
///   "kind":{"type":"preConsultation","service":"hoshizora-drive"}}"#;
/// let event: Event = serde_json::from_str(json)?;
/// assert_eq!(event.date().to_string(), "2024-04-01");
/// assert!(matches!(event.kind, EventKind::PreConsultation { .. }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "ISMAP registration event")]
#[non_exhaustive]
pub struct Event {
    /// Format version ([`EVENT_FORMAT_VERSION`]; absent in version 0). [`Event::new`] and the
    /// journals write the current version.
    #[serde(
        rename = "format_version",
        default = "DocumentVersion::<EVENT_FORMAT_VERSION>::unversioned",
        skip_serializing_if = "DocumentVersion::<EVENT_FORMAT_VERSION>::is_unversioned"
    )]
    pub format_version: DocumentVersion<EVENT_FORMAT_VERSION>,
    /// When it happened (RFC 3339 with offset).
    #[serde(deserialize_with = "ismap_model::strict::date_time")]
    pub at: DateTime<FixedOffset>,
    /// Who did it.
    pub actor: Actor,
    /// What happened.
    pub kind: EventKind,
}

impl Event {
    /// An event.
    #[must_use]
    pub const fn new(at: DateTime<FixedOffset>, actor: Actor, kind: EventKind) -> Self {
        Self { format_version: DocumentVersion::current(), at, actor, kind }
    }

    /// The calendar date the rules use: the date of `at` in its own offset.
    #[must_use]
    pub fn date(&self) -> NaiveDate {
        self.at.date_naive()
    }

    /// The service or audit institution the event is about.
    #[must_use]
    pub fn subject(&self) -> Subject {
        self.kind.subject()
    }
}

/// Who records or performs an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "role", rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub enum Actor {
    /// The cloud service provider (クラウドサービス事業者, CSP).
    Provider {
        /// The provider's name.
        name: Text,
    },
    /// An audit institution (監査機関), by its registry id.
    AuditInstitution {
        /// The institution.
        institution: InstitutionId,
    },
    /// IPA, the operations support body (ISMAP運用支援機関): acceptance and technical review.
    // A struct variant (not a unit one) so that `deny_unknown_fields` applies to it.
    Ipa {},
    /// The ISMAP Steering Committee (ISMAP運営委員会): decisions and the lists.
    SteeringCommittee {},
}

impl Actor {
    /// The actor's role.
    #[must_use]
    pub const fn role(&self) -> Role {
        match self {
            Self::Provider { .. } => Role::Provider,
            Self::AuditInstitution { .. } => Role::AuditInstitution,
            Self::Ipa {} => Role::Ipa,
            Self::SteeringCommittee {} => Role::SteeringCommittee,
        }
    }
}

/// The role of an [`Actor`] (facts §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// クラウドサービス事業者.
    Provider,
    /// 監査機関.
    AuditInstitution,
    /// ISMAP運用支援機関 (IPA).
    Ipa,
    /// ISMAP運営委員会.
    SteeringCommittee,
}

impl Role {
    /// The role's name in both languages.
    #[must_use]
    pub fn text(self) -> Text {
        match self {
            Self::Provider => Text::new("クラウドサービス事業者", "cloud service provider"),
            Self::AuditInstitution => Text::new("監査機関", "audit institution"),
            Self::Ipa => Text::new("ISMAP運用支援機関 (IPA)", "operations support body (IPA)"),
            Self::SteeringCommittee => Text::new("ISMAP運営委員会", "steering committee"),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text().get(ismap_model::Lang::En))
    }
}

/// The procuring ministry's impact assessment (影響度評価) of the work and information a SaaS
/// would handle (ISMAP-LIU registration rules: ISMAP-LIU needs "low").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ImpactLevel {
    /// 低位.
    Low,
    /// 中位.
    Medium,
    /// 高位.
    High,
}

impl fmt::Display for ImpactLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        })
    }
}

/// What kind of body an audit institution is (ISMAP FAQ KB0010011: for now only audit firms are
/// accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum InstitutionKind {
    /// 監査法人.
    AuditFirm,
    /// Any other body (e.g. a company or an individual auditor).
    Other,
}

impl fmt::Display for InstitutionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AuditFirm => "audit firm",
            Self::Other => "other",
        })
    }
}

/// The standard an ISMS certificate is issued against (ISMAP FAQ KB0011399 accepts either).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum IsmsStandard {
    /// JIS Q 27001.
    JisQ27001,
    /// ISO/IEC 27001.
    IsoIec27001,
}

/// An ISMS certificate declared for the management criteria's multi-year audit cycle (ISMAP FAQ
/// KB0011399): valid over the audit period, from a certification body accredited by an IAF
/// member, with an ISMS scope covering the service and the organisation.
///
/// The lifecycle rule [`crate::LifecycleRule::MultiYearCycleCertificate`] checks it against the
/// renewal's assessment period and service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct IsmsCertificate {
    /// JIS Q 27001 or ISO/IEC 27001.
    pub standard: IsmsStandard,
    /// The certificate's number.
    pub number: String,
    /// The certification body.
    pub body: Text,
    /// Whether the certification body is accredited by an IAF member accreditation body.
    pub iaf_accredited: bool,
    /// First day the certificate is valid.
    #[serde(deserialize_with = "ismap_model::strict::date")]
    pub valid_from: NaiveDate,
    /// Last day the certificate is valid.
    #[serde(deserialize_with = "ismap_model::strict::date")]
    pub valid_until: NaiveDate,
    /// The services the ISMS scope covers (registry ids).
    pub scope_services: Vec<ServiceId>,
    /// Whether the ISMS scope covers the organisation that runs the services.
    pub covers_organization: bool,
}

/// The steering committee's decision on a first application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum CommitteeDecision {
    /// Register the service (a `registered` event with the number follows).
    Register,
    /// Reject the application.
    Reject,
}

/// The steering committee's decision on a renewal application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RenewalDecision {
    /// Renewed: the new assessment period sets the new expiry.
    Renewed,
    /// Refused: the registration ends at its expiry (at once when already past it).
    Refused,
}

/// The stage of an incident report (様式7 情報セキュリティインシデント報告書).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ReportStage {
    /// 速報: the first report.
    Preliminary,
    /// 確報: the final report, only after a preliminary one.
    Final,
}

/// What happened. Serialized with a `type` tag, e.g. `{"type": "registered", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub enum EventKind {
    /// ISMAP-LIU pre-application (事前申請) with the procuring ministry's impact assessment.
    LiuPreApplication {
        /// The service.
        service: ServiceId,
        /// The service as described in the pre-application.
        cloud_service: CloudService,
        /// The procuring ministry (調達省庁) that assessed the impact.
        ministry: Text,
        /// Its impact assessment result.
        impact: ImpactLevel,
    },
    /// Pre-consultation (事前相談) with IPA.
    PreConsultation {
        /// The service.
        service: ServiceId,
    },
    /// The provider declares the assessment period (監査対象期間) its statement covers.
    AssessmentPeriodDeclared {
        /// The service.
        service: ServiceId,
        /// The period.
        period: AssessmentPeriod,
    },
    /// The provider engages a listed audit institution for the declared period.
    AuditEngaged {
        /// The service.
        service: ServiceId,
        /// The institution engaged.
        institution: InstitutionId,
    },
    /// The engaged institution issues its report (実施結果報告書).
    AuditReportIssued {
        /// The service.
        service: ServiceId,
    },
    /// Application for registration (登録申請).
    ApplicationSubmitted {
        /// The service.
        service: ServiceId,
        /// The program applied for.
        program: Program,
        /// The service as described in the statement.
        cloud_service: CloudService,
        /// The application uses the ISMAP-LIU special measures (特別措置: the first external audit
        /// limited, once, to design plus a minimal operational assessment). Only ISMAP-LIU
        /// applications made from 2023-05-19 through 2025-03-31 may (Digital Agency).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        special_measures: bool,
    },
    /// IPA's acceptance check (受理確認) passed.
    AcceptancePassed {
        /// The service.
        service: ServiceId,
    },
    /// IPA's acceptance check returned the application for correction.
    AcceptanceReturned {
        /// The service.
        service: ServiceId,
        /// Why.
        reason: Text,
    },
    /// IPA starts the technical review (技術的審査).
    TechnicalReviewStarted {
        /// The service.
        service: ServiceId,
    },
    /// Additional audit (追加監査) requested during review.
    AdditionalAuditRequested {
        /// The service.
        service: ServiceId,
        /// Why.
        reason: Text,
    },
    /// Additional audit completed by the audit institution.
    AdditionalAuditCompleted {
        /// The service.
        service: ServiceId,
    },
    /// Re-audit (再監査, 登録規則 第13条) requested during review.
    ReAuditRequested {
        /// The service.
        service: ServiceId,
        /// Why.
        reason: Text,
    },
    /// Re-audit completed by the audit institution.
    ReAuditCompleted {
        /// The service.
        service: ServiceId,
    },
    /// IPA completes the technical review; the application goes to the steering committee.
    TechnicalReviewCompleted {
        /// The service.
        service: ServiceId,
    },
    /// The steering committee decides on a first application.
    CommitteeDecided {
        /// The service.
        service: ServiceId,
        /// Register or reject.
        decision: CommitteeDecision,
        /// Why, for a rejection.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Text>,
    },
    /// The service is put on the cloud service list with its registration number.
    Registered {
        /// The service.
        service: ServiceId,
        /// The registration number (登録番号).
        number: RegistrationNumber,
    },
    /// Renewal application (更新申請) after the next period's audit report.
    RenewalApplied {
        /// The service.
        service: ServiceId,
        /// The renewal uses the management criteria's multi-year audit cycle, declared on 様式3
        /// 別添7 with the ISMS certificate that qualifies it (ISMAP FAQ KB0011399; from
        /// 2024-08-01).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        multi_year_cycle: Option<IsmsCertificate>,
    },
    /// The steering committee decides on a renewal application.
    RenewalDecided {
        /// The service.
        service: ServiceId,
        /// Renewed or refused.
        decision: RenewalDecision,
        /// Why, for a refusal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Text>,
    },
    /// Notification of a control change (統制変更, ISMAP FAQ KB0010866).
    ControlChangeNotified {
        /// The service.
        service: ServiceId,
        /// What changed.
        summary: Text,
        /// The criteria items concerned.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        controls: Vec<ControlId>,
    },
    /// An incident report (様式7): preliminary (速報) or final (確報).
    IncidentReported {
        /// The service.
        service: ServiceId,
        /// Ties the two stages of one incident together.
        incident: IncidentId,
        /// Preliminary or final.
        stage: ReportStage,
        /// What happened.
        summary: Text,
    },
    /// The provider withdraws the application or the registration (取下げ・辞退).
    Withdrawn {
        /// The service.
        service: ServiceId,
        /// Why, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Text>,
    },
    /// The registration is revoked (取消).
    Revoked {
        /// The service.
        service: ServiceId,
        /// Why.
        reason: Text,
    },
    /// An audit institution is put on the audit institution list (ISMAP監査機関リスト).
    AuditInstitutionListed {
        /// The institution.
        institution: InstitutionId,
        /// Its name.
        name: Text,
        /// Audit firm or other.
        kind: InstitutionKind,
    },
    /// An audit institution is removed from the list.
    AuditInstitutionDelisted {
        /// The institution.
        institution: InstitutionId,
        /// Why, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Text>,
    },
}

/// The thing an event is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", content = "id", rename_all = "camelCase")]
pub enum Subject {
    /// A cloud service.
    Service(ServiceId),
    /// An audit institution.
    Institution(InstitutionId),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(s) => write!(f, "service `{s}`"),
            Self::Institution(i) => write!(f, "audit institution `{i}`"),
        }
    }
}

impl EventKind {
    /// The service or institution the event is about.
    #[must_use]
    pub fn subject(&self) -> Subject {
        match self {
            Self::AuditInstitutionListed { institution, .. } | Self::AuditInstitutionDelisted { institution, .. } => {
                Subject::Institution(institution.clone())
            }
            Self::LiuPreApplication { service, .. }
            | Self::PreConsultation { service }
            | Self::AssessmentPeriodDeclared { service, .. }
            | Self::AuditEngaged { service, .. }
            | Self::AuditReportIssued { service }
            | Self::ApplicationSubmitted { service, .. }
            | Self::AcceptancePassed { service }
            | Self::AcceptanceReturned { service, .. }
            | Self::TechnicalReviewStarted { service }
            | Self::AdditionalAuditRequested { service, .. }
            | Self::AdditionalAuditCompleted { service }
            | Self::ReAuditRequested { service, .. }
            | Self::ReAuditCompleted { service }
            | Self::TechnicalReviewCompleted { service }
            | Self::CommitteeDecided { service, .. }
            | Self::Registered { service, .. }
            | Self::RenewalApplied { service, .. }
            | Self::RenewalDecided { service, .. }
            | Self::ControlChangeNotified { service, .. }
            | Self::IncidentReported { service, .. }
            | Self::Withdrawn { service, .. }
            | Self::Revoked { service, .. } => Subject::Service(service.clone()),
        }
    }

    /// The service the event is about, if it is about one.
    #[must_use]
    pub fn service(&self) -> Option<ServiceId> {
        match self.subject() {
            Subject::Service(s) => Some(s),
            Subject::Institution(_) => None,
        }
    }

    /// The transition label of this event: its type, with decisions and report stages split out.
    #[must_use]
    pub const fn event_type(&self) -> EventType {
        match self {
            Self::LiuPreApplication { .. } => EventType::LiuPreApplication,
            Self::PreConsultation { .. } => EventType::PreConsultation,
            Self::AssessmentPeriodDeclared { .. } => EventType::AssessmentPeriodDeclared,
            Self::AuditEngaged { .. } => EventType::AuditEngaged,
            Self::AuditReportIssued { .. } => EventType::AuditReportIssued,
            Self::ApplicationSubmitted { .. } => EventType::ApplicationSubmitted,
            Self::AcceptancePassed { .. } => EventType::AcceptancePassed,
            Self::AcceptanceReturned { .. } => EventType::AcceptanceReturned,
            Self::TechnicalReviewStarted { .. } => EventType::TechnicalReviewStarted,
            Self::AdditionalAuditRequested { .. } => EventType::AdditionalAuditRequested,
            Self::AdditionalAuditCompleted { .. } => EventType::AdditionalAuditCompleted,
            Self::ReAuditRequested { .. } => EventType::ReAuditRequested,
            Self::ReAuditCompleted { .. } => EventType::ReAuditCompleted,
            Self::TechnicalReviewCompleted { .. } => EventType::TechnicalReviewCompleted,
            Self::CommitteeDecided { decision: CommitteeDecision::Register, .. } => EventType::CommitteeRegister,
            Self::CommitteeDecided { decision: CommitteeDecision::Reject, .. } => EventType::CommitteeReject,
            Self::Registered { .. } => EventType::Registered,
            Self::RenewalApplied { .. } => EventType::RenewalApplied,
            Self::RenewalDecided { decision: RenewalDecision::Renewed, .. } => EventType::RenewalRenewed,
            Self::RenewalDecided { decision: RenewalDecision::Refused, .. } => EventType::RenewalRefused,
            Self::ControlChangeNotified { .. } => EventType::ControlChangeNotified,
            Self::IncidentReported { stage: ReportStage::Preliminary, .. } => EventType::IncidentPreliminary,
            Self::IncidentReported { stage: ReportStage::Final, .. } => EventType::IncidentFinal,
            Self::Withdrawn { .. } => EventType::Withdrawn,
            Self::Revoked { .. } => EventType::Revoked,
            Self::AuditInstitutionListed { .. } => EventType::InstitutionListed,
            Self::AuditInstitutionDelisted { .. } => EventType::InstitutionDelisted,
        }
    }
}

/// Transition labels of the state machine: one per event type, with the committee's decisions,
/// renewal decisions and incident report stages as separate labels, plus the passage of time
/// ([`EventType::Expiry`]), which no event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[expect(missing_docs, reason = "each label is the event type of the same name in `EventKind`")]
pub enum EventType {
    LiuPreApplication,
    PreConsultation,
    AssessmentPeriodDeclared,
    AuditEngaged,
    AuditReportIssued,
    ApplicationSubmitted,
    AcceptancePassed,
    AcceptanceReturned,
    TechnicalReviewStarted,
    AdditionalAuditRequested,
    AdditionalAuditCompleted,
    ReAuditRequested,
    ReAuditCompleted,
    TechnicalReviewCompleted,
    CommitteeRegister,
    CommitteeReject,
    Registered,
    RenewalApplied,
    RenewalRenewed,
    RenewalRefused,
    ControlChangeNotified,
    IncidentPreliminary,
    IncidentFinal,
    Withdrawn,
    Revoked,
    InstitutionListed,
    InstitutionDelisted,
    /// Not an event: the registration's expiry date passes without a pending renewal.
    Expiry,
}

impl EventType {
    /// Every label, in lifecycle order.
    pub const ALL: [Self; 28] = [
        Self::LiuPreApplication,
        Self::PreConsultation,
        Self::AssessmentPeriodDeclared,
        Self::AuditEngaged,
        Self::AuditReportIssued,
        Self::ApplicationSubmitted,
        Self::AcceptancePassed,
        Self::AcceptanceReturned,
        Self::TechnicalReviewStarted,
        Self::AdditionalAuditRequested,
        Self::AdditionalAuditCompleted,
        Self::ReAuditRequested,
        Self::ReAuditCompleted,
        Self::TechnicalReviewCompleted,
        Self::CommitteeRegister,
        Self::CommitteeReject,
        Self::Registered,
        Self::RenewalApplied,
        Self::RenewalRenewed,
        Self::RenewalRefused,
        Self::ControlChangeNotified,
        Self::IncidentPreliminary,
        Self::IncidentFinal,
        Self::Withdrawn,
        Self::Revoked,
        Self::InstitutionListed,
        Self::InstitutionDelisted,
        Self::Expiry,
    ];

    /// The camelCase name used in files and diagrams.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::LiuPreApplication => "liuPreApplication",
            Self::PreConsultation => "preConsultation",
            Self::AssessmentPeriodDeclared => "assessmentPeriodDeclared",
            Self::AuditEngaged => "auditEngaged",
            Self::AuditReportIssued => "auditReportIssued",
            Self::ApplicationSubmitted => "applicationSubmitted",
            Self::AcceptancePassed => "acceptancePassed",
            Self::AcceptanceReturned => "acceptanceReturned",
            Self::TechnicalReviewStarted => "technicalReviewStarted",
            Self::AdditionalAuditRequested => "additionalAuditRequested",
            Self::AdditionalAuditCompleted => "additionalAuditCompleted",
            Self::ReAuditRequested => "reAuditRequested",
            Self::ReAuditCompleted => "reAuditCompleted",
            Self::TechnicalReviewCompleted => "technicalReviewCompleted",
            Self::CommitteeRegister => "committeeRegister",
            Self::CommitteeReject => "committeeReject",
            Self::Registered => "registered",
            Self::RenewalApplied => "renewalApplied",
            Self::RenewalRenewed => "renewalRenewed",
            Self::RenewalRefused => "renewalRefused",
            Self::ControlChangeNotified => "controlChangeNotified",
            Self::IncidentPreliminary => "incidentPreliminary",
            Self::IncidentFinal => "incidentFinal",
            Self::Withdrawn => "withdrawn",
            Self::Revoked => "revoked",
            Self::InstitutionListed => "institutionListed",
            Self::InstitutionDelisted => "institutionDelisted",
            Self::Expiry => "expiry",
        }
    }

    /// The label in Japanese.
    #[must_use]
    pub const fn name_ja(self) -> &'static str {
        match self {
            Self::LiuPreApplication => "ISMAP-LIU 事前申請",
            Self::PreConsultation => "事前相談",
            Self::AssessmentPeriodDeclared => "監査対象期間の設定",
            Self::AuditEngaged => "監査契約",
            Self::AuditReportIssued => "実施結果報告書の発行",
            Self::ApplicationSubmitted => "登録申請",
            Self::AcceptancePassed => "受理確認完了",
            Self::AcceptanceReturned => "受理確認で差戻し",
            Self::TechnicalReviewStarted => "技術的審査開始",
            Self::AdditionalAuditRequested => "追加監査の要請",
            Self::AdditionalAuditCompleted => "追加監査完了",
            Self::ReAuditRequested => "再監査の要請",
            Self::ReAuditCompleted => "再監査完了",
            Self::TechnicalReviewCompleted => "技術的審査完了",
            Self::CommitteeRegister => "運営委員会: 登録決定",
            Self::CommitteeReject => "運営委員会: 登録不可",
            Self::Registered => "登録（登録番号付与）",
            Self::RenewalApplied => "更新申請",
            Self::RenewalRenewed => "更新決定",
            Self::RenewalRefused => "更新不可",
            Self::ControlChangeNotified => "統制変更の届出",
            Self::IncidentPreliminary => "インシデント速報",
            Self::IncidentFinal => "インシデント確報",
            Self::Withdrawn => "取下げ",
            Self::Revoked => "登録取消",
            Self::InstitutionListed => "監査機関リスト掲載",
            Self::InstitutionDelisted => "監査機関リスト抹消",
            Self::Expiry => "有効期限経過",
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_type_names_match_serde() {
        for t in EventType::ALL {
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn rejects_unknown_fields_and_bad_values() {
        let ok = r#"{"at":"2024-04-01T09:00:00+09:00","actor":{"role":"ipa"},"kind":{"type":"acceptancePassed","service":"s1"}}"#;
        assert!(serde_json::from_str::<Event>(ok).is_ok());
        for bad in [
            r#"{"at":"2024-04-01T09:00:00+09:00","actor":{"role":"ipa"},"kind":{"type":"acceptancePassed","service":"s1","x":1}}"#,
            r#"{"at":"2024-04-01T09:00:00+09:00","actor":{"role":"ipa","name":"x"},"kind":{"type":"acceptancePassed","service":"s1"}}"#,
            r#"{"at":"2024-04-01T09:00:00+09:00","actor":{"role":"ipa"},"kind":{"type":"nope","service":"s1"}}"#,
            r#"{"at":"2024-04-01","actor":{"role":"ipa"},"kind":{"type":"acceptancePassed","service":"s1"}}"#,
            r#"{"at":"2024-04-01T09:00:00+09:00","actor":{"role":"ipa"},"kind":{"type":"acceptancePassed","service":" s1"}}"#,
            r#"{"at":"2024-04-01T09:00:00+09:00","actor":{"role":"ipa"},"kind":{"type":"registered","service":"s1","number":"C1-1"}}"#,
        ] {
            assert!(serde_json::from_str::<Event>(bad).is_err(), "{bad}");
        }
    }
}
