//! The assessment report: a verdict, counts per part and domain, and every finding.

use std::fmt;

use ismap_model::{AssessmentPeriod, ControlId, CriteriaPart, Program, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{BaselineKind, Completeness, Rule, Severity};

/// The version of the report format written by this library.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// Whether the statement meets the criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No error-level finding.
    Conformant,
    /// At least one error-level finding.
    NotConformant,
}

impl Verdict {
    /// The verdict in both languages.
    #[must_use]
    pub fn text(self) -> Text {
        match self {
            Self::Conformant => Text::new("適合", "conformant"),
            Self::NotConformant => Text::new("不適合", "not conformant"),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Conformant => "conformant",
            Self::NotConformant => "not conformant",
        })
    }
}

/// One finding: a rule, the item it concerns, where in the statement, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Error, warning or info.
    pub severity: Severity,
    /// The criteria item concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<ControlId>,
    /// Where in the statement, when the finding is about something written there: a JSON path
    /// (`$.selections[3]`), or for a workbook or CSV statement the cell of the answer
    /// (`回答!F12`, `12:6`; see `workbook::SourceMap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What is wrong, in both languages.
    pub message: Text,
}

/// Counts of selections and findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Tally {
    /// Items selected.
    pub selected: usize,
    /// Items inherited from an underlying service.
    pub inherited: usize,
    /// Detailed controls not selected.
    pub not_selected: usize,
    /// Objectives excluded.
    pub excluded: usize,
    /// Catalog items the statement does not mention.
    pub missing: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
}

/// Counts for one part of the criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PartSummary {
    /// The part.
    pub part: CriteriaPart,
    /// Its counts.
    pub tally: Tally,
}

/// Counts for one domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DomainSummary {
    /// The domain.
    pub domain: ControlId,
    /// Its part.
    pub part: CriteriaPart,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Its counts.
    pub tally: Tally,
}

/// Which catalog was used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CatalogSummary {
    /// Its name.
    pub name: Text,
    /// Its version.
    pub version: String,
    /// Whether it lists every item.
    pub completeness: Completeness,
}

/// For ISMAP-LIU: how many implemented controls-criteria items the external audit covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AuditScopeSummary {
    /// Implemented items in the external audit's scope.
    pub external: usize,
    /// Implemented items left to the internal audit.
    pub internal_only: usize,
}

/// The result of assessing a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ISMAP assessment report")]
#[non_exhaustive]
pub struct AssessmentReport {
    /// Format version of this document ([`REPORT_FORMAT_VERSION`]); a newer one is rejected.
    pub format_version: ismap_model::DocumentVersion<REPORT_FORMAT_VERSION>,
    /// The verdict.
    pub verdict: Verdict,
    /// The service assessed.
    pub service: Text,
    /// The program applied for.
    pub program: Program,
    /// The assessment period stated.
    pub period: AssessmentPeriod,
    /// The catalog used.
    pub catalog: CatalogSummary,
    /// The baseline used.
    pub baseline: BaselineKind,
    /// The agencies whose additional requirements were applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<Text>,
    /// Counts over everything.
    pub totals: Tally,
    /// Counts per part.
    pub parts: Vec<PartSummary>,
    /// Counts per domain, in numeric order.
    pub domains: Vec<DomainSummary>,
    /// For ISMAP-LIU: the external audit's share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_scope: Option<AuditScopeSummary>,
    /// Every finding: errors first, then by item, rule and path.
    pub findings: Vec<Finding>,
}

impl AssessmentReport {
    /// Findings of one severity.
    pub fn with_severity(&self, severity: Severity) -> impl Iterator<Item = &Finding> + '_ {
        self.findings.iter().filter(move |f| f.severity == severity)
    }

    /// Whether some finding is of `rule`.
    #[must_use]
    pub fn has(&self, rule: Rule) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }
}
