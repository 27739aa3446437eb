//! Writing templates, statements and findings as XLSX workbooks and CSV.
//!
//! The content of every sheet is laid out once ([`layout`]), then written either as a styled,
//! protected workbook ([`to_xlsx`]) or as a CSV with one section per sheet ([`to_csv`]).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use ismap_model::{ControlId, Lang, Text};
use rust_xlsxwriter::{
    Color, DataValidation, ExcelDateTime, Format, FormatAlign, FormatBorder, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};

use super::template::StatementTemplate;
use super::vocab::{
    AGENCY_COLUMNS, ANSWER_COLUMNS, CHANGE_COLUMNS, COVER_COLUMNS, Column, CoverField, DROP_DOWN, FINDING_COLUMNS,
    FINDINGS, SheetKind, UNDERLYING_COLUMNS, requirement_word, status_word,
};
use super::{WorkbookError, controls_to_cell};
use crate::{AssessmentReport, Finding, Selection, Statement};

/// Empty, editable rows after the template's items, for optional detailed controls the catalog
/// does not list.
const EXTRA_ROWS: usize = 100;
/// Empty, editable rows in the changes, underlying-services and agency sheets.
const SPARE_ROWS: usize = 30;

/// A cell to write.
#[derive(Debug, Clone)]
pub(crate) enum Out {
    /// Text the provider must not change (ids, titles, requirements).
    Fixed(String),
    /// Text the provider fills in.
    Answer(String),
    /// A date the provider fills in.
    Date(Option<NaiveDate>),
}

impl Out {
    fn text(&self) -> String {
        match self {
            Self::Fixed(s) | Self::Answer(s) => s.clone(),
            Self::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// One row of a sheet, and whether it is a mandatory item (marked in the workbook).
#[derive(Debug, Clone)]
pub(crate) struct RowOut {
    pub(crate) cells: Vec<Out>,
    pub(crate) mandatory: bool,
}

/// One sheet's content.
#[derive(Debug, Clone)]
pub(crate) struct SheetOut {
    pub(crate) kind: SheetKind,
    pub(crate) columns: Vec<Column>,
    pub(crate) rows: Vec<RowOut>,
}

fn fixed(s: impl Into<String>) -> Out {
    Out::Fixed(s.into())
}

fn answer(s: impl Into<String>) -> Out {
    Out::Answer(s.into())
}

fn row(cells: Vec<Out>) -> RowOut {
    RowOut { cells, mandatory: false }
}

fn blank_rows(n: usize, width: usize) -> impl Iterator<Item = RowOut> {
    (0..n).map(move |_| row(vec![answer(""); width]))
}

/// The findings of a report about each item, as cell text.
fn findings_by_item(report: &AssessmentReport, lang: Lang) -> BTreeMap<ControlId, String> {
    let mut by: BTreeMap<ControlId, Vec<String>> = BTreeMap::new();
    for f in &report.findings {
        if let Some(id) = f.control {
            by.entry(id).or_default().push(finding_line(f, lang));
        }
    }
    by.into_iter().map(|(k, v)| (k, v.join("\n"))).collect()
}

fn finding_line(f: &Finding, lang: Lang) -> String {
    format!("[{}] {}: {}", severity_word(f, lang), f.rule.id(), f.message.get(lang))
}

fn severity_word(f: &Finding, lang: Lang) -> &'static str {
    match (f.severity, lang) {
        (crate::Severity::Error, Lang::Ja) => "エラー",
        (crate::Severity::Warning, Lang::Ja) => "警告",
        (crate::Severity::Info, Lang::Ja) => "情報",
        (crate::Severity::Error, Lang::En) => "error",
        (crate::Severity::Warning, Lang::En) => "warning",
        (crate::Severity::Info, Lang::En) => "info",
    }
}

/// The answer cells (status, controls, reason, inherited from) of a selection.
fn answer_cells(sel: Option<&Selection>, lang: Lang) -> [Out; 4] {
    let Some(sel) = sel else { return [answer(""), answer(""), answer(""), answer("")] };
    let status = answer(status_word(sel.status(), lang));
    match sel {
        Selection::Selected { controls, .. } => [status, answer(controls_to_cell(controls)), answer(""), answer("")],
        Selection::NotSelected { reason, .. } | Selection::Excluded { reason, .. } => {
            [status, answer(""), answer(reason.clone()), answer("")]
        }
        Selection::Inherited { from, controls, .. } => {
            [status, answer(controls_to_cell(controls)), answer(""), answer(from.clone())]
        }
        Selection::Unanswered { .. } => [status, answer(""), answer(""), answer("")],
    }
}

/// Lays out every sheet of the workbook.
///
/// # Errors
/// A statement that answers one item twice: a workbook holds one answer per item.
pub(crate) fn layout(
    template: &StatementTemplate,
    statement: Option<&Statement>,
    report: Option<&AssessmentReport>,
    lang: Lang,
) -> Result<Vec<SheetOut>, WorkbookError> {
    let other = match lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    };
    // The statement's answers by item, refusing duplicates.
    let mut answers: BTreeMap<ControlId, (usize, &Selection)> = BTreeMap::new();
    if let Some(st) = statement {
        for (i, sel) in st.selections.iter().enumerate() {
            if let Some((first, _)) = answers.insert(*sel.id(), (i, sel)) {
                return Err(WorkbookError::DuplicateAnswer { id: *sel.id(), first, second: i });
            }
        }
    }
    let findings = report.map(|r| findings_by_item(r, lang)).unwrap_or_default();
    let with_findings = report.is_some();
    let mut columns = ANSWER_COLUMNS.to_vec();
    if with_findings {
        columns.push(FINDINGS);
    }
    // Template items and answers about items the template does not list (optional detailed
    // controls of a structure-only catalog), merged in id order: each under its objective.
    let mut entries: Vec<(ControlId, Option<&super::template::TemplateItem>)> =
        template.items.iter().map(|i| (i.id, Some(i))).collect();
    entries.extend(answers.keys().filter(|id| template.item(id).is_none()).map(|id| (*id, None)));
    entries.sort_by_key(|(id, _)| *id);
    let mut rows = Vec::with_capacity(entries.len() + EXTRA_ROWS);
    for (id, item) in entries {
        let sel = answers.get(&id).map(|(_, s)| *s);
        let [status, controls, reason, from] = answer_cells(sel, lang);
        let mut cells = match item {
            Some(item) => vec![
                fixed(item.id.to_string()),
                fixed(item.part.name().get(lang)),
                fixed(level_name(item.level, lang)),
                fixed(item.title.get(lang)),
                fixed(requirement_word(item.requirement, lang)),
                status,
                controls,
                reason,
                from,
                fixed(item.title.exactly(other).unwrap_or_default()),
            ],
            None => vec![
                answer(id.to_string()),
                answer(""),
                answer(""),
                answer(""),
                answer(""),
                status,
                controls,
                reason,
                from,
                answer(""),
            ],
        };
        if with_findings {
            cells.push(fixed(findings.get(&id).cloned().unwrap_or_default()));
        }
        rows.push(RowOut { cells, mandatory: item.is_some_and(|i| i.requirement.is_mandatory()) });
    }
    rows.extend(blank_rows(EXTRA_ROWS, columns.len()));
    let answers_sheet = SheetOut { kind: SheetKind::Answers, columns, rows };

    let mut sheets = vec![cover(template, statement, lang), answers_sheet];
    sheets.push(agency_sheet(template, statement));
    sheets.push(changes_sheet(statement));
    sheets.push(underlying_sheet(statement));
    if let Some(r) = report {
        sheets.push(findings_sheet(r, lang));
    }
    Ok(sheets)
}

fn level_name(level: ismap_model::ControlLevel, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => level.name_ja(),
        Lang::En => level.name_en(),
    }
}

fn cover(template: &StatementTemplate, st: Option<&Statement>, lang: Lang) -> SheetOut {
    let text = |t: Option<&Text>, l: Lang| t.and_then(|t| t.exactly(l)).unwrap_or_default().to_owned();
    let rows = CoverField::ALL
        .into_iter()
        .map(|f| {
            let value = match f {
                CoverField::ServiceNameJa => answer(text(st.map(|s| &s.service.name), Lang::Ja)),
                CoverField::ServiceNameEn => answer(text(st.map(|s| &s.service.name), Lang::En)),
                CoverField::ProviderNameJa => answer(text(st.map(|s| &s.service.provider.name), Lang::Ja)),
                CoverField::ProviderNameEn => answer(text(st.map(|s| &s.service.provider.name), Lang::En)),
                CoverField::CorporateNumber => answer(
                    st.and_then(|s| s.service.provider.corporate_number.as_ref())
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                ),
                CoverField::Model => answer(st.map(|s| s.service.model.to_string()).unwrap_or_default()),
                CoverField::Regions => answer(st.map(|s| s.service.regions.join("\n")).unwrap_or_default()),
                CoverField::Program => answer(st.map_or(template.program, |s| s.program).to_string()),
                CoverField::CatalogVersion => {
                    answer(st.map_or(&template.catalog.version, |s| &s.catalog_version).to_string())
                }
                CoverField::PeriodStart => Out::Date(st.map(|s| s.period.start())),
                CoverField::PeriodEnd => Out::Date(st.map(|s| s.period.end())),
                CoverField::PreviousStart => Out::Date(st.and_then(|s| s.previous_period.map(|p| p.start()))),
                CoverField::PreviousEnd => Out::Date(st.and_then(|s| s.previous_period.map(|p| p.end()))),
                CoverField::RepresentativeName => answer(st.map(|s| s.representative.name.clone()).unwrap_or_default()),
                CoverField::RepresentativeTitle => {
                    answer(st.map(|s| s.representative.title.clone()).unwrap_or_default())
                }
            };
            let (label, note) = f.label();
            let mandatory = !matches!(
                f,
                CoverField::CorporateNumber
                    | CoverField::PreviousStart
                    | CoverField::PreviousEnd
                    | CoverField::ServiceNameEn
                    | CoverField::ProviderNameEn
                    | CoverField::Regions
            );
            RowOut { cells: vec![fixed(label.get(lang)), value, fixed(note.get(lang))], mandatory }
        })
        .collect();
    SheetOut { kind: SheetKind::Cover, columns: COVER_COLUMNS.to_vec(), rows }
}

fn agency_sheet(template: &StatementTemplate, st: Option<&Statement>) -> SheetOut {
    let responses: BTreeMap<&str, &crate::statement::AgencyResponse> =
        st.map(|s| s.agency_responses.iter().map(|r| (r.id.as_ref(), r)).collect()).unwrap_or_default();
    let mut rows: Vec<RowOut> = template
        .agency_requirements
        .iter()
        .map(|r| {
            let controls = responses.get(r.id.as_ref()).map(|x| controls_to_cell(&x.controls)).unwrap_or_default();
            RowOut {
                cells: vec![
                    fixed(r.id.to_string()),
                    fixed(r.agency.get(Lang::Ja)),
                    fixed(r.title.get(Lang::Ja)),
                    answer(controls),
                ],
                mandatory: true,
            }
        })
        .collect();
    let known: std::collections::BTreeSet<&str> = template.agency_requirements.iter().map(|r| r.id.as_ref()).collect();
    if let Some(s) = st {
        for r in s.agency_responses.iter().filter(|r| !known.contains(r.id.as_ref())) {
            rows.push(row(vec![
                answer(r.id.to_string()),
                answer(""),
                answer(""),
                answer(controls_to_cell(&r.controls)),
            ]));
        }
    }
    rows.extend(blank_rows(SPARE_ROWS, AGENCY_COLUMNS.len()));
    SheetOut { kind: SheetKind::Agency, columns: AGENCY_COLUMNS.to_vec(), rows }
}

fn changes_sheet(st: Option<&Statement>) -> SheetOut {
    let mut rows = Vec::new();
    for sel in st.map(|s| s.selections.as_slice()).unwrap_or_default() {
        if let Selection::Selected { id, changes, .. } = sel {
            for c in changes {
                rows.push(row(vec![
                    answer(id.to_string()),
                    Out::Date(Some(c.changed_on)),
                    answer(c.before.clone()),
                    answer(c.after.clone()),
                ]));
            }
        }
    }
    rows.extend(blank_rows(SPARE_ROWS, CHANGE_COLUMNS.len()));
    SheetOut { kind: SheetKind::Changes, columns: CHANGE_COLUMNS.to_vec(), rows }
}

fn underlying_sheet(st: Option<&Statement>) -> SheetOut {
    let mut rows: Vec<RowOut> = st
        .map(|s| s.service.underlying.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|u| {
            row(vec![
                answer(u.key.clone()),
                answer(u.name.exactly(Lang::Ja).unwrap_or_default()),
                answer(u.name.exactly(Lang::En).unwrap_or_default()),
                answer(u.registration.as_ref().map(ToString::to_string).unwrap_or_default()),
            ])
        })
        .collect();
    rows.extend(blank_rows(SPARE_ROWS, UNDERLYING_COLUMNS.len()));
    SheetOut { kind: SheetKind::Underlying, columns: UNDERLYING_COLUMNS.to_vec(), rows }
}

fn findings_sheet(report: &AssessmentReport, lang: Lang) -> SheetOut {
    let rows = report
        .findings
        .iter()
        .map(|f| RowOut {
            cells: vec![
                fixed(f.path.clone().unwrap_or_default()),
                fixed(f.control.map(|c| c.to_string()).unwrap_or_default()),
                fixed(severity_word(f, lang)),
                fixed(f.rule.id()),
                fixed(f.message.get(lang)),
            ],
            mandatory: f.severity == crate::Severity::Error,
        })
        .collect();
    SheetOut { kind: SheetKind::Findings, columns: FINDING_COLUMNS.to_vec(), rows }
}

/// The explanation of every column of every sheet, in both languages.
fn help_rows(sheets: &[SheetOut], lang: Lang) -> Vec<[String; 4]> {
    let mut out = Vec::new();
    for s in sheets {
        for c in &s.columns {
            out.push([
                s.kind.name().get(lang).to_owned(),
                c.header(lang).to_owned(),
                c.help_ja.to_owned(),
                c.help_en.to_owned(),
            ]);
        }
    }
    out
}

fn xlsx_error(e: &XlsxError) -> WorkbookError {
    WorkbookError::Write { message: e.to_string() }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    let month = u8::try_from(d.month()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    let day = u8::try_from(d.day()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, month, day)
}

/// Writes the sheets as a workbook: frozen header, autofilter, status drop-down, protected
/// fixed columns, mandatory rows marked, and a sheet explaining every column.
pub(crate) fn to_xlsx(sheets: &[SheetOut], lang: Lang) -> Result<Vec<u8>, WorkbookError> {
    write_xlsx(sheets, lang).map_err(|e| xlsx_error(&e))
}

fn write_xlsx(sheets: &[SheetOut], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x1F_4E_79))
        .set_font_color(Color::White)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let locked = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Hair);
    let open = locked.clone().set_unlocked().set_background_color(Color::RGB(0xFF_FF_FF));
    let mandatory = locked.clone().set_bold().set_background_color(Color::RGB(0xFC_E4_D6));
    let date = open.clone().set_num_format("yyyy-mm-dd");
    let options = ProtectionOptions {
        use_autofilter: true,
        sort: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    };
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.kind.name().get(lang))?;
        write_header(ws, &sheet.columns, lang, &header)?;
        for (r, out) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (c, cell) in out.cells.iter().enumerate() {
                let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
                // Mandatory rows: their id and requirement cells are marked.
                let is_requirement = sheet.kind == SheetKind::Answers && (c == 0 || c == 4);
                let fixed_format = if out.mandatory && (is_requirement || sheet.kind != SheetKind::Answers) {
                    &mandatory
                } else {
                    &locked
                };
                match cell {
                    Out::Fixed(s) => {
                        ws.write_string_with_format(r, c, s, fixed_format)?;
                    }
                    Out::Answer(s) => {
                        ws.write_string_with_format(r, c, s, &open)?;
                    }
                    Out::Date(Some(d)) => {
                        ws.write_date_with_format(r, c, excel_date(*d)?, &date)?;
                    }
                    Out::Date(None) => {
                        ws.write_blank(r, c, &date)?;
                    }
                }
            }
        }
        let last_row = u32::try_from(sheet.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        let last_col =
            u16::try_from(sheet.columns.len().saturating_sub(1)).map_err(|_| XlsxError::RowColumnLimitError)?;
        match sheet.kind {
            SheetKind::Answers => {
                ws.set_freeze_panes(1, 1)?;
                ws.autofilter(0, 0, last_row, last_col)?;
                let words: Vec<&str> = DROP_DOWN.iter().map(|s| status_word(*s, lang)).collect();
                let (title, message) = match lang {
                    Lang::Ja => ("状態", "選択・非選択・除外・継承から選んでください"),
                    Lang::En => ("Status", "Choose selected, not selected, objective excluded or inherited"),
                };
                let dv = DataValidation::new()
                    .allow_list_strings(&words)?
                    .set_input_title(title)?
                    .set_input_message(message)?
                    .set_error_title(title)?
                    .set_error_message(message)?;
                ws.add_data_validation(1, 5, last_row.max(1), 5, &dv)?;
            }
            SheetKind::Cover => {
                ws.set_freeze_panes(1, 0)?;
                let program = DataValidation::new().allow_list_strings(&["ISMAP", "ISMAP-LIU"])?;
                let model = DataValidation::new().allow_list_strings(&["IaaS", "PaaS", "SaaS"])?;
                for (i, f) in CoverField::ALL.iter().enumerate() {
                    let r = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
                    match f {
                        CoverField::Program => {
                            ws.add_data_validation(r, 1, r, 1, &program)?;
                        }
                        CoverField::Model => {
                            ws.add_data_validation(r, 1, r, 1, &model)?;
                        }
                        _ => {}
                    }
                }
            }
            _ => {
                ws.set_freeze_panes(1, 0)?;
                if last_row > 0 {
                    ws.autofilter(0, 0, last_row, last_col)?;
                }
            }
        }
        for (c, col) in sheet.columns.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            ws.set_column_width(c, col.width)?;
        }
        ws.protect_with_options(&options);
    }
    // The sheet explaining every column, in both languages.
    let ws = wb.add_worksheet();
    ws.set_name(SheetKind::Help.name().get(lang))?;
    let help_columns =
        [super::vocab::SHEET, super::vocab::COLUMN, super::vocab::EXPLANATION_JA, super::vocab::EXPLANATION_EN];
    write_header(ws, &help_columns, lang, &header)?;
    for (r, cells) in help_rows(sheets, lang).iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, s) in cells.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            ws.write_string_with_format(r, c, s, &locked)?;
        }
    }
    for (c, col) in help_columns.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.set_column_width(c, col.width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.protect();
    wb.save_to_buffer()
}

fn write_header(ws: &mut Worksheet, columns: &[Column], lang: Lang, format: &Format) -> Result<(), XlsxError> {
    for (c, col) in columns.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.write_string_with_format(0, c, col.header(lang), format)?;
    }
    Ok(())
}

/// Writes the sheets as one CSV: each sheet a section that starts with its name in brackets
/// (`[回答]`), then its header row and rows; a blank line between sections. Empty spare rows are
/// left out.
pub(crate) fn to_csv(sheets: &[SheetOut], lang: Lang) -> Result<String, WorkbookError> {
    let fail = |e: &dyn std::fmt::Display| WorkbookError::Write { message: e.to_string() };
    let mut sections = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        w.write_record([format!("[{}]", sheet.kind.name().get(lang))]).map_err(|e| fail(&e))?;
        w.write_record(sheet.columns.iter().map(|c| c.header(lang))).map_err(|e| fail(&e))?;
        for r in &sheet.rows {
            if r.cells.iter().all(|c| c.text().is_empty()) {
                continue;
            }
            w.write_record(r.cells.iter().map(Out::text)).map_err(|e| fail(&e))?;
        }
        let bytes = w.into_inner().map_err(|e| fail(&e))?;
        sections.push(String::from_utf8(bytes).map_err(|e| fail(&e))?);
    }
    Ok(sections.join("\n"))
}
