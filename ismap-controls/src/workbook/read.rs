//! A grid of cells (a filled template, or a provider's own layout with a mapping) read into a
//! [`Statement`], with every problem at once and a [`SourceMap`] from the statement back to cells.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use ismap_model::{
    AssessmentPeriod, ControlId, CorporateNumber, DocumentVersion, Lang, Program, Provider, RegistrationNumber,
    ServiceModel, Text,
};

use super::grid::{Cell, Grid, Row, Sheet, Source, serial_date};
use super::mapping::StatementMapping;
use super::vocab::{self, Column, CoverField, SheetKind, normalize, parse_status, same, status_word};
use super::{SourceMap, controls_from_cell};
use crate::statement::{
    AgencyResponse, ControlChange, IndividualControl, Representative, ServiceScope, StatementProblem,
    StatementProblems, UnderlyingService,
};
use crate::{AssessmentReport, RequirementId, Selection, SelectionStatus, Statement};

/// Problems found so far, with the grid to name locations.
struct Reader<'g> {
    grid: &'g Grid,
    problems: Vec<StatementProblem>,
}

/// A cell's value as text: text trimmed, numbers in their shortest form, dates as `YYYY-MM-DD`.
fn as_text(cell: &Cell) -> Result<Cow<'_, str>, String> {
    match cell {
        Cell::Text(s) => Ok(Cow::Borrowed(s.trim())),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Ok(Cow::Owned(format!("{}", *n as i64))),
        Cell::Number(n) => Ok(Cow::Owned(n.to_string())),
        Cell::Date(d) => Ok(Cow::Owned(serial_date(*d).map_or_else(|| d.to_string(), |d| d.to_string()))),
        Cell::Bool(b) => Ok(Cow::Borrowed(if *b { "TRUE" } else { "FALSE" })),
        Cell::Error(e) => Err(e.clone()),
    }
}

impl<'g> Reader<'g> {
    fn push(&mut self, location: String, value: Option<String>, ja: String, en: String) {
        self.problems.push(StatementProblem::new(location, value, Text::new(ja, en)));
    }

    /// The text of a cell, or `None` for an empty cell; a formula error is a problem.
    fn text<'r>(&mut self, sheet: &Sheet, row: &'r Row, column: Option<usize>) -> Option<Cow<'r, str>> {
        let column = column?;
        match as_text(row.get(column)?) {
            Ok(s) if s.is_empty() => None,
            Ok(s) => Some(s),
            Err(e) => {
                let at = self.grid.at(sheet, row, column);
                self.push(
                    at,
                    Some(e.clone()),
                    format!("セルが数式のエラー {e} です。数式を直すか値を入力してください"),
                    format!("the cell holds the formula error {e}; fix the formula or type the value"),
                );
                None
            }
        }
    }

    /// [`Reader::text`], owned.
    fn owned(&mut self, sheet: &Sheet, row: &Row, column: Option<usize>) -> Option<String> {
        self.text(sheet, row, column).map(Cow::into_owned)
    }

    /// A date cell: a date-formatted cell, a serial number, `YYYY-MM-DD`, `YYYY/MM/DD` or an
    /// era date (`令和6年4月1日`).
    fn date(&mut self, sheet: &Sheet, row: &Row, column: usize) -> Option<NaiveDate> {
        let at = || self.grid.at(sheet, row, column);
        let parsed = match row.get(column)? {
            Cell::Date(d) | Cell::Number(d) => serial_date(*d).ok_or_else(|| d.to_string()),
            Cell::Text(s) => parse_date_text(s).ok_or_else(|| s.trim().to_owned()),
            Cell::Bool(b) => Err(b.to_string()),
            Cell::Error(e) => Err(e.clone()),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(v) => {
                let location = at();
                self.push(
                    location,
                    Some(v),
                    "日付として読めません（2024-04-01 または 令和6年4月1日 の形で書いてください）".into(),
                    "not a date (write 2024-04-01 or 令和6年4月1日)".into(),
                );
                None
            }
        }
    }
}

/// A date typed as text.
fn parse_date_text(s: &str) -> Option<NaiveDate> {
    let t = normalize(s);
    NaiveDate::parse_from_str(&t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&t, "%Y/%m/%d"))
        .ok()
        .or_else(|| ismap_model::era::parse_japanese_date(&t).ok())
}

/// The index of a column named by header text or letter (see [`StatementMapping`]).
fn column_by_spec(header: &Row, spec: &str) -> Option<usize> {
    let want = normalize(spec);
    if let Some((i, _)) =
        header.cells.iter().find(|(_, c)| as_text(c).is_ok_and(|t| normalize(&t).eq_ignore_ascii_case(&want)))
    {
        return Some(*i);
    }
    crate::import::sheet::column_from_letters(&want)
}

/// The index of one of our columns, by its header in either language.
fn column_of(header: &Row, column: &Column) -> Option<usize> {
    header.cells.iter().find(|(_, c)| as_text(c).is_ok_and(|t| column.matches(&t))).map(|(i, _)| *i)
}

/// The header row of a sheet: the first row in which `first` names a cell.
fn header_row<'s>(sheet: &'s Sheet, first: &Column) -> Option<&'s Row> {
    sheet.rows.iter().take(50).find(|r| column_of(r, first).is_some())
}

fn find_sheet(grid: &Grid, kind: SheetKind) -> Option<&Sheet> {
    grid.sheets.iter().find(|s| kind.is_named(&s.name))
}

/// Where the answers are: the sheet and its columns; a row's cells are named from these when a
/// finding or problem needs them, never for every row.
#[derive(Debug, Clone)]
pub(crate) struct AnswerLayout {
    pub(crate) source: Source,
    pub(crate) sheet: String,
    pub(crate) id: usize,
    pub(crate) status: usize,
    pub(crate) controls: Option<usize>,
    pub(crate) reason: Option<usize>,
    pub(crate) inherited: Option<usize>,
}

/// An answers row: its 0-based index and its CSV line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowAt {
    pub(crate) index: usize,
    pub(crate) line: usize,
}

impl AnswerLayout {
    /// The location of `column` in `row`.
    pub(crate) fn at(&self, row: RowAt, column: usize) -> String {
        match self.source {
            Source::Xlsx => format!("{}!{}{}", self.sheet, super::grid::column_letters(column), row.index + 1),
            Source::Csv => format!("{}:{}", row.line, column + 1),
        }
    }
}

/// Reads a statement from `grid`.
pub(crate) fn statement(
    grid: &Grid,
    mapping: Option<&StatementMapping>,
) -> Result<(Statement, SourceMap), StatementProblems> {
    let mut r = Reader { grid, problems: Vec::new() };
    let mut map = SourceMap::default();
    let answers = read_answers(&mut r, mapping, &mut map);
    let changes = read_changes(&mut r, &mut map);
    let underlying = read_underlying(&mut r, &mut map);
    let agency = read_agency(&mut r, &mut map);
    let header = match mapping.and_then(|m| m.cover.clone()) {
        Some(c) => Some((c.service, c.program, c.catalog_version, c.period, c.previous_period, c.representative)),
        None => read_cover(&mut r, &mut map, underlying),
    };
    let mut selections = answers;
    // Changes belong to selected items.
    for (id, list) in changes {
        let target = selections.iter_mut().find(|s| *s.id() == id);
        match target {
            Some(Selection::Selected { changes, .. }) => changes.extend(list.into_iter().map(|(c, _)| c)),
            _ => {
                for (_, at) in list {
                    r.push(
                        at,
                        Some(id.to_string()),
                        format!(
                            "統制変更は「{}」の項目にだけ書けます。`{id}` の状態を確かめてください",
                            status_word(SelectionStatus::Selected, Lang::Ja)
                        ),
                        format!("changes can be recorded only for a selected item; check the status of `{id}`"),
                    );
                }
            }
        }
    }
    match header {
        Some((service, program, catalog_version, period, previous_period, representative)) if r.problems.is_empty() => {
            let statement = Statement {
                format_version: DocumentVersion::current(),
                service,
                program,
                catalog_version,
                period,
                previous_period,
                representative,
                selections,
                agency_responses: agency,
            };
            map.selection_ids = statement.selections.iter().map(|s| *s.id()).collect();
            Ok((statement, map))
        }
        _ => {
            if r.problems.is_empty() {
                r.push(
                    "$".into(),
                    None,
                    "言明書の表紙を読めませんでした".into(),
                    "the statement's cover could not be read".into(),
                );
            }
            Err(StatementProblems(r.problems))
        }
    }
}

fn read_answers(r: &mut Reader<'_>, mapping: Option<&StatementMapping>, map: &mut SourceMap) -> Vec<Selection> {
    let grid = r.grid;
    let sheet = match mapping.and_then(|m| m.sheet.as_deref()) {
        Some(name) if grid.source == super::grid::Source::Xlsx => {
            grid.sheets.iter().find(|s| s.name.trim() == name.trim())
        }
        _ => find_sheet(grid, SheetKind::Answers),
    };
    let Some(sheet) = sheet else {
        let names: Vec<&str> = grid.sheets.iter().map(|s| s.name.as_str()).collect();
        let want = mapping.and_then(|m| m.sheet.clone()).unwrap_or_else(|| "回答 / Answers".to_owned());
        r.push(
            "$".into(),
            None,
            format!("回答のシート `{want}` がありません（あるシート: {}）", names.join("、")),
            format!("no answers sheet `{want}` (sheets: {})", names.join(", ")),
        );
        return Vec::new();
    };
    let header = match mapping.and_then(|m| m.header_row) {
        Some(n) => sheet.rows.iter().find(|row| row.index + 1 == n),
        None => match mapping {
            Some(m) => sheet.rows.iter().take(50).find(|row| column_by_spec(row, &m.columns.id).is_some()),
            None => header_row(sheet, &vocab::ID),
        },
    };
    let Some(header) = header else {
        let at = grid.at_sheet(sheet);
        r.push(
            at,
            None,
            "見出しの行（ID・状態の列）が見つかりません".into(),
            "no header row naming the id and status columns".into(),
        );
        return Vec::new();
    };
    let col = |ours: &Column, spec: Option<&String>| match spec {
        Some(s) => column_by_spec(header, s),
        None if mapping.is_some() => None,
        None => column_of(header, ours),
    };
    let m = mapping.map(|m| &m.columns);
    let id_col = col(&vocab::ID, m.map(|c| &c.id));
    let status_col = col(&vocab::STATUS, m.map(|c| &c.status));
    let controls_col = col(&vocab::CONTROLS, m.and_then(|c| c.controls.as_ref()));
    let reason_col = col(&vocab::REASON, m.and_then(|c| c.reason.as_ref()));
    let from_col = col(&vocab::INHERITED, m.and_then(|c| c.inherited_from.as_ref()));
    let (Some(id_col), Some(status_col)) = (id_col, status_col) else {
        let at = grid.at(sheet, header, 0);
        r.push(
            at,
            None,
            "見出しの行に ID と状態の列がありません".into(),
            "the header row has no id or no status column".into(),
        );
        return Vec::new();
    };
    let layout = AnswerLayout {
        source: grid.source,
        sheet: sheet.name.clone(),
        id: id_col,
        status: status_col,
        controls: controls_col,
        reason: reason_col,
        inherited: from_col,
    };
    let mut out = Vec::new();
    for row in sheet.rows.iter().filter(|row| row.index > header.index) {
        let id_text = r.text(sheet, row, Some(id_col));
        let status_text = r.text(sheet, row, Some(status_col));
        let controls = r.text(sheet, row, controls_col);
        let reason = r.text(sheet, row, reason_col);
        let from = r.text(sheet, row, from_col);
        let here = RowAt { index: row.index, line: row.line };
        let has_answer = status_text.is_some() || controls.is_some() || reason.is_some() || from.is_some();
        let Some(id_text) = id_text else {
            if has_answer {
                r.push(
                    layout.at(here, id_col),
                    None,
                    "回答のある行に ID がありません".into(),
                    "a row with answers but no id".into(),
                );
            }
            continue;
        };
        let id: ControlId = match normalize(&id_text).parse() {
            Ok(id) => id,
            Err(e) => {
                r.push(
                    layout.at(here, id_col),
                    Some(id_text.into_owned()),
                    format!("管理基準の項番として読めません（{e}）"),
                    format!("not a criteria id: {e}"),
                );
                continue;
            }
        };
        if let Some(first) = map.rows.get(&id) {
            let first = layout.at(*first, id_col);
            r.push(
                layout.at(here, id_col),
                Some(id.to_string()),
                format!("`{id}` が 2 回あります（最初は {first}）。1 項目に 1 行で回答してください"),
                format!("`{id}` appears twice (first at {first}); answer each item on one row"),
            );
            continue;
        }
        map.rows.insert(id, here);
        let Some(word) = status_text else {
            if has_answer {
                r.push(
                    layout.at(here, status_col),
                    None,
                    format!("`{id}` の状態が空欄ですが、個別管理策・理由・継承元が書かれています"),
                    format!("the status of `{id}` is blank but the row has individual controls, a reason or an inherited-from"),
                );
            }
            continue;
        };
        let status = mapping
            .and_then(|m| m.status_words.iter().find(|(w, _)| same(w, &word)).map(|(_, s)| *s))
            .or_else(|| parse_status(&word));
        let Some(status) = status else {
            let words_ja: Vec<&str> = vocab::DROP_DOWN.iter().map(|s| status_word(*s, Lang::Ja)).collect();
            let words_en: Vec<&str> = vocab::DROP_DOWN.iter().map(|s| status_word(*s, Lang::En)).collect();
            r.push(
                layout.at(here, status_col),
                Some(word.into_owned()),
                format!("状態として読めない語です（{} のいずれか）", words_ja.join("・")),
                format!("unknown status (expected one of {})", words_en.join(", ")),
            );
            continue;
        };
        // Cells the status has no place for would be lost: they are problems.
        let mut stray = |value: &Option<Cow<'_, str>>, column: Option<usize>, ja: &str, en: &str| {
            if let (Some(v), Some(c)) = (value, column) {
                r.push(
                    layout.at(here, c),
                    Some(v.to_string()),
                    format!(
                        "状態「{}」の項目に{ja}は書けません。消すか状態を直してください",
                        status_word(status, Lang::Ja)
                    ),
                    format!(
                        "an item marked `{}` has no {en}; clear the cell or fix the status",
                        status_word(status, Lang::En)
                    ),
                );
            }
        };
        let sel = match status {
            SelectionStatus::Selected => {
                stray(&reason, reason_col, "理由", "reason");
                stray(&from, from_col, "継承元", "inherited-from");
                Selection::Selected { id, controls: parse_controls(controls.as_deref()), changes: Vec::new() }
            }
            SelectionStatus::NotSelected | SelectionStatus::Excluded => {
                stray(&controls, controls_col, "個別管理策", "individual controls");
                stray(&from, from_col, "継承元", "inherited-from");
                let reason = reason.map(Cow::into_owned).unwrap_or_default();
                if status == SelectionStatus::Excluded {
                    Selection::Excluded { id, reason }
                } else {
                    Selection::NotSelected { id, reason }
                }
            }
            SelectionStatus::Unanswered => {
                stray(&controls, controls_col, "個別管理策", "individual controls");
                stray(&reason, reason_col, "理由", "reason");
                stray(&from, from_col, "継承元", "inherited-from");
                Selection::Unanswered { id }
            }
            SelectionStatus::Inherited => {
                stray(&reason, reason_col, "理由", "reason");
                Selection::Inherited {
                    id,
                    from: from.map(Cow::into_owned).unwrap_or_default(),
                    controls: parse_controls(controls.as_deref()),
                }
            }
        };
        out.push(sel);
    }
    map.answers = Some(layout);
    out
}

fn parse_controls(cell: Option<&str>) -> Vec<IndividualControl> {
    cell.map(controls_from_cell).unwrap_or_default()
}

/// A secondary sheet, the header's column for each of its columns, and its rows below the header.
type Table<'g> = (&'g Sheet, Vec<Option<usize>>, Vec<&'g Row>);

/// A secondary sheet's rows below its header, with the header's columns for `columns`.
fn table<'g>(grid: &'g Grid, kind: SheetKind, columns: &[Column]) -> Option<Table<'g>> {
    let sheet = find_sheet(grid, kind)?;
    let first = columns.first()?;
    let header = header_row(sheet, first)?;
    let cols = columns.iter().map(|c| column_of(header, c)).collect();
    let rows = sheet.rows.iter().filter(|r| r.index > header.index).collect();
    Some((sheet, cols, rows))
}

type Changes = BTreeMap<ControlId, Vec<(ControlChange, String)>>;

fn read_changes(r: &mut Reader<'_>, map: &mut SourceMap) -> Changes {
    let mut out = Changes::new();
    let Some((sheet, cols, rows)) = table(r.grid, SheetKind::Changes, &vocab::CHANGE_COLUMNS) else { return out };
    let col = |i: usize| cols.get(i).copied().flatten();
    for row in rows {
        let id = r.owned(sheet, row, col(0));
        let before = r.owned(sheet, row, col(2));
        let after = r.owned(sheet, row, col(3));
        let date_at = col(1);
        let has_date = date_at.and_then(|c| row.get(c)).is_some();
        if id.is_none() && before.is_none() && after.is_none() && !has_date {
            continue;
        }
        let id_at = r.grid.at(sheet, row, col(0).unwrap_or(0));
        let Some(id_text) = id else {
            r.push(id_at, None, "統制変更の行に ID がありません".into(), "a change without an id".into());
            continue;
        };
        let id: ControlId = match normalize(&id_text).parse() {
            Ok(id) => id,
            Err(e) => {
                r.push(
                    id_at,
                    Some(id_text),
                    format!("管理基準の項番として読めません（{e}）"),
                    format!("not a criteria id: {e}"),
                );
                continue;
            }
        };
        let changed_on = match date_at {
            Some(c) if has_date => r.date(sheet, row, c),
            _ => {
                let at = r.grid.at(sheet, row, date_at.unwrap_or(1));
                r.push(at, None, "変更日がありません".into(), "the change has no date".into());
                None
            }
        };
        if let Some(changed_on) = changed_on {
            let list = out.entry(id).or_default();
            map.changes.entry(id).or_default().push(id_at.clone());
            list.push((
                ControlChange { changed_on, before: before.unwrap_or_default(), after: after.unwrap_or_default() },
                id_at,
            ));
        }
    }
    out
}

fn read_underlying(r: &mut Reader<'_>, map: &mut SourceMap) -> Vec<UnderlyingService> {
    let mut out = Vec::new();
    let Some((sheet, cols, rows)) = table(r.grid, SheetKind::Underlying, &vocab::UNDERLYING_COLUMNS) else {
        return out;
    };
    let col = |i: usize| cols.get(i).copied().flatten();
    for row in rows {
        let key = r.owned(sheet, row, col(0));
        let ja = r.owned(sheet, row, col(1));
        let en = r.owned(sheet, row, col(2));
        let reg = r.owned(sheet, row, col(3));
        if key.is_none() && ja.is_none() && en.is_none() && reg.is_none() {
            continue;
        }
        let key_at = r.grid.at(sheet, row, col(0).unwrap_or(0));
        let Some(key) = key else {
            r.push(
                key_at,
                None,
                "基盤サービスの行にキーがありません".into(),
                "an underlying service without a key".into(),
            );
            continue;
        };
        let Ok(name) = Text::try_new(ja, en) else {
            r.push(
                key_at,
                Some(key),
                "基盤サービスの名称がありません".into(),
                "the underlying service has no name".into(),
            );
            continue;
        };
        let registration = match reg {
            None => None,
            Some(s) => match normalize(&s).parse::<RegistrationNumber>() {
                Ok(n) => Some(n),
                Err(e) => {
                    let at = r.grid.at(sheet, row, col(3).unwrap_or(3));
                    r.push(
                        at,
                        Some(s),
                        format!("登録番号として読めません（{e}）"),
                        format!("not a registration number: {e}"),
                    );
                    continue;
                }
            },
        };
        map.underlying.push(key_at);
        out.push(UnderlyingService { key, name, registration });
    }
    out
}

fn read_agency(r: &mut Reader<'_>, map: &mut SourceMap) -> Vec<AgencyResponse> {
    let mut out = Vec::new();
    let Some((sheet, cols, rows)) = table(r.grid, SheetKind::Agency, &vocab::AGENCY_COLUMNS) else { return out };
    let col = |i: usize| cols.get(i).copied().flatten();
    map.agency_sheet = Some(r.grid.at_sheet(sheet));
    for row in rows {
        let id = r.owned(sheet, row, col(0));
        let controls = r.owned(sheet, row, col(3));
        let controls_at = r.grid.at(sheet, row, col(3).unwrap_or(3));
        let Some(controls) = controls else { continue };
        let id_at = r.grid.at(sheet, row, col(0).unwrap_or(0));
        let Some(id) = id else {
            r.push(
                id_at,
                None,
                "追加要件の回答に ID がありません".into(),
                "an agency answer without a requirement id".into(),
            );
            continue;
        };
        match normalize(&id).parse::<RequirementId>() {
            Ok(rid) => {
                map.agency.push(controls_at);
                out.push(AgencyResponse { id: rid, controls: controls_from_cell(&controls) });
            }
            Err(e) => r.push(
                id_at,
                Some(id),
                format!("追加要件の ID として読めません（{e}）"),
                format!("not a requirement id: {e}"),
            ),
        }
    }
    out
}

type Header = (ServiceScope, Program, semver::Version, AssessmentPeriod, Option<AssessmentPeriod>, Representative);

fn read_cover(r: &mut Reader<'_>, map: &mut SourceMap, underlying: Vec<UnderlyingService>) -> Option<Header> {
    let grid = r.grid;
    let Some(sheet) = find_sheet(grid, SheetKind::Cover) else {
        r.push(
            "$".into(),
            None,
            "表紙のシート（表紙 / Cover）がありません。独自の様式では対応付けファイルの cover に書いてください".into(),
            "no cover sheet (表紙 / Cover); with your own layout, give the header in the mapping's `cover`".into(),
        );
        return None;
    };
    // Field → (row, value column).
    let mut rows: BTreeMap<CoverField, &Row> = BTreeMap::new();
    for row in &sheet.rows {
        if let Some(Ok(label)) = row.get(0).map(as_text)
            && let Some(f) = CoverField::from_label(&label)
        {
            rows.insert(f, row);
            map.cover.insert(f, grid.at(sheet, row, 1));
        }
    }
    let missing = |r: &mut Reader<'_>, f: CoverField| {
        let (label, _) = f.label();
        let at = map.cover.get(&f).cloned().unwrap_or_else(|| grid.at_sheet(sheet));
        r.push(
            at,
            None,
            format!("表紙の「{}」が空欄です", label.get(Lang::Ja)),
            format!("the cover's `{}` is blank", label.get(Lang::En)),
        );
    };
    let text = |r: &mut Reader<'_>, f: CoverField| rows.get(&f).and_then(|row| r.owned(sheet, row, Some(1)));
    let name = Text::try_new(text(r, CoverField::ServiceNameJa), text(r, CoverField::ServiceNameEn));
    let provider = Text::try_new(text(r, CoverField::ProviderNameJa), text(r, CoverField::ProviderNameEn));
    let corporate = text(r, CoverField::CorporateNumber);
    let model = text(r, CoverField::Model);
    let regions = text(r, CoverField::Regions);
    let program = text(r, CoverField::Program);
    let version = text(r, CoverField::CatalogVersion);
    let rep_name = text(r, CoverField::RepresentativeName);
    let rep_title = text(r, CoverField::RepresentativeTitle);
    let date = |r: &mut Reader<'_>, f: CoverField| {
        rows.get(&f).and_then(|row| if row.get(1).is_some() { r.date(sheet, row, 1) } else { None })
    };
    let start = date(r, CoverField::PeriodStart);
    let end = date(r, CoverField::PeriodEnd);
    let prev_start = date(r, CoverField::PreviousStart);
    let prev_end = date(r, CoverField::PreviousEnd);
    let at = |f: CoverField| map.cover.get(&f).cloned().unwrap_or_else(|| grid.at_sheet(sheet));

    let name = name.map_err(|_| missing(r, CoverField::ServiceNameJa)).ok();
    let provider = provider.map_err(|_| missing(r, CoverField::ProviderNameJa)).ok();
    let corporate_number = corporate.and_then(|c| {
        required(r, at(CoverField::CorporateNumber), c, |c| {
            normalize(c)
                .parse::<CorporateNumber>()
                .map_err(|e| (format!("法人番号として読めません（{e}）"), format!("not a corporate number: {e}")))
        })
    });
    let word = |v: &str| serde_json::Value::String(normalize(v).into_owned());
    let model = match model {
        None => {
            missing(r, CoverField::Model);
            None
        }
        Some(v) => required(r, at(CoverField::Model), v, |v| {
            serde_json::from_value::<ServiceModel>(word(v)).map_err(|_| {
                ("IaaS・PaaS・SaaS のいずれかを書いてください".into(), "expected IaaS, PaaS or SaaS".into())
            })
        }),
    };
    let program = match program {
        None => {
            missing(r, CoverField::Program);
            None
        }
        Some(v) => required(r, at(CoverField::Program), v, |v| {
            serde_json::from_value::<Program>(serde_json::Value::String(normalize(v).to_uppercase()))
                .map_err(|_| ("ISMAP または ISMAP-LIU を書いてください".into(), "expected ISMAP or ISMAP-LIU".into()))
        }),
    };
    let version = match version {
        None => {
            missing(r, CoverField::CatalogVersion);
            None
        }
        Some(v) => required(r, at(CoverField::CatalogVersion), v, |v| {
            normalize(v)
                .parse::<semver::Version>()
                .map_err(|e| (format!("版として読めません（{e}）"), format!("not a version such as 2022.4.1: {e}")))
        }),
    };
    let period = |r: &mut Reader<'_>,
                  s: Option<NaiveDate>,
                  e: Option<NaiveDate>,
                  fs: CoverField,
                  fe: CoverField,
                  required: bool| {
        match (s, e) {
            (Some(s), Some(e)) => match AssessmentPeriod::new(s, e) {
                Ok(p) => Some(p),
                Err(err) => {
                    let t = err.text();
                    r.push(at(fe), Some(format!("{s} – {e}")), t.get(Lang::Ja).to_owned(), t.get(Lang::En).to_owned());
                    None
                }
            },
            (None, None) if !required => None,
            (s, _) => {
                let blank = if s.is_none() { fs } else { fe };
                if rows.get(&blank).is_none_or(|row| row.get(1).is_none()) {
                    missing(r, blank);
                }
                None
            }
        }
    };
    let period_v = period(r, start, end, CoverField::PeriodStart, CoverField::PeriodEnd, true);
    let previous = period(r, prev_start, prev_end, CoverField::PreviousStart, CoverField::PreviousEnd, false);
    if rep_name.is_none() {
        missing(r, CoverField::RepresentativeName);
    }
    if rep_title.is_none() {
        missing(r, CoverField::RepresentativeTitle);
    }
    let regions = regions
        .map(|s| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    let service = ServiceScope {
        name: name?,
        provider: {
            let mut p = Provider::new(provider?);
            p.corporate_number = corporate_number;
            p
        },
        model: model?,
        regions,
        underlying,
    };
    Some((service, program?, version?, period_v?, previous, Representative { name: rep_name?, title: rep_title? }))
}

/// A cover value read by `read`; a value that does not read is a problem at `at` (the Japanese
/// and English messages come from `read`).
fn required<T>(
    r: &mut Reader<'_>,
    at: String,
    value: String,
    read: impl FnOnce(&str) -> Result<T, (String, String)>,
) -> Option<T> {
    match read(&value) {
        Ok(v) => Some(v),
        Err((ja, en)) => {
            r.push(at, Some(value), ja, en);
            None
        }
    }
}

impl SourceMap {
    /// Where a finding of an assessment of this statement points in the workbook: the cell of the
    /// answer (or cover field) it concerns, or `None` when the source does not tell.
    #[must_use]
    pub fn locate(&self, finding: &crate::Finding) -> Option<String> {
        if let Some(path) = finding.path.as_deref()
            && let Some(at) = self.locate_path(path)
        {
            return Some(at);
        }
        finding.control.and_then(|id| self.status_cell(&id))
    }

    fn locate_path(&self, path: &str) -> Option<String> {
        let index = |rest: &str| -> Option<(usize, String)> {
            let rest = rest.strip_prefix('[')?;
            let (n, tail) = rest.split_once(']')?;
            Some((n.parse().ok()?, tail.to_owned()))
        };
        if let Some(rest) = path.strip_prefix("$.selections") {
            let (i, tail) = index(rest)?;
            let id = self.selection_ids.get(i)?;
            let layout = self.answers.as_ref()?;
            let row = *self.rows.get(id)?;
            let column = if tail.starts_with(".controls") {
                layout.controls
            } else if tail.starts_with(".reason") {
                layout.reason
            } else if tail.starts_with(".from") {
                layout.inherited
            } else if let Some(ch) = tail.strip_prefix(".changes") {
                if let Some(at) = index(ch).and_then(|(j, _)| self.changes.get(id)?.get(j).cloned()) {
                    return Some(at);
                }
                None
            } else if tail.starts_with(".id") {
                Some(layout.id)
            } else {
                None
            };
            return Some(layout.at(row, column.unwrap_or(layout.status)));
        }
        if let Some(rest) = path.strip_prefix("$.agency_responses") {
            return match index(rest) {
                Some((i, _)) => self.agency.get(i).cloned(),
                None => self.agency_sheet.clone(),
            };
        }
        if let Some(rest) = path.strip_prefix("$.service.underlying") {
            return index(rest).and_then(|(i, _)| self.underlying.get(i).cloned());
        }
        let field = if path.starts_with("$.period") {
            CoverField::PeriodStart
        } else if path.starts_with("$.previous_period") {
            CoverField::PreviousStart
        } else if path.starts_with("$.program") {
            CoverField::Program
        } else if path.starts_with("$.catalog_version") {
            CoverField::CatalogVersion
        } else if path.starts_with("$.representative") {
            CoverField::RepresentativeName
        } else if path.starts_with("$.service.provider") {
            CoverField::ProviderNameJa
        } else if path.starts_with("$.service.model") {
            CoverField::Model
        } else if path.starts_with("$.service") {
            CoverField::ServiceNameJa
        } else {
            return None;
        };
        self.cover.get(&field).cloned()
    }

    /// Points every finding of `report` at its cell (see [`SourceMap::locate`]); findings the
    /// workbook cannot place keep their JSON path.
    pub fn relocate(&self, report: &mut AssessmentReport) {
        for f in &mut report.findings {
            if let Some(at) = self.locate(f) {
                f.path = Some(at);
            }
        }
    }

    /// The cell of the status of item `id`, if the workbook has a row for it.
    #[must_use]
    pub fn status_cell(&self, id: &ControlId) -> Option<String> {
        let layout = self.answers.as_ref()?;
        self.rows.get(id).map(|row| layout.at(*row, layout.status))
    }
}
