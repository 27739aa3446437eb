//! The column-mapping file: which spreadsheet columns hold what.

use chrono::NaiveDate;
use ismap_model::{Limits, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ImportProblem, ImportProblemKind, Origin};
use crate::catalog::Completeness;

/// The format version of column-mapping files.
pub const COLUMN_MAPPING_VERSION: u32 = 1;

/// A column-mapping file (TOML or JSON): how to read a criteria table from a CSV or XLSX file.
///
/// ```toml
/// version = 1
/// sheet = "管理基準"
/// [catalog]
/// name = { ja = "ISMAP管理基準", en = "ISMAP control criteria" }
/// version = "2022.4.1"
/// effective = "2022-04-01"
/// [columns]
/// id = "項番"
/// title_ja = "項目"
/// title_en = "Item"
/// text_ja = "内容"
/// ```
///
/// Each row with a non-empty id is one item (domain, category, control objective or detailed
/// control, told by the id). Columns are named by their header text, or by their letter (`A`,
/// `B`, ..., `AA`) when no header has that text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Spreadsheet column mapping")]
#[non_exhaustive]
pub struct ColumnMapping {
    /// Format version of this file ([`COLUMN_MAPPING_VERSION`]); required since the first format.
    pub version: ismap_model::DocumentVersion<COLUMN_MAPPING_VERSION>,
    /// `csv` or `xlsx`; taken from the data file's extension when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<SheetFormat>,
    /// XLSX: the worksheet to read (the first one when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The 1-based row holding the column headers (default 1). Rows above it are ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<usize>,
    /// CSV: the field delimiter (default `,`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    /// Facts about the catalog as a whole.
    pub catalog: CatalogInfo,
    /// Which column holds what.
    pub columns: Columns,
    /// Extra words read as yes / no in flag columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<FlagWords>,
}

/// A spreadsheet format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SheetFormat {
    /// Comma- (or `delimiter`-) separated values, UTF-8.
    Csv,
    /// Office Open XML workbook.
    Xlsx,
}

/// Facts about the imported catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CatalogInfo {
    /// Its name.
    pub name: Text,
    /// Its version (semver, e.g. `2022.4.1`).
    pub version: String,
    /// When it took effect.
    #[serde(deserialize_with = "ismap_model::strict::date")]
    pub effective: NaiveDate,
    /// Whether every item is listed (default `complete`: every item needs a title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completeness: Option<Completeness>,
    /// Where the content comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Column names (header text, or a column letter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Columns {
    /// The item id (`8.1.2.7.PB`). Required.
    pub id: String,
    /// The part (`governance`, `management`, `controls`, or ガバナンス基準 / マネジメント基準 /
    /// 管理策基準); derived from the domain when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Japanese title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_ja: Option<String>,
    /// English title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Japanese text of the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_ja: Option<String>,
    /// English text of the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_en: Option<String>,
    /// Clauses of standards the item derives from: one per line, the standard optionally
    /// followed by ` | ` and the clause (`ISO/IEC 27002:2013 | 8.1.2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refs: Option<String>,
    /// Mandatory flag (checked against the id's suffix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<String>,
    /// Cloud-specific flag (checked against the id's suffix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_specific: Option<String>,
}

/// Extra words for yes and no, beyond the built-in ones (○ ✓ はい yes true 1 / 空欄 - × いいえ no
/// false 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FlagWords {
    /// Words meaning yes.
    #[serde(default)]
    pub yes: Vec<String>,
    /// Words meaning no.
    #[serde(default)]
    pub no: Vec<String>,
}

impl ColumnMapping {
    /// A mapping with the id column only.
    #[must_use]
    pub fn new(catalog: CatalogInfo, id_column: impl Into<String>) -> Self {
        Self {
            version: ismap_model::DocumentVersion::current(),
            format: None,
            sheet: None,
            header_row: None,
            delimiter: None,
            catalog,
            columns: Columns {
                id: id_column.into(),
                part: None,
                title_ja: None,
                title_en: None,
                text_ja: None,
                text_en: None,
                refs: None,
                mandatory: None,
                cloud_specific: None,
            },
            flags: None,
        }
    }

    /// Reads a mapping from TOML within [`Limits::DEFAULT`].
    ///
    /// # Errors
    /// The [`ImportProblem`] naming the offending key, or the limit exceeded.
    pub fn from_toml_str(s: &str) -> Result<Self, Vec<ImportProblem>> {
        Self::from_toml_str_with(s, &Limits::DEFAULT)
    }

    /// [`ColumnMapping::from_toml_str`] within `limits`: the text's size
    /// ([`Limits::input_bytes`]) and bracket nesting ([`Limits::depth`]) before parsing. (A
    /// mapping has no list that grows with the table, so [`Limits::items`] does not apply.)
    ///
    /// # Errors
    /// As [`ColumnMapping::from_toml_str`]; a limit exceeded is the one problem reported
    /// ([`ImportProblemKind::Limit`]).
    pub fn from_toml_str_with(s: &str, limits: &Limits) -> Result<Self, Vec<ImportProblem>> {
        limits.check_text(s).map_err(limit)?;
        crate::read::toml(s).map_err(|e| unreadable(&e.path, &e.message))
    }

    /// Reads a mapping from JSON within [`Limits::DEFAULT`].
    ///
    /// # Errors
    /// The [`ImportProblem`] naming the offending key, or the limit exceeded.
    pub fn from_json_str(s: &str) -> Result<Self, Vec<ImportProblem>> {
        Self::from_json_str_with(s, &Limits::DEFAULT)
    }

    /// [`ColumnMapping::from_json_str`] within `limits` (see
    /// [`ColumnMapping::from_toml_str_with`]).
    ///
    /// # Errors
    /// As [`ColumnMapping::from_toml_str_with`].
    pub fn from_json_str_with(s: &str, limits: &Limits) -> Result<Self, Vec<ImportProblem>> {
        limits.check_text(s).map_err(limit)?;
        crate::read::json(s).map_err(|e| unreadable(&e.path, &e.message))
    }

    pub(super) fn completeness(&self) -> Completeness {
        self.catalog.completeness.unwrap_or(Completeness::Complete)
    }
}

fn limit(e: ismap_model::LimitExceeded) -> Vec<ImportProblem> {
    vec![ImportProblem::error(Origin::Input, ImportProblemKind::Limit(e))]
}

fn unreadable(path: &str, message: &str) -> Vec<ImportProblem> {
    vec![ImportProblem::error(
        Origin::Path { path: path.to_owned() },
        ImportProblemKind::Unreadable { reason: format!("column mapping: {message}") },
    )]
}
