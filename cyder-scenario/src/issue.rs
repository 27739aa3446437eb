//! Validation problems: every one carries a stable code, a JSON path, the ids it names and a
//! bilingual message.

use std::fmt;

use ismap_model::{Lang, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A stable code for a kind of problem. Codes never change meaning; new ones may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum IssueCode {
    /// The file is not valid JSON/YAML or does not have the document's shape.
    Parse,
    /// Two items of the same kind share an id.
    DuplicateId,
    /// A reference names an id that does not exist.
    UnresolvedReference,
    /// Steps (or tasks) depend on each other in a cycle; the subjects are the whole strongly
    /// connected component.
    Cycle,
    /// An ATT&CK technique id is not of the form `T1566` or `T1566.001`.
    InvalidTechniqueId,
    /// A time window ends before it starts.
    InvalidWindow,
    /// A number is out of range.
    InvalidValue,
    /// No attack step is marked as the attacker's goal.
    NoGoal,
    /// No defender task looks at anything the step leaves behind.
    UndetectableStep,
    /// A task can never be done: an artefact it needs is never produced, or a task before it can
    /// never be done.
    UnreachableTask,
    /// A task can be done, but never inside its time window.
    WindowUnattainable,
    /// The pass score is higher than the best score a team can reach.
    PassScoreUnreachable,
    /// A task in the escalation chain has no recipient (`to`).
    ChainWithoutRecipient,
    /// A task appears twice in the escalation chain.
    DuplicateChainTask,
    /// A team has more members than CYDER allows.
    TeamTooLarge,
    /// An action log names another scenario.
    ScenarioMismatch,
    /// A log entry is timed before the exercise started.
    EntryBeforeStart,
    /// A log entry names a member who is not in the team.
    UnknownMember,
}

impl IssueCode {
    /// The code as written in reports, e.g. `unresolved-reference`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parse => "parse",
            Self::DuplicateId => "duplicate-id",
            Self::UnresolvedReference => "unresolved-reference",
            Self::Cycle => "cycle",
            Self::InvalidTechniqueId => "invalid-technique-id",
            Self::InvalidWindow => "invalid-window",
            Self::InvalidValue => "invalid-value",
            Self::NoGoal => "no-goal",
            Self::UndetectableStep => "undetectable-step",
            Self::UnreachableTask => "unreachable-task",
            Self::WindowUnattainable => "window-unattainable",
            Self::PassScoreUnreachable => "pass-score-unreachable",
            Self::ChainWithoutRecipient => "chain-without-recipient",
            Self::DuplicateChainTask => "duplicate-chain-task",
            Self::TeamTooLarge => "team-too-large",
            Self::ScenarioMismatch => "scenario-mismatch",
            Self::EntryBeforeStart => "entry-before-start",
            Self::UnknownMember => "unknown-member",
        }
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a problem stops the document from being used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// The document is rejected.
    Error,
    /// The document is accepted, but something is probably wrong.
    Warning,
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Issue {
    code: IssueCode,
    severity: Severity,
    /// JSON path of the offending value, e.g. `$.attackSteps[3].requires[0]`.
    path: String,
    /// The ids the problem is about (for a cycle, every member of the strongly connected component).
    subjects: Vec<String>,
    message: Text,
}

impl Issue {
    pub(crate) fn error(code: IssueCode, path: impl Into<String>, subjects: Vec<String>, message: Text) -> Self {
        Self { code, severity: Severity::Error, path: path.into(), subjects, message }
    }

    pub(crate) fn warning(code: IssueCode, path: impl Into<String>, subjects: Vec<String>, message: Text) -> Self {
        Self { code, severity: Severity::Warning, path: path.into(), subjects, message }
    }

    /// The stable code.
    #[must_use]
    pub const fn code(&self) -> IssueCode {
        self.code
    }

    /// Error or warning.
    #[must_use]
    pub const fn severity(&self) -> Severity {
        self.severity
    }

    /// Whether this is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// JSON path of the offending value.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The ids the problem names.
    #[must_use]
    pub fn subjects(&self) -> &[String] {
        &self.subjects
    }

    /// The message in both languages.
    #[must_use]
    pub const fn message(&self) -> &Text {
        &self.message
    }

    /// One line: `error[cycle] $.attackSteps[2]: …`.
    #[must_use]
    pub fn line(&self, lang: Lang) -> String {
        let sev = match (self.severity, lang) {
            (Severity::Error, Lang::Ja) => "エラー",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Ja) => "警告",
            (Severity::Warning, Lang::En) => "warning",
        };
        format!("{sev}[{}] {}: {}", self.code, self.path, self.message.get(lang))
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line(Lang::En))
    }
}

/// Everything validation found in one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidationReport {
    /// Format version of this report (1; absent in version 0, which is the same format).
    #[serde(
        rename = "format_version",
        default = "ismap_model::DocumentVersion::<1>::unversioned",
        skip_serializing_if = "ismap_model::DocumentVersion::<1>::is_unversioned"
    )]
    pub format_version: ismap_model::DocumentVersion<1>,
    /// Whether the document has no errors (warnings allowed).
    pub valid: bool,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Every problem, errors first, then in document order.
    pub issues: Vec<Issue>,
}

impl ValidationReport {
    /// The report on `issues`: errors first (document order kept within each severity), counted.
    #[must_use]
    pub fn new(mut issues: Vec<Issue>) -> Self {
        // INVARIANT: stable sort keeps document order within each severity.
        issues.sort_by_key(|i| i.severity);
        let errors = issues.iter().filter(|i| i.is_error()).count();
        Self {
            format_version: ismap_model::DocumentVersion::current(),
            valid: errors == 0,
            errors,
            warnings: issues.len() - errors,
            issues,
        }
    }
}

/// A document that could not be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} (and {} more problem(s))", first_line(.issues), .issues.len().saturating_sub(1))]
pub struct InvalidDocumentError {
    issues: Vec<Issue>,
}

fn first_line(issues: &[Issue]) -> String {
    issues.first().map_or_else(|| "invalid document".to_owned(), |i| i.line(Lang::En))
}

impl InvalidDocumentError {
    pub(crate) fn new(issues: Vec<Issue>) -> Self {
        Self { issues: ValidationReport::new(issues).issues }
    }

    /// Every problem, errors first.
    #[must_use]
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The problems as a report.
    #[must_use]
    pub fn report(&self) -> ValidationReport {
        ValidationReport::new(self.issues.clone())
    }
}
