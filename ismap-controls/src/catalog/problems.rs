//! What can be wrong with a catalog file.

use std::fmt;

use ismap_model::{ControlId, ControlLevel, CriteriaPart, DocumentVersion, Suffix, Text};
use schemars::JsonSchema;
use serde::Serialize;

/// How serious a problem or finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Makes the document invalid / the statement non-conformant.
    Error,
    /// Worth a look; does not change the verdict.
    Warning,
    /// For information.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        })
    }
}

/// One problem found in a catalog document, with the JSON path of the offending value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct CatalogProblem {
    /// Error or warning.
    pub severity: Severity,
    /// JSON path, e.g. `$.parts[2].domains[3].categories[0].objectives[1].id`.
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl CatalogProblem {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Text {
        self.kind.message()
    }
}

impl fmt::Display for CatalogProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.severity, self.path, self.kind.message().get(ismap_model::Lang::En))
    }
}

/// The result of validating a catalog document: the `ismap catalog validate` document.
///
/// ```
/// use ismap_controls::{Catalog, CatalogValidation};
/// let (_, warnings) = Catalog::from_json_str(Catalog::ismap_2022_json())?;
/// let v = CatalogValidation::new(warnings);
/// assert!(v.valid && v.errors == 0);
/// # Ok::<(), ismap_controls::CatalogError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(title = "ISMAP catalog validation report")]
#[non_exhaustive]
pub struct CatalogValidation {
    /// Format version of this report (1).
    pub format_version: DocumentVersion<1>,
    /// Whether the catalog has no errors (warnings allowed).
    pub valid: bool,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings and notes.
    pub warnings: usize,
    /// Every problem, in document order, each with its message in both languages.
    pub problems: Vec<ReportedProblem>,
}

/// A [`CatalogProblem`] with its message, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct ReportedProblem {
    /// The problem.
    #[serde(flatten)]
    pub problem: CatalogProblem,
    /// Its message in Japanese and English.
    pub message: Text,
}

impl CatalogValidation {
    /// The report on `problems` (the loader's warnings, or every problem of an invalid catalog).
    #[must_use]
    pub fn new(problems: Vec<CatalogProblem>) -> Self {
        let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
        let problems: Vec<ReportedProblem> =
            problems.into_iter().map(|problem| ReportedProblem { message: problem.message(), problem }).collect();
        Self {
            format_version: DocumentVersion::current(),
            valid: errors == 0,
            errors,
            warnings: problems.len() - errors,
            problems,
        }
    }
}

/// The kinds of catalog problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// The id does not parse.
    InvalidId {
        /// The value found.
        value: String,
        /// Why it does not parse.
        reason: String,
    },
    /// A suffix on a level that does not allow it (`B` on an objective, anything on a domain).
    SuffixMisuse {
        /// The value found.
        id: String,
        /// The suffix.
        suffix: Suffix,
        /// The level its numbers give.
        level: ControlLevel,
    },
    /// A `mandatory` or `cloud_specific` flag that contradicts the id's suffix or part.
    FlagContradictsId {
        /// The node.
        id: ControlId,
        /// Which flag.
        flag: &'static str,
        /// The value given.
        value: bool,
    },
    /// The same numbers appear twice (suffixes ignored: `6.3.1` and `6.3.1.P` clash).
    DuplicateId {
        /// The repeated id.
        id: ControlId,
        /// JSON path of its first occurrence.
        first: String,
    },
    /// A node whose numbers do not extend its container's (its own parent is missing there).
    MissingParent {
        /// The node.
        id: ControlId,
        /// The node it was found under.
        found_under: ControlId,
    },
    /// An id with the wrong number of parts for where it sits.
    LevelMismatch {
        /// The node.
        id: ControlId,
        /// The level of where it sits.
        expected: ControlLevel,
        /// The level its id gives.
        found: ControlLevel,
    },
    /// A node without a title in a complete catalog.
    MissingTitle {
        /// The node.
        id: ControlId,
    },
    /// The version is not semver.
    InvalidVersion {
        /// The value found.
        value: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The same part listed twice.
    DuplicatePart {
        /// The part.
        part: CriteriaPart,
        /// JSON path of its first occurrence.
        first: String,
    },
    /// Warning: serials missing under a parent (e.g. `8.1.1` and `8.1.3` but no `8.1.2`).
    NumberingGap {
        /// The parent.
        parent: ControlId,
        /// The missing serials.
        missing: Vec<u16>,
    },
    /// Warning: a domain number outside the part's usual range (3 governance, 4 management,
    /// 5–18 controls in the 2022 criteria).
    UnexpectedDomainForPart {
        /// The domain.
        id: ControlId,
        /// The part it is listed in.
        part: CriteriaPart,
    },
}

impl ProblemKind {
    /// A stable short code for the kind.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::InvalidId { .. } => "invalid_id",
            Self::SuffixMisuse { .. } => "suffix_misuse",
            Self::FlagContradictsId { .. } => "flag_contradicts_id",
            Self::DuplicateId { .. } => "duplicate_id",
            Self::MissingParent { .. } => "missing_parent",
            Self::LevelMismatch { .. } => "level_mismatch",
            Self::MissingTitle { .. } => "missing_title",
            Self::InvalidVersion { .. } => "invalid_version",
            Self::DuplicatePart { .. } => "duplicate_part",
            Self::NumberingGap { .. } => "numbering_gap",
            Self::UnexpectedDomainForPart { .. } => "unexpected_domain_for_part",
        }
    }

    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Text {
        match self {
            Self::InvalidId { value, reason } => {
                Text::new(format!("ID `{value}` が不正です: {reason}"), format!("invalid id `{value}`: {reason}"))
            }
            Self::SuffixMisuse { id, suffix, level } => Text::new(
                format!("`{id}`: {}に接尾辞 {suffix} は付けられません", level.name_ja()),
                format!("`{id}`: suffix {suffix} is not allowed on a {level}"),
            ),
            Self::FlagContradictsId { id, flag, value } => Text::new(
                format!("`{id}`: {flag} = {value} は ID の接尾辞・区分と矛盾します"),
                format!("`{id}`: {flag} = {value} contradicts the id's suffix and part"),
            ),
            Self::DuplicateId { id, first } => Text::new(
                format!("ID `{id}` が重複しています（最初の出現: {first}）"),
                format!("duplicate id `{id}` (first at {first})"),
            ),
            Self::MissingParent { id, found_under } => {
                let expected = id.path().parent().map(|p| p.to_string()).unwrap_or_default();
                Text::new(
                    format!("`{id}` の親 `{expected}` がありません（`{found_under}` の下に置かれています）"),
                    format!("`{id}` has no parent `{expected}`: it is listed under `{found_under}`"),
                )
            }
            Self::LevelMismatch { id, expected, found } => Text::new(
                format!("`{id}` は{}ですが、{}の位置にあります", found.name_ja(), expected.name_ja()),
                format!("`{id}` is a {found} id but sits where a {expected} belongs"),
            ),
            Self::MissingTitle { id } => Text::new(
                format!("`{id}` に名称がありません（完全版カタログでは必須）"),
                format!("`{id}` has no title (required in a complete catalog)"),
            ),
            Self::InvalidVersion { value, reason } => Text::new(
                format!("バージョン `{value}` が semver ではありません: {reason}"),
                format!("version `{value}` is not semver: {reason}"),
            ),
            Self::DuplicatePart { part, first } => Text::new(
                format!("区分 `{part}` が重複しています（最初の出現: {first}）"),
                format!("part `{part}` is listed twice (first at {first})"),
            ),
            Self::NumberingGap { parent, missing } => {
                let list = missing.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
                Text::new(
                    format!("`{parent}` の下で番号が欠けています: {list}"),
                    format!("numbering gap under `{parent}`: missing {list}"),
                )
            }
            Self::UnexpectedDomainForPart { id, part } => Text::new(
                format!("領域 `{id}` は区分 `{part}` の通常の番号範囲外です"),
                format!("domain `{id}` is outside the usual numbers of part `{part}`"),
            ),
        }
    }
}

/// Why a catalog file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The file is not well-formed, or a value has the wrong type or an unknown field.
    #[error("{format} syntax error at {path}: {message}")]
    Syntax {
        /// `JSON` or `TOML`.
        format: &'static str,
        /// JSON path of the offending value.
        path: String,
        /// The parser's message.
        message: String,
    },
    /// The file is larger or more deeply nested, or lists more nodes, than the [`Limits`] allow.
    ///
    /// [`Limits`]: ismap_model::Limits
    #[error("{0}")]
    Limit(ismap_model::LimitExceeded),
    /// The file parsed but has problems; every problem is listed (errors first).
    #[error("{} problem(s); first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<CatalogProblem>),
}

impl From<crate::read::ReadError> for CatalogError {
    fn from(e: crate::read::ReadError) -> Self {
        Self::Syntax { format: e.format, path: e.path, message: e.message }
    }
}
