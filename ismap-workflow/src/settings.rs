//! The settings document: the program facts public sources leave unverified, as values a user
//! can set (`--settings FILE`) instead of constants of the rules.
//!
//! Each setting is a fact the reference marks UNVERIFIED: which kinds of audit institution are
//! accepted (ISMAP FAQ KB0010011 says "for the time being" audit firms), the audit report's
//! deadline, the final incident report's deadline, the day the ISMAP-LIU pre-application was
//! abolished, and the ISMAP-LIU external-audit scope. The default file is `docs/settings.json`.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use ismap_controls::Baseline;
use ismap_model::{ControlId, DocumentVersion, LIU_PRE_APPLICATION_ABOLISHED_DEFAULT, Limits, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{InstitutionKind, WorkflowRules};

/// The unverified program facts as settings. `format_version` is required; every other field may
/// be left out and then has its default ([`Settings::default`]); unknown fields are rejected.
///
/// ```
/// use ismap_workflow::Settings;
/// let s = Settings::from_json_str(r#"{"format_version": 1, "reportDueMonths": 4, "liuPreApplicationAbolished": null}"#)?;
/// assert_eq!(s.workflow_rules().report_due_months, Some(4));
/// assert_eq!(s.workflow_rules().liu_pre_application_abolished, None);
/// assert!(s.liu_baseline().in_external_audit_scope(&"9.2.3.11.PB".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "ISMAP settings (unverified program facts)")]
#[non_exhaustive]
pub struct Settings {
    /// Format version of this document (1).
    #[serde(rename = "format_version")]
    pub format_version: DocumentVersion<1>,
    /// Kinds of audit institution accepted: audit firms (監査法人) only, "for the time being"
    /// (ISMAP FAQ KB0010011).
    #[serde(default = "defaults::kinds", deserialize_with = "ismap_model::strict::unique_set")]
    pub accepted_institution_kinds: BTreeSet<InstitutionKind>,
    /// Months after the assessment period's end within which the audit report is due: 3 (from
    /// x-regulation's breakdown of the 1 year 4 months of ISMAP基本規程 3.5). `null`: no deadline.
    #[serde(default = "defaults::report_due_months")]
    pub report_due_months: Option<u32>,
    /// Days after a preliminary incident report (速報) within which the final one (確報) is due:
    /// 30 (no public source gives a deadline).
    #[serde(default = "defaults::final_incident_report_days")]
    pub final_incident_report_days: u32,
    /// The day the ISMAP-LIU pre-application was abolished: 2025-04-01 (the portal's ISMAP-LIU
    /// introduction material of that date, reported by one third-party source). `null`: never.
    #[serde(
        default = "defaults::liu_pre_application_abolished",
        deserialize_with = "ismap_model::strict::option_date"
    )]
    pub liu_pre_application_abolished: Option<NaiveDate>,
    /// The ISMAP-LIU external audit's scope in the controls criteria (items and everything under
    /// them): not published; by default the Appendix-1 critical areas ([`Baseline::liu`]).
    #[serde(default = "defaults::liu_external_audit_scope", deserialize_with = "ismap_model::strict::unique_set")]
    pub liu_external_audit_scope: BTreeSet<ControlId>,
}

/// The defaults, one function per field (serde's field defaults).
mod defaults {
    use super::{
        BTreeSet, Baseline, ControlId, InstitutionKind, LIU_PRE_APPLICATION_ABOLISHED_DEFAULT, NaiveDate, WorkflowRules,
    };

    pub(super) fn kinds() -> BTreeSet<InstitutionKind> {
        WorkflowRules::default().accepted_institution_kinds
    }

    pub(super) fn report_due_months() -> Option<u32> {
        WorkflowRules::default().report_due_months
    }

    pub(super) fn final_incident_report_days() -> u32 {
        WorkflowRules::default().final_incident_report_days
    }

    #[expect(clippy::unnecessary_wraps, reason = "serde's default for an optional field")]
    pub(super) const fn liu_pre_application_abolished() -> Option<NaiveDate> {
        Some(LIU_PRE_APPLICATION_ABOLISHED_DEFAULT)
    }

    pub(super) fn liu_external_audit_scope() -> BTreeSet<ControlId> {
        Baseline::liu().external_audit_scope.unwrap_or_default()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            format_version: DocumentVersion::current(),
            accepted_institution_kinds: defaults::kinds(),
            report_due_months: defaults::report_due_months(),
            final_incident_report_days: defaults::final_incident_report_days(),
            liu_pre_application_abolished: defaults::liu_pre_application_abolished(),
            liu_external_audit_scope: defaults::liu_external_audit_scope(),
        }
    }
}

/// A settings document that does not load: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("settings error at {path}: {message}")]
#[non_exhaustive]
pub struct SettingsError {
    /// JSON path of the offending value (`$` for the document as a whole).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl SettingsError {
    /// The message in both languages.
    #[must_use]
    pub fn text(&self) -> Text {
        Text::new(format!("設定ファイルの {} に誤り: {}", self.path, self.message), self.to_string())
    }
}

impl Settings {
    /// Reads a settings document (JSON) within the default [`Limits`].
    ///
    /// # Errors
    /// [`SettingsError`] with the JSON path and the problem: malformed JSON, an unknown field, a
    /// bad value, a duplicate in a set, or a format version this library does not know.
    pub fn from_json_str(s: &str) -> Result<Self, SettingsError> {
        Limits::DEFAULT.check_text(s).map_err(|e| SettingsError { path: "$".into(), message: e.to_string() })?;
        let de = &mut serde_json::Deserializer::from_str(s);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { "$".to_owned() } else { format!("$.{path}") };
            SettingsError { path, message: e.into_inner().to_string() }
        })
    }

    /// The default settings as the documented default file (pretty JSON).
    #[must_use]
    pub fn default_json() -> String {
        serde_json::to_string_pretty(&Self::default()).unwrap_or_default()
    }

    /// The workflow rules with these settings (the verified parameters keep their values).
    #[must_use]
    pub fn workflow_rules(&self) -> WorkflowRules {
        let mut rules = WorkflowRules::default();
        rules.accepted_institution_kinds.clone_from(&self.accepted_institution_kinds);
        rules.report_due_months = self.report_due_months;
        rules.final_incident_report_days = self.final_incident_report_days;
        rules.liu_pre_application_abolished = self.liu_pre_application_abolished;
        rules
    }

    /// The ISMAP-LIU baseline with this external-audit scope.
    #[must_use]
    pub fn liu_baseline(&self) -> Baseline {
        Baseline::liu_with_scope(self.liu_external_audit_scope.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip_and_match_the_built_in_rules() {
        let s = Settings::default();
        assert_eq!(Settings::from_json_str(&Settings::default_json()).unwrap(), s);
        assert_eq!(s.workflow_rules(), WorkflowRules::default());
        assert_eq!(s.liu_baseline(), Baseline::liu());
        assert_eq!(Settings::from_json_str(r#"{"format_version": 1}"#).unwrap(), s);
        assert!(Settings::from_json_str("{}").is_err());
    }

    #[test]
    fn errors_name_the_path() {
        let e = Settings::from_json_str(r#"{"format_version": 1, "reportDueMonths": "x"}"#).unwrap_err();
        assert_eq!(e.path, "$.reportDueMonths");
        let e = Settings::from_json_str(r#"{"unknown": 1}"#).unwrap_err();
        assert!(e.message.contains("unknown"), "{e}");
        let e =
            Settings::from_json_str(r#"{"format_version": 1, "liuPreApplicationAbolished": "2025-4-1"}"#).unwrap_err();
        assert_eq!(e.path, "$.liuPreApplicationAbolished");
        assert!(Settings::from_json_str(r#"{"format_version": 2}"#).is_err());
        assert!(
            Settings::from_json_str(r#"{"format_version": 1, "acceptedInstitutionKinds": ["auditFirm", "auditFirm"]}"#)
                .is_err()
        );
    }
}
