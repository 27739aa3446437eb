//! The statement mapping: how to read a statement from a provider's own spreadsheet layout.

use std::collections::BTreeMap;

use ismap_model::{AssessmentPeriod, DocumentVersion, Limits, Program, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::SelectionStatus;
use crate::statement::{Representative, ServiceScope, StatementProblem, StatementProblems};

/// How to read a statement from a workbook or CSV laid out differently from our template
/// (`ismap assess --mapping FILE`): which sheet and columns hold the answers, extra status words,
/// and, for a layout without our cover sheet, the statement's header given here.
///
/// ```toml
/// format_version = 1
/// sheet = "Controls"
/// header_row = 3
/// [columns]
/// id = "Control ID"
/// status = "E"            # a column letter, when no header has that text
/// controls = "Our controls"
/// reason = "Why not"
/// [status_words]
/// "Implemented" = "selected"
/// "N/A" = "excluded"
/// ```
///
/// Columns are named by their header text, or by their letter (`A`, `F`, `AA`) when no header
/// has that text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Statement spreadsheet mapping")]
#[non_exhaustive]
pub struct StatementMapping {
    /// Format version of this file; required.
    pub format_version: DocumentVersion<1>,
    /// The sheet holding the answers (default: `回答` or `Answers`). CSV: ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The 1-based row holding the column headers (default: the first row with an id header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<usize>,
    /// Which columns hold what.
    pub columns: StatementColumns,
    /// Extra words read as statuses, e.g. `"Implemented" = "selected"`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub status_words: BTreeMap<String, SelectionStatus>,
    /// The statement's header, for a layout without our cover sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover: Option<CoverValues>,
}

/// The answer columns of a provider's layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct StatementColumns {
    /// The criteria item's id.
    pub id: String,
    /// Its status.
    pub status: String,
    /// Individual controls, one per line (`REF: text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controls: Option<String>,
    /// The reason for not selecting or excluding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The key of the underlying service an item is inherited from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<String>,
}

/// A statement's header (everything but the answers), as in the statement document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CoverValues {
    /// The service and its scope.
    pub service: ServiceScope,
    /// The program applied for.
    pub program: Program,
    /// The criteria version the statement is written against.
    pub catalog_version: semver::Version,
    /// The assessment period.
    pub period: AssessmentPeriod,
    /// For a renewal: the previous assessment period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_period: Option<AssessmentPeriod>,
    /// The representative making the statement.
    pub representative: Representative,
}

impl StatementMapping {
    /// Reads a mapping from TOML (`.toml`) or JSON text.
    ///
    /// # Errors
    /// The first problem, with its JSON path, as [`StatementProblems`].
    pub fn from_str_as(text: &str, toml: bool) -> Result<Self, StatementProblems> {
        Limits::DEFAULT
            .check_text(text)
            .map_err(|e| StatementProblems(vec![StatementProblem::new("$", None, e.message())]))?;
        let read = if toml { crate::read::toml::<Self>(text) } else { crate::read::json::<Self>(text) };
        read.map_err(|e| {
            StatementProblems(vec![StatementProblem::new(
                e.path,
                None,
                Text::new(format!("対応付けファイルが正しくありません（{}）", e.message), e.message),
            )])
        })
    }
}
