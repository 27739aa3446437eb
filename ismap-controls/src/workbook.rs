//! Statements where providers work: the statement template, and statements as XLSX workbooks
//! and CSV files, in and out (feature `spreadsheet`).
//!
//! - [`StatementTemplate`]: every item a statement must answer (each governance and management
//!   item, each control objective, each detailed control the catalog lists, each agency
//!   requirement), with titles and what is required, written as a workbook, CSV, JSON or TOML.
//! - The workbook has a cover sheet (service scope, program, criteria version, assessment
//!   period, representative), the answers sheet (frozen header, autofilter, a drop-down list for
//!   the status, fixed columns protected, mandatory rows marked), agency requirements, changes,
//!   underlying services, and a sheet explaining every column in Japanese and English.
//!   Individual controls (個別管理策) are one per line, as `REF: text`, in one cell.
//! - [`Statement::from_xlsx_bytes`] and [`Statement::from_csv_str`] read a filled template (headers
//!   in Japanese or English) or, with a [`StatementMapping`], a provider's own layout, reporting
//!   every problem at once with its `sheet!cell` (or CSV `line:column`). Workbooks are untrusted:
//!   the same size limits and zip-bomb guard as the criteria import.
//! - [`SourceMap`] points an assessment's findings at the cells they concern (`回答!F12`).

mod grid;
mod mapping;
mod read;
mod template;
mod vocab;
mod write;

use std::collections::BTreeMap;
use std::path::Path;

use ismap_model::{ControlId, Lang, Limits, Text};

pub use mapping::{CoverValues, StatementColumns, StatementMapping};
pub use template::{AnswerRequirement, StatementTemplate, TemplateAgencyRequirement, TemplateCatalog, TemplateItem};

use crate::statement::{IndividualControl, StatementProblem, StatementProblems};
use crate::{AssessmentReport, Statement};

/// Why a workbook could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbookError {
    /// The statement answers one item twice; a workbook holds one answer per item.
    #[error(
        "`{id}` is answered twice ($.selections[{first}] and $.selections[{second}]); a workbook holds one answer per item"
    )]
    DuplicateAnswer {
        /// The item.
        id: ControlId,
        /// The first selection's index.
        first: usize,
        /// The second selection's index.
        second: usize,
    },
    /// The XLSX writer failed.
    #[error("cannot write the workbook: {message}")]
    Write {
        /// The writer's message.
        message: String,
    },
}

impl WorkbookError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Text {
        match self {
            Self::DuplicateAnswer { id, first, second } => Text::new(
                format!(
                    "`{id}` に 2 つの回答があります（$.selections[{first}] と $.selections[{second}]）。ブックには 1 項目 1 回答しか書けません"
                ),
                self.to_string(),
            ),
            Self::Write { message } => Text::new(format!("ブックを書き出せません（{message}）"), self.to_string()),
        }
    }
}

/// Where each part of a statement read from a workbook or CSV came from, to point findings at
/// their cells ([`SourceMap::locate`], [`SourceMap::relocate`]).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// The answers sheet and its columns.
    answers: Option<read::AnswerLayout>,
    /// Every answers row with an id, answered or not.
    rows: BTreeMap<ControlId, read::RowAt>,
    /// The item of each selection, by index.
    selection_ids: Vec<ControlId>,
    /// The cells of each item's changes, in order.
    changes: BTreeMap<ControlId, Vec<String>>,
    /// The controls cell of each agency response, by index.
    agency: Vec<String>,
    /// The agency sheet itself.
    agency_sheet: Option<String>,
    /// The key cell of each underlying service, by index.
    underlying: Vec<String>,
    /// The value cell of each cover field.
    cover: BTreeMap<vocab::CoverField, String>,
}

/// A statement read from a file, with where its parts came from when the file is a workbook or
/// CSV.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadedStatement {
    /// The statement.
    pub statement: Statement,
    /// Cells of a workbook or CSV statement; `None` for JSON and TOML (findings carry JSON paths).
    pub source: Option<SourceMap>,
}

impl From<Statement> for LoadedStatement {
    fn from(statement: Statement) -> Self {
        Self { statement, source: None }
    }
}

/// The formats a statement is read from and written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatementFormat {
    /// JSON (schemas/statement.schema.json).
    Json,
    /// TOML, the same fields.
    Toml,
    /// An XLSX workbook laid out as the template.
    Xlsx,
    /// A CSV file with one section per sheet of the workbook.
    Csv,
}

impl StatementFormat {
    /// The format a file name's extension names (`.json`, `.toml`, `.xlsx`/`.xlsm`, `.csv`).
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Self::Json),
            "toml" => Some(Self::Toml),
            "xlsx" | "xlsm" => Some(Self::Xlsx),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// Individual controls as one cell: one per line, `REF: text`, or the text alone. A text without
/// a reference that would read as one (`Note: ...`) is written after a colon (`: Note: ...`).
#[must_use]
pub fn controls_to_cell(controls: &[IndividualControl]) -> String {
    controls
        .iter()
        .map(|c| match &c.reference {
            Some(r) => format!("{r}: {}", c.text),
            None if c.text.starts_with([':', '：']) || split_reference(&c.text).is_some() => format!(": {}", c.text),
            None => c.text.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads individual controls from one cell (see [`controls_to_cell`]); blank lines are skipped,
/// each line trimmed.
#[must_use]
pub fn controls_from_cell(cell: &str) -> Vec<IndividualControl> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            if let Some(rest) = line.strip_prefix([':', '：']) {
                return IndividualControl { reference: None, text: rest.trim().to_owned() };
            }
            match split_reference(line) {
                Some((r, text)) => IndividualControl { reference: Some(r.to_owned()), text: text.to_owned() },
                None => IndividualControl { reference: None, text: line.to_owned() },
            }
        })
        .collect()
}

/// `REF: text` split into the reference and the text: a reference is 1 to 32 characters without
/// spaces or colons, before the first colon (ASCII or full-width).
fn split_reference(line: &str) -> Option<(&str, &str)> {
    let at = line.find([':', '：'])?;
    let (r, rest) = line.split_at(at);
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    let r = r.trim();
    let ok = !r.is_empty() && r.chars().count() <= 32 && !r.chars().any(char::is_whitespace);
    ok.then(|| (r, rest.trim()))
}

impl StatementTemplate {
    /// The template as an XLSX workbook in `lang`.
    ///
    /// # Errors
    /// Only if the XLSX writer fails.
    pub fn to_xlsx(&self, lang: Lang) -> Result<Vec<u8>, WorkbookError> {
        write::to_xlsx(&write::layout(self, None, None, lang)?, lang)
    }

    /// The template as a CSV with one section per sheet.
    ///
    /// # Errors
    /// Only if the CSV writer fails.
    pub fn to_csv(&self, lang: Lang) -> Result<String, WorkbookError> {
        write::to_csv(&write::layout(self, None, None, lang)?, lang)
    }
}

impl Statement {
    /// The statement as a workbook laid out as `template` (its items in the template's order,
    /// answers the template does not list after them), with the findings of `report` beside each
    /// item and in a findings sheet when given.
    ///
    /// # Errors
    /// A statement answering one item twice ([`WorkbookError::DuplicateAnswer`]); a writer failure.
    pub fn to_xlsx(
        &self,
        template: &StatementTemplate,
        report: Option<&AssessmentReport>,
        lang: Lang,
    ) -> Result<Vec<u8>, WorkbookError> {
        write::to_xlsx(&write::layout(template, Some(self), report, lang)?, lang)
    }

    /// The statement as a CSV (see [`Statement::to_xlsx`]).
    ///
    /// # Errors
    /// As [`Statement::to_xlsx`].
    pub fn to_csv(&self, template: &StatementTemplate, lang: Lang) -> Result<String, WorkbookError> {
        write::to_csv(&write::layout(template, Some(self), None, lang)?, lang)
    }

    /// Reads a statement from a workbook: a filled template, or a provider's own layout with a
    /// `mapping`. Every problem is reported at once, each at its `sheet!cell`.
    ///
    /// # Errors
    /// Every problem found; a workbook that cannot be opened, or that breaks a limit, is one problem.
    pub fn from_xlsx_bytes(
        bytes: &[u8],
        mapping: Option<&StatementMapping>,
        limits: &Limits,
    ) -> Result<LoadedStatement, StatementProblems> {
        let sheet = mapping.and_then(|m| m.sheet.as_deref());
        let grid = grid::read_xlsx(bytes, sheet, limits)?;
        let (statement, source) = read::statement(&grid, mapping)?;
        limits
            .check_items(statement.items())
            .map_err(|e| StatementProblems(vec![StatementProblem::new("$", None, e.message())]))?;
        Ok(LoadedStatement { statement, source: Some(source) })
    }

    /// [`Statement::from_xlsx_bytes`] from a file.
    ///
    /// # Errors
    /// As [`Statement::from_xlsx_bytes`]; a file that cannot be read is one problem.
    pub fn from_xlsx_path(
        path: &Path,
        mapping: Option<&StatementMapping>,
        limits: &Limits,
    ) -> Result<LoadedStatement, StatementProblems> {
        let bytes = read_bytes(path, limits)?;
        Self::from_xlsx_bytes(&bytes, mapping, limits)
    }

    /// Reads a statement from CSV: the sections written by [`Statement::to_csv`], or one answers
    /// table with a `mapping` that gives the cover. Problems are located as `line:column`.
    ///
    /// # Errors
    /// Every problem found.
    pub fn from_csv_str(
        text: &str,
        mapping: Option<&StatementMapping>,
        limits: &Limits,
    ) -> Result<LoadedStatement, StatementProblems> {
        let grid = grid::read_csv(text, limits)?;
        let (statement, source) = read::statement(&grid, mapping)?;
        Ok(LoadedStatement { statement, source: Some(source) })
    }

    /// Reads a statement file in the format its extension names (JSON when it names none),
    /// every problem at once.
    ///
    /// # Errors
    /// Every problem found; an unreadable file is one problem.
    pub fn from_path(
        path: &Path,
        mapping: Option<&StatementMapping>,
        limits: &Limits,
    ) -> Result<LoadedStatement, StatementProblems> {
        let format = StatementFormat::from_path(path).unwrap_or(StatementFormat::Json);
        let bytes = read_bytes(path, limits)?;
        Self::from_bytes(&bytes, format, mapping, limits)
    }

    /// Reads a statement from bytes in `format` (see [`Statement::from_path`]).
    ///
    /// # Errors
    /// Every problem found.
    pub fn from_bytes(
        bytes: &[u8],
        format: StatementFormat,
        mapping: Option<&StatementMapping>,
        limits: &Limits,
    ) -> Result<LoadedStatement, StatementProblems> {
        let text = || {
            std::str::from_utf8(bytes).map_err(|e| {
                StatementProblems(vec![StatementProblem::new(
                    "$",
                    None,
                    Text::new(
                        format!("UTF-8 のテキストではありません（{e}）"),
                        format!("not UTF-8 text ({e}); save the file as UTF-8"),
                    ),
                )])
            })
        };
        let plain = |statement| LoadedStatement { statement, source: None };
        match format {
            StatementFormat::Json => Self::read_json(text()?, limits).map(plain),
            StatementFormat::Toml => Self::read_toml(text()?, limits).map(plain),
            StatementFormat::Xlsx => Self::from_xlsx_bytes(bytes, mapping, limits),
            StatementFormat::Csv => Self::from_csv_str(text()?, mapping, limits),
        }
    }
}

fn read_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, StatementProblems> {
    let fail = |ja: String, en: String| StatementProblems(vec![StatementProblem::new("$", None, Text::new(ja, en))]);
    if let Ok(meta) = std::fs::metadata(path) {
        limits
            .check_input_bytes(usize::try_from(meta.len()).unwrap_or(usize::MAX))
            .map_err(|e| StatementProblems(vec![StatementProblem::new("$", None, e.message())]))?;
    }
    std::fs::read(path).map_err(|e| {
        fail(format!("{} を読めません（{e}）", path.display()), format!("cannot read {}: {e}", path.display()))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn controls_cells_round_trip() {
        let controls = vec![
            IndividualControl { reference: Some("AC-01".into()), text: "MFA for all administrators".into() },
            IndividualControl { reference: None, text: "Logs are kept for 1 year".into() },
            IndividualControl { reference: None, text: "Note: reviewed yearly".into() },
            IndividualControl { reference: Some("運用-3".into()), text: "月次で棚卸：台帳".into() },
        ];
        let cell = controls_to_cell(&controls);
        assert_eq!(cell.lines().count(), 4);
        assert!(cell.contains(": Note: reviewed yearly"));
        assert_eq!(controls_from_cell(&cell), controls);
        assert_eq!(
            controls_from_cell("\n  AC-1：全角コロン  \n\n"),
            vec![IndividualControl { reference: Some("AC-1".into()), text: "全角コロン".into() }]
        );
    }
}
