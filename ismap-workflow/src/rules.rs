//! The lifecycle rules (guards) the state machine enforces, each with its source, and the
//! configurable parameters of the ones whose facts are unverified.

use std::collections::BTreeSet;
use std::fmt;

use ismap_model::{PeriodRule, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::InstitutionKind;

/// A rule of the registration lifecycle. Serialized as its stable kebab-case id.
///
/// Sources refer to `shared/reference/ismap-facts.md` ("facts"): its numbered "Rules a model must
/// encode" and sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LifecycleRule {
    /// The event is allowed in the current state by the transition table.
    /// Source: facts §3.2 steps and §3.4 suggested state machine (DERIVED).
    Transition,
    /// Events are recorded in time order, so replay is deterministic and "the state on a date" is
    /// the state after every event of that date or before.
    ChronologicalOrder,
    /// Each event is performed by the actor whose role it is (facts §3.1 actors).
    ActorRole,
    /// The assessment period is 3 to 12 months (facts rule 5; CC-EN-2022 §2.2.5, OFFICIAL).
    PeriodLength,
    /// A renewal's period starts the day after the registered period ended
    /// (facts rule 5; CC-EN-2022 §2.2.5, OFFICIAL).
    PeriodContiguity,
    /// The audit institution is on the audit institution list on the audit date
    /// (facts rule 8; KB0010011, OFFICIAL).
    InstitutionListed,
    /// Only accepted kinds of institution audit: currently audit firms (監査法人) only
    /// (facts rule 8; KB0010011, OFFICIAL; configurable).
    InstitutionKind,
    /// The report (実施結果報告書) and any additional audit come from the engaged institution
    /// (facts §3.2 steps 3–4).
    EngagedInstitution,
    /// The report covers a period that has ended: it is issued after the period's last day
    /// (facts §3.2 step 4, DERIVED).
    ReportAfterPeriod,
    /// The report is issued within the configured months of the period's end (3 by default;
    /// facts §3.3, x-regulation's breakdown of the 1 year 4 months, UNVERIFIED, configurable).
    ReportDeadline,
    /// ISMAP-LIU admits SaaS only (facts rule 9; Digital Agency, OFFICIAL).
    LiuSaasOnly,
    /// ISMAP-LIU needs a "low" (低位) impact assessment from the procuring ministry
    /// (facts rule 9, §2.3, OFFICIAL).
    LiuLowImpact,
    /// An ISMAP-LIU application follows a pre-application (事前申請) with a low impact
    /// assessment (facts rule 9, §2.3, OFFICIAL).
    LiuPreApplication,
    /// A registration number identifies one service (facts §4: registration is per service).
    RegistrationNumberUnique,
    /// The renewal application is made before the registration expires (facts §3.3, rule 7;
    /// 基本規程 3.5, OFFICIAL).
    RenewalBeforeExpiry,
    /// Registration-time events (changes, incidents, renewal) need a registration that has not
    /// expired: expiry is the day after the period's end plus 1 year 4 months (facts rule 6,
    /// OFFICIAL), extended while a renewal is pending (facts rule 7, OFFICIAL).
    RegistrationValid,
    /// A final incident report (確報) only after a preliminary one (速報) for the same incident
    /// (facts rule 10; KB0010899 for LIU, OFFICIAL; ISMAP side UNVERIFIED).
    FinalAfterPreliminary,
    /// Each incident id is reported preliminarily once (facts rule 10, DERIVED).
    IncidentIdUnique,
}

impl LifecycleRule {
    /// Every rule.
    pub const ALL: [Self; 18] = [
        Self::Transition,
        Self::ChronologicalOrder,
        Self::ActorRole,
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
        Self::RegistrationNumberUnique,
        Self::RenewalBeforeExpiry,
        Self::RegistrationValid,
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
            Self::RegistrationNumberUnique => "registration-number-unique",
            Self::RenewalBeforeExpiry => "renewal-before-expiry",
            Self::RegistrationValid => "registration-valid",
            Self::FinalAfterPreliminary => "final-after-preliminary",
            Self::IncidentIdUnique => "incident-id-unique",
        }
    }

    /// Where the rule comes from.
    #[must_use]
    pub const fn source(self) -> &'static str {
        match self {
            Self::Transition => "facts §3.2, §3.4 (DERIVED)",
            Self::ChronologicalOrder => "journal design (deterministic replay)",
            Self::ActorRole => "facts §3.1",
            Self::PeriodLength | Self::PeriodContiguity => "facts rule 5; CC-EN-2022 §2.2.5 (OFFICIAL)",
            Self::InstitutionListed | Self::InstitutionKind => "facts rule 8; KB0010011 (OFFICIAL)",
            Self::EngagedInstitution => "facts §3.2 steps 3-4",
            Self::ReportAfterPeriod => "facts §3.2 step 4 (DERIVED)",
            Self::ReportDeadline => "facts §3.3, x-regulation (UNVERIFIED, configurable)",
            Self::LiuSaasOnly | Self::LiuLowImpact | Self::LiuPreApplication => {
                "facts rule 9, §2.3; Digital Agency LIU procedure (OFFICIAL)"
            }
            Self::RegistrationNumberUnique => "facts §4",
            Self::RenewalBeforeExpiry | Self::RegistrationValid => "facts rules 6-7, §3.3; 基本規程 3.5 (OFFICIAL)",
            Self::FinalAfterPreliminary | Self::IncidentIdUnique => "facts rule 10; KB0010899 (OFFICIAL for LIU)",
        }
    }

    /// A one-line statement of the rule in both languages.
    #[must_use]
    pub fn title(self) -> Text {
        let (ja, en) = match self {
            Self::Transition => ("現在の状態で許される事象のみ", "Only events the current state allows"),
            Self::ChronologicalOrder => ("事象は時刻順に記録する", "Events are recorded in time order"),
            Self::ActorRole => ("事象はその役割の主体が行う", "Each event is performed by its role"),
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
            Self::RegistrationNumberUnique => ("登録番号はサービスごとに一意", "One registration number per service"),
            Self::RenewalBeforeExpiry => ("更新申請は有効期限までに行う", "Renewal is applied for before expiry"),
            Self::RegistrationValid => ("有効な登録が必要", "Needs a registration that has not expired"),
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

/// The configurable parameters of the lifecycle rules. [`Default`] gives the values in the facts;
/// those marked UNVERIFIED there are here so they can be changed without code changes.
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
    /// Assessment period length: 3 to 12 months (facts rule 5, OFFICIAL).
    pub period: PeriodRule,
    /// Months from the day after the period's end to the expiry date: 16, i.e. 1 year 4 months
    /// (facts rule 6, OFFICIAL). The expiry date is taken as the last valid day.
    pub validity_months: u32,
    /// Months after the period's end within which the audit report is due: 3 (facts §3.3,
    /// x-regulation; UNVERIFIED). `null` disables the guard and the deadline.
    #[serde(default)]
    pub report_due_months: Option<u32>,
    /// Kinds of audit institution accepted: audit firms only (facts rule 8, OFFICIAL "for the time
    /// being").
    #[serde(deserialize_with = "ismap_model::strict::unique_set")]
    pub accepted_institution_kinds: BTreeSet<InstitutionKind>,
    /// Days after a preliminary incident report (速報) within which the final one (確報) is due:
    /// 30. No deadline was found in public sources (facts §2.3, §3.3): UNVERIFIED.
    pub final_incident_report_days: u32,
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
