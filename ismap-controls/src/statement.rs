//! The statement (言明書): what a cloud service provider declares about its controls.
//!
//! Contents follow CC-EN-2022 §2.2 (`ismap-facts.md` §3.2 step 2 and §1.4): service name and scope
//! (regions, underlying services), the basic statement requirements (selected controls with their
//! individual controls), the assessment period, and the representative who makes the statement.
//!
//! Loading checks structure only (well-formed ids, dates, no unknown fields). Whether the content
//! meets the criteria is the conformance engine's job ([`crate::Assessment`]), so that a statement
//! with problems still loads and every problem is reported at once.

use chrono::NaiveDate;
use ismap_model::{
    AssessmentPeriod, ControlId, DocumentVersion, LimitExceeded, Limits, Program, Provider, RegistrationNumber,
    ServiceModel, Text,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod load;

pub use load::{StatementProblem, StatementProblems, StatementValidation};

/// A statement (言明書).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ISMAP statement (言明書)")]
#[non_exhaustive]
pub struct Statement {
    /// Format version of this document. Absent in documents written before format versions
    /// (version 0): the loaders read those and upgrade them.
    #[serde(
        default = "DocumentVersion::<1>::unversioned",
        skip_serializing_if = "DocumentVersion::<1>::is_unversioned"
    )]
    pub format_version: DocumentVersion<1>,
    /// The service and its scope.
    pub service: ServiceScope,
    /// The program applied for.
    pub program: Program,
    /// The version of the criteria catalog the statement is written against (e.g. `2022.4.1`).
    pub catalog_version: semver::Version,
    /// The assessment period (監査対象期間).
    pub period: AssessmentPeriod,
    /// For a renewal: the previous assessment period, which this one must directly follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_period: Option<AssessmentPeriod>,
    /// The person with final responsibility for the service's information-security governance.
    pub representative: Representative,
    /// One entry per criteria item: governance and management items, control objectives and
    /// detailed controls.
    pub selections: Vec<Selection>,
    /// Answers to agency-specific additional requirements, by their ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agency_responses: Vec<AgencyResponse>,
}

/// The service and what the statement covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ServiceScope {
    /// The service's name.
    pub name: Text,
    /// Who provides it.
    pub provider: Provider,
    /// IaaS, PaaS or SaaS.
    pub model: ServiceModel,
    /// The regions or data-centre locations in scope.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Cloud services the service runs on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub underlying: Vec<UnderlyingService>,
}

/// A cloud service the stated service runs on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct UnderlyingService {
    /// A short key the selections use to refer to it (`inherited.from`).
    pub key: String,
    /// Its name.
    pub name: Text,
    /// Its ISMAP registration number. Controls may be inherited only from a registered service
    /// (CC-EN-2022 §2.2.2, §2.2.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<RegistrationNumber>,
}

/// The representative (代表者) making the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Representative {
    /// Name.
    pub name: String,
    /// Position, e.g. 取締役 CISO.
    pub title: String,
}

/// An individual control (個別管理策): the concrete control the provider designed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IndividualControl {
    /// The provider's own reference number, if any.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// What the control does.
    pub text: String,
}

impl IndividualControl {
    /// An individual control with text only.
    #[must_use]
    pub fn new(text: impl Into<String>) -> Self {
        Self { reference: None, text: text.into() }
    }
}

/// A change to an individual control during the assessment period: the content before and after
/// and the day the new content took effect (CC-EN-2022 §2.2.4; a 統制変更 per KB0010866).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ControlChange {
    /// First day the new content applied; the old content applied up to the day before.
    #[serde(deserialize_with = "ismap_model::strict::date")]
    pub changed_on: NaiveDate,
    /// Content before the change.
    pub before: String,
    /// Content after the change.
    pub after: String,
}

/// What the statement says about one criteria item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Selection {
    /// Selected, with the individual controls that implement it.
    Selected {
        /// The item.
        id: ControlId,
        /// Its individual controls (個別管理策).
        #[serde(default)]
        controls: Vec<IndividualControl>,
        /// Changes during the assessment period, oldest first.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        changes: Vec<ControlChange>,
    },
    /// An optional detailed control not selected, with the reason (not assessed; rule 3).
    NotSelected {
        /// The item.
        id: ControlId,
        /// Why not.
        reason: String,
    },
    /// A control objective excluded because it cannot reasonably apply (rule 1).
    Excluded {
        /// The objective.
        id: ControlId,
        /// Why it cannot apply.
        reason: String,
    },
    /// Implemented by an underlying ISMAP-registered service (CC-EN-2022 §2.2.2, §2.2.4).
    Inherited {
        /// The item.
        id: ControlId,
        /// The `key` of the underlying service.
        from: String,
        /// Complementary controls of the provider's own, if any.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        controls: Vec<IndividualControl>,
    },
    /// Not answered yet: an item a newer criteria revision asks about, added by
    /// `ismap statement migrate`. An error (rule `item-unanswered`) until the provider answers it.
    Unanswered {
        /// The item.
        id: ControlId,
    },
}

impl Selection {
    /// The item the entry is about.
    #[must_use]
    pub const fn id(&self) -> &ControlId {
        match self {
            Self::Selected { id, .. }
            | Self::NotSelected { id, .. }
            | Self::Excluded { id, .. }
            | Self::Inherited { id, .. }
            | Self::Unanswered { id } => id,
        }
    }

    /// The status as a short word.
    #[must_use]
    pub const fn status(&self) -> SelectionStatus {
        match self {
            Self::Selected { .. } => SelectionStatus::Selected,
            Self::NotSelected { .. } => SelectionStatus::NotSelected,
            Self::Excluded { .. } => SelectionStatus::Excluded,
            Self::Inherited { .. } => SelectionStatus::Inherited,
            Self::Unanswered { .. } => SelectionStatus::Unanswered,
        }
    }

    /// Whether the item counts as implemented (selected or inherited).
    #[must_use]
    pub const fn is_implemented(&self) -> bool {
        matches!(self, Self::Selected { .. } | Self::Inherited { .. })
    }
}

/// The status of a selection, without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelectionStatus {
    /// Selected.
    Selected,
    /// Not selected (optional detailed control).
    NotSelected,
    /// Objective excluded.
    Excluded,
    /// Inherited from an underlying service.
    Inherited,
    /// Not answered yet (added by a migration to a newer criteria revision).
    Unanswered,
}

/// An answer to an agency's additional requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AgencyResponse {
    /// The requirement's id, as in the agency's additions document.
    pub id: crate::baseline::RequirementId,
    /// The individual controls that meet it.
    pub controls: Vec<IndividualControl>,
}

/// Why a statement file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("statement {format} error at {path}: {message}")]
#[non_exhaustive]
pub struct StatementError {
    /// `JSON` or `TOML`.
    pub format: &'static str,
    /// JSON path of the offending value.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl From<crate::read::ReadError> for StatementError {
    fn from(e: crate::read::ReadError) -> Self {
        Self { format: e.format, path: e.path, message: e.message }
    }
}

impl StatementError {
    /// The error for a limit exceeded while reading a document.
    pub(crate) fn limit(format: &'static str, e: &LimitExceeded) -> Self {
        Self { format, path: "$".to_owned(), message: e.to_string() }
    }

    /// Reads a JSON document within `limits`: size and bracket nesting before parsing, then the
    /// number of items `count` finds in it. Limits are reported at path `$`.
    pub(crate) fn read_json_within<T: serde::de::DeserializeOwned>(
        s: &str,
        limits: &Limits,
        count: impl FnOnce(&T) -> usize,
    ) -> Result<T, Self> {
        limits.check_text(s).map_err(|e| Self::limit("JSON", &e))?;
        let doc: T = crate::read::json(s)?;
        limits.check_items(count(&doc)).map_err(|e| Self::limit("JSON", &e))?;
        Ok(doc)
    }
}

const SAMPLE: &str = include_str!("../data/sample-statement.json");

impl Statement {
    /// The statement in the current format: a version 0 document (no `format_version`) gets the
    /// current version; nothing else changes.
    #[must_use]
    pub const fn upgraded(mut self) -> Self {
        self.format_version.upgrade();
        self
    }

    /// Reads a statement from JSON (any supported format version, upgraded).
    ///
    /// # Errors
    /// A [`StatementError`] naming the JSON path of the first malformed value.
    pub fn from_json_str(s: &str) -> Result<Self, StatementError> {
        Self::from_json_str_with(s, &Limits::DEFAULT)
    }

    /// [`Statement::from_json_str`] within `limits`: size and bracket nesting before parsing,
    /// the number of selections and agency responses after.
    ///
    /// # Errors
    /// As [`Statement::from_json_str`]; a limit exceeded is reported at path `$` with the
    /// limit's name, value and the size found.
    pub fn from_json_str_with(s: &str, limits: &Limits) -> Result<Self, StatementError> {
        StatementError::read_json_within(s, limits, Self::items).map(Self::upgraded)
    }

    /// What counts against [`Limits::items`]: selections and agency responses.
    pub(crate) fn items(&self) -> usize {
        self.selections.len().saturating_add(self.agency_responses.len())
    }

    /// Reads a statement from JSON and, when it does not load, reports **every** problem, each
    /// with its JSON path and the offending value (see [`StatementProblems`]). A UTF-8 byte-order
    /// mark is ignored. Limits as [`Statement::from_json_str_with`].
    ///
    /// ```
    /// use ismap_controls::Statement;
    /// let bad = r#"{"service": 1, "program": "ISMAP", "catalog_version": "x"}"#;
    /// let problems = Statement::read_json(bad, &ismap_model::Limits::DEFAULT).unwrap_err();
    /// assert!(problems.problems().len() >= 4); // service, catalog_version, and what is missing
    /// ```
    ///
    /// # Errors
    /// Every problem found, in document order.
    pub fn read_json(s: &str, limits: &Limits) -> Result<Self, StatementProblems> {
        load::json(s, limits)
    }

    /// [`Statement::read_json`] for TOML: native TOML dates (`start = 2024-04-01`) are read as
    /// dates, and problems carry JSON paths as for JSON.
    ///
    /// # Errors
    /// Every problem found, in document order.
    pub fn read_toml(s: &str, limits: &Limits) -> Result<Self, StatementProblems> {
        load::toml(s, limits)
    }

    /// Reads a statement from TOML.
    ///
    /// # Errors
    /// As [`Statement::from_json_str`].
    pub fn from_toml_str(s: &str) -> Result<Self, StatementError> {
        Self::from_toml_str_with(s, &Limits::DEFAULT)
    }

    /// [`Statement::from_toml_str`] within `limits` (see [`Statement::from_json_str_with`]).
    ///
    /// # Errors
    /// As [`Statement::from_json_str_with`].
    pub fn from_toml_str_with(s: &str, limits: &Limits) -> Result<Self, StatementError> {
        limits.check_text(s).map_err(|e| StatementError::limit("TOML", &e))?;
        let st: Self = crate::read::toml(s)?;
        limits.check_items(st.items()).map_err(|e| StatementError::limit("TOML", &e))?;
        Ok(st.upgraded())
    }

    /// The embedded sample: a fictional SaaS whose statement has a few realistic findings (a
    /// management item forgotten, an exclusion without reason, a `.B` control not selected, a
    /// control inherited from an unregistered CDN, a change dated before the period, a `.PB`
    /// control without individual controls). Tests keep it parseable; the `Result` only avoids a
    /// panic path in library code.
    ///
    /// # Errors
    /// Only if the embedded sample were malformed.
    pub fn try_sample() -> Result<Self, StatementError> {
        Self::from_json_str(SAMPLE)
    }

    /// The embedded sample statement's JSON text.
    #[must_use]
    pub const fn sample_json() -> &'static str {
        SAMPLE
    }
}
