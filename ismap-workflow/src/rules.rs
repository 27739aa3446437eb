//! The lifecycle rules (guards) the state machine enforces, each with its source, and the
//! configurable parameters of the ones whose facts are unverified.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use ismap_model::{
    EffectiveRange, ISMAP_REGULATIONS_EFFECTIVE, LIU_INCIDENT_REPORTING_FROM, LIU_PRE_APPLICATION_ABOLISHED_DEFAULT,
    LIU_SPECIAL_MEASURES_FROM, LIU_SPECIAL_MEASURES_UNTIL, LIU_START, MANAGEMENT_MULTI_YEAR_CYCLE_FROM, PeriodRule,
    Text,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::InstitutionKind;

/// A rule of the registration lifecycle. Serialized as its stable kebab-case id.
///
/// Each rule cites the public document it encodes ([`LifecycleRule::source`]) and has the dates it
/// is in force ([`LifecycleRule::effective`]): a rule that changed is bounded by dates, never
/// replaced, and the guards apply a dated rule only to events on the days it is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LifecycleRule {
    /// The event is allowed in the current state by the transition table (the registration
    /// steps of ISMAP FAQ KB0010010 and KB0011019; the states are derived from them).
    Transition,
    /// Events are recorded in time order, so replay is deterministic and "the state on a date" is
    /// the state after every event of that date or before.
    ChronologicalOrder,
    /// Each event is performed by the actor whose role it is (ISMAP基本規程: provider, audit
    /// institution, IPA, steering committee).
    ActorRole,
    /// No event of a program before the program existed: ISMAP from 2020-06-03 (its regulations
    /// took effect; Control Criteria revision table), ISMAP-LIU from 2022-11-01 (Digital Agency);
    /// no ISMAP registration before the first cloud service list, published 2021-03-12 (IPA).
    ProgramInOperation,
    /// The assessment period is 3 to 12 months, months counted as the Civil Code counts them
    /// (Control Criteria §2.2.5; Civil Code arts. 140, 143).
    PeriodLength,
    /// A renewal's period starts the day after the registered period ended (Control Criteria
    /// §2.2.5).
    PeriodContiguity,
    /// The audit institution is on the audit institution list on the audit date (ISMAP FAQ
    /// KB0010011).
    InstitutionListed,
    /// Only accepted kinds of institution audit: "for the time being" audit firms (監査法人) only
    /// (ISMAP FAQ KB0010011; a setting).
    InstitutionKind,
    /// The report (実施結果報告書) and any additional audit come from the engaged institution.
    EngagedInstitution,
    /// The report covers a period that has ended: it is issued after the period's last day.
    ReportAfterPeriod,
    /// The report is issued within the configured months of the period's end (3 by default, from
    /// x-regulation's breakdown of the 1 year 4 months of ISMAP基本規程 3.5; UNVERIFIED, a
    /// setting).
    ReportDeadline,
    /// ISMAP-LIU admits SaaS only (Digital Agency ISMAP-LIU page).
    LiuSaasOnly,
    /// ISMAP-LIU needs a "low" (低位) impact assessment from the procuring ministry (ISMAP-LIU
    /// registration rules; Digital Agency ISMAP-LIU page).
    LiuLowImpact,
    /// An ISMAP-LIU application follows a pre-application (事前申請) with a low impact assessment
    /// (ISMAP-LIU registration rules Chapter 3), for applications made before the pre-application
    /// was abolished (2025-04-01 by default; reported from the portal's ISMAP-LIU introduction
    /// material of 2025-04-01, UNVERIFIED, a setting).
    LiuPreApplication,
    /// The ISMAP-LIU special measures (特別措置: a first external audit limited once to design
    /// plus a minimal operational assessment) apply only to ISMAP-LIU applications made from
    /// their publication on 2023-05-19 through 2025-03-31 (Digital Agency).
    LiuSpecialMeasures,
    /// ISMAP-LIU incident reporting (registration rules Chapter 9; 様式7, preliminary then final)
    /// applies to incidents recognised on or after 2024-01-04 (ISMAP FAQ KB0010899): only those
    /// get a final-report deadline.
    LiuIncidentReporting,
    /// A registration number identifies one service (registration is per service).
    RegistrationNumberUnique,
    /// The renewal application is made before the registration expires (ISMAP基本規程 3.5).
    RenewalBeforeExpiry,
    /// Registration-time events (changes, incidents, renewal) need a registration that has not
    /// expired: expiry is the day after the period's end plus 1 year 4 months, extended while a
    /// renewal is pending (ISMAP基本規程 3.5).
    RegistrationValid,
    /// A renewal may use the management criteria's multi-year audit cycle only with an ISMS
    /// certificate (JIS Q 27001 or ISO/IEC 27001, from an IAF-accredited body) valid over the
    /// whole assessment period and covering the service; from 2024-08-01 (ISMAP FAQ KB0011399).
    MultiYearCycleCertificate,
    /// A final incident report (確報) only after a preliminary one (速報) for the same incident
    /// (ISMAP FAQ KB0010899 for ISMAP-LIU; the ISMAP side is UNVERIFIED).
    FinalAfterPreliminary,
    /// Each incident id is reported preliminarily once.
    IncidentIdUnique,
}

impl LifecycleRule {
    /// Every rule.
    pub const ALL: [Self; 22] = [
        Self::Transition,
        Self::ChronologicalOrder,
        Self::ActorRole,
        Self::ProgramInOperation,
        Self::PeriodLength,
        Self::PeriodContiguity,
        Self::InstitutionListed,
        Self::InstitutionKind,
        Self::EngagedInstitution,
        Self::ReportAfterPeriod,
        Self::ReportDeadline,
        Self::LiuSaasOnly,
        Self::LiuLowImpact,
        Self::LiuPreApplication,
        Self::LiuSpecialMeasures,
        Self::LiuIncidentReporting,
        Self::RegistrationNumberUnique,
        Self::RenewalBeforeExpiry,
        Self::RegistrationValid,
        Self::MultiYearCycleCertificate,
        Self::FinalAfterPreliminary,
        Self::IncidentIdUnique,
    ];

    /// The stable id.
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            Self::Transition => "transition",
            Self::ChronologicalOrder => "chronological-order",
            Self::ActorRole => "actor-role",
            Self::ProgramInOperation => "program-in-operation",
            Self::PeriodLength => "period-length",
            Self::PeriodContiguity => "period-contiguity",
            Self::InstitutionListed => "institution-listed",
            Self::InstitutionKind => "institution-kind",
            Self::EngagedInstitution => "engaged-institution",
            Self::ReportAfterPeriod => "report-after-period",
            Self::ReportDeadline => "report-deadline",
            Self::LiuSaasOnly => "liu-saas-only",
            Self::LiuLowImpact => "liu-low-impact",
            Self::LiuPreApplication => "liu-pre-application",
            Self::LiuSpecialMeasures => "liu-special-measures",
            Self::LiuIncidentReporting => "liu-incident-reporting",
            Self::RegistrationNumberUnique => "registration-number-unique",
            Self::RenewalBeforeExpiry => "renewal-before-expiry",
            Self::RegistrationValid => "registration-valid",
            Self::MultiYearCycleCertificate => "multi-year-cycle-certificate",
            Self::FinalAfterPreliminary => "final-after-preliminary",
            Self::IncidentIdUnique => "incident-id-unique",
        }
    }

    /// Where the rule comes from: the public documents.
    #[must_use]
    pub const fn source(self) -> &'static str {
        match self {
            Self::Transition => "ISMAP FAQ KB0010010, KB0011019 (registration steps; states derived)",
            Self::ChronologicalOrder => "journal design (deterministic replay)",
            Self::ActorRole => "ISMAP基本規程 (roles); FAQ KB0010010",
            Self::ProgramInOperation => {
                "Control Criteria revision table (2020-06-03); Digital Agency ISMAP-LIU page (2022-11-01)"
            }
            Self::PeriodLength => "Control Criteria §2.2.5; Civil Code arts. 140, 143",
            Self::PeriodContiguity => "Control Criteria §2.2.5",
            Self::InstitutionListed | Self::InstitutionKind => "ISMAP FAQ KB0010011",
            Self::EngagedInstitution | Self::ReportAfterPeriod => "Control Criteria §2.2.3, §2.2.8",
            Self::ReportDeadline => "ISMAP基本規程 3.5 as broken down by x-regulation (UNVERIFIED, a setting)",
            Self::LiuSaasOnly | Self::LiuLowImpact => "Digital Agency ISMAP-LIU page; ISMAP-LIU registration rules",
            Self::LiuPreApplication => {
                "ISMAP-LIU registration rules ch. 3; abolished per ISMAP-LIU introduction material 2025-04-01 (UNVERIFIED, a setting)"
            }
            Self::LiuSpecialMeasures => "Digital Agency special measures of 2023-05-19",
            Self::LiuIncidentReporting => "ISMAP-LIU registration rules ch. 9; ISMAP FAQ KB0010899",
            Self::RegistrationNumberUnique => "ISMAP cloud service list (one number per service)",
            Self::RenewalBeforeExpiry | Self::RegistrationValid => "ISMAP基本規程 3.5",
            Self::MultiYearCycleCertificate => "ISMAP FAQ KB0011399",
            Self::FinalAfterPreliminary | Self::IncidentIdUnique => "ISMAP FAQ KB0010899 (ISMAP-LIU)",
        }
    }

    /// The days the rule is in force under `rules` (the ISMAP-LIU pre-application's end is a
    /// setting, [`WorkflowRules::liu_pre_application_abolished`]).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use ismap_workflow::{LifecycleRule, WorkflowRules};
    /// let rules = WorkflowRules::default();
    /// let on = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    /// assert!(!LifecycleRule::LiuPreApplication.effective(&rules).contains(on));
    /// assert!(LifecycleRule::MultiYearCycleCertificate.effective(&rules).contains(on));
    /// ```
    #[must_use]
    pub fn effective(self, rules: &WorkflowRules) -> EffectiveRange {
        match self {
            Self::Transition | Self::ChronologicalOrder | Self::ProgramInOperation => EffectiveRange::ALWAYS,
            Self::LiuSaasOnly | Self::LiuLowImpact => EffectiveRange::starting(LIU_START),
            Self::LiuPreApplication => {
                EffectiveRange::starting(LIU_START).ending_before(rules.liu_pre_application_abolished)
            }
            Self::LiuSpecialMeasures => EffectiveRange::between(LIU_SPECIAL_MEASURES_FROM, LIU_SPECIAL_MEASURES_UNTIL),
            Self::LiuIncidentReporting => EffectiveRange::starting(LIU_INCIDENT_REPORTING_FROM),
            Self::MultiYearCycleCertificate => EffectiveRange::starting(MANAGEMENT_MULTI_YEAR_CYCLE_FROM),
            Self::ActorRole
            | Self::PeriodLength
            | Self::PeriodContiguity
            | Self::InstitutionListed
            | Self::InstitutionKind
            | Self::EngagedInstitution
            | Self::ReportAfterPeriod
            | Self::ReportDeadline
            | Self::RegistrationNumberUnique
            | Self::RenewalBeforeExpiry
            | Self::RegistrationValid
            | Self::FinalAfterPreliminary
            | Self::IncidentIdUnique => EffectiveRange::starting(ISMAP_REGULATIONS_EFFECTIVE),
        }
    }

    /// Whether the rule is in force on `date` under `rules`.
    #[must_use]
    pub fn in_force(self, rules: &WorkflowRules, date: NaiveDate) -> bool {
        self.effective(rules).contains(date)
    }

    /// A one-line statement of the rule in both languages.
    #[must_use]
    pub fn title(self) -> Text {
        let (ja, en) = match self {
            Self::Transition => ("現在の状態で許される事象のみ", "Only events the current state allows"),
            Self::ChronologicalOrder => ("事象は時刻順に記録する", "Events are recorded in time order"),
            Self::ActorRole => ("事象はその役割の主体が行う", "Each event is performed by its role"),
            Self::ProgramInOperation => ("制度の開始前の事象はない", "No event of a program before the program began"),
            Self::PeriodLength => ("監査対象期間は3か月以上1年以内", "Assessment period is 3 to 12 months"),
            Self::PeriodContiguity => {
                ("更新時の監査対象期間は前回終了日の翌日から", "A renewal's period starts the day after the last one")
            }
            Self::InstitutionListed => {
                ("監査日に監査機関リストに掲載された機関のみ", "Institution listed on the audit date")
            }
            Self::InstitutionKind => ("当面は監査法人のみ", "Audit firms only, for now"),
            Self::EngagedInstitution => ("報告は契約した監査機関が行う", "Reports come from the engaged institution"),
            Self::ReportAfterPeriod => {
                ("実施結果報告書は監査対象期間の終了後に発行", "Report issued after the period ends")
            }
            Self::ReportDeadline => {
                ("実施結果報告書は期間終了後所定の月数以内", "Report issued within the set months of the period end")
            }
            Self::LiuSaasOnly => ("ISMAP-LIU は SaaS のみ", "ISMAP-LIU admits SaaS only"),
            Self::LiuLowImpact => ("ISMAP-LIU は影響度評価が低位", "ISMAP-LIU needs a low impact assessment"),
            Self::LiuPreApplication => {
                ("ISMAP-LIU の申請には低位評価の事前申請が必要", "ISMAP-LIU application follows a low pre-application")
            }
            Self::LiuSpecialMeasures => (
                "ISMAP-LIU 特別措置は2025年3月末までの申請に限る",
                "ISMAP-LIU special measures only for applications by 2025-03-31",
            ),
            Self::LiuIncidentReporting => (
                "ISMAP-LIU のインシデント報告は2024年1月4日以降に認知したものが対象",
                "ISMAP-LIU incident reporting for incidents recognised from 2024-01-04",
            ),
            Self::RegistrationNumberUnique => ("登録番号はサービスごとに一意", "One registration number per service"),
            Self::RenewalBeforeExpiry => ("更新申請は有効期限までに行う", "Renewal is applied for before expiry"),
            Self::RegistrationValid => ("有効な登録が必要", "Needs a registration that has not expired"),
            Self::MultiYearCycleCertificate => (
                "マネジメント基準の複数年監査には期間とサービスを覆う有効な ISMS 認証が必要",
                "Management multi-year audit cycle needs a valid ISMS certificate covering period and service",
            ),
            Self::FinalAfterPreliminary => ("確報は速報の後", "Final report only after a preliminary one"),
            Self::IncidentIdUnique => ("インシデントの速報は一度のみ", "One preliminary report per incident"),
        };
        Text::new(ja, en)
    }
}

impl fmt::Display for LifecycleRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The configurable parameters of the lifecycle rules. [`Default`] gives the published values;
/// the unverified ones are here so they can be changed without code changes (see also
/// [`crate::Settings`]).
///
/// ```
/// use ismap_workflow::WorkflowRules;
/// let rules = WorkflowRules::default();
/// assert_eq!(rules.validity_months, 16);
/// assert_eq!(rules.report_due_months, Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "ISMAP workflow rule parameters")]
#[non_exhaustive]
pub struct WorkflowRules {
    /// Format version of this document (1; absent in version 0, which is the same format).
    #[serde(
        rename = "format_version",
        default = "ismap_model::DocumentVersion::<1>::unversioned",
        skip_serializing_if = "ismap_model::DocumentVersion::<1>::is_unversioned"
    )]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// Assessment period length: 3 to 12 months (Control Criteria §2.2.5).
    pub period: PeriodRule,
    /// Months from the day after the period's end to the expiry date: 16, i.e. 1 year 4 months
    /// (ISMAP基本規程 3.5). The expiry date is taken as the last valid day.
    pub validity_months: u32,
    /// Months after the period's end within which the audit report is due: 3 (x-regulation's
    /// breakdown of ISMAP基本規程 3.5; UNVERIFIED). `null` disables the guard and the deadline.
    #[serde(default)]
    pub report_due_months: Option<u32>,
    /// Kinds of audit institution accepted: audit firms only (ISMAP FAQ KB0010011: "for the time
    /// being").
    #[serde(deserialize_with = "ismap_model::strict::unique_set")]
    pub accepted_institution_kinds: BTreeSet<InstitutionKind>,
    /// Days after a preliminary incident report (速報) within which the final one (確報) is due:
    /// 30. No deadline was found in public sources: UNVERIFIED.
    pub final_incident_report_days: u32,
    /// The day the ISMAP-LIU pre-application (事前申請) was abolished: applications from this day
    /// on need none. 2025-04-01 by default (reported from the portal's ISMAP-LIU introduction
    /// material of that date by a single third-party source: UNVERIFIED). `null`: never
    /// abolished. When absent (and when written at its default) it is the default.
    #[serde(
        default = "default_liu_pre_application_abolished",
        deserialize_with = "ismap_model::strict::option_date",
        skip_serializing_if = "is_default_liu_pre_application_abolished"
    )]
    pub liu_pre_application_abolished: Option<NaiveDate>,
}

#[expect(clippy::ref_option, reason = "serde's skip_serializing_if passes a reference")]
fn is_default_liu_pre_application_abolished(date: &Option<NaiveDate>) -> bool {
    *date == default_liu_pre_application_abolished()
}

#[expect(clippy::unnecessary_wraps, reason = "serde's default for an optional field")]
const fn default_liu_pre_application_abolished() -> Option<NaiveDate> {
    Some(LIU_PRE_APPLICATION_ABOLISHED_DEFAULT)
}

impl Default for WorkflowRules {
    fn default() -> Self {
        Self {
            format_version: ismap_model::DocumentVersion::current(),
            period: PeriodRule::default(),
            validity_months: 16,
            report_due_months: Some(3),
            accepted_institution_kinds: BTreeSet::from([InstitutionKind::AuditFirm]),
            final_incident_report_days: 30,
            liu_pre_application_abolished: default_liu_pre_application_abolished(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_match_serde() {
        let ids: BTreeSet<_> = LifecycleRule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), LifecycleRule::ALL.len());
        for r in LifecycleRule::ALL {
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.id()));
            assert!(r.title().is_bilingual());
        }
    }

    #[test]
    fn rules_round_trip() {
        let r = WorkflowRules::default();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<WorkflowRules>(&json).unwrap(), r);
    }
}
