//! Untrusted workbooks and CSV files read into plain grids of cells, within limits.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};
use chrono::NaiveDate;
use ismap_model::{LimitExceeded, Limits, Text};

use super::vocab::SheetKind;
use crate::import::sheet::{XLSX_MAX_COLUMNS, XLSX_MAX_ROWS, XlsxFail, inflate_within};
use crate::statement::{StatementProblem, StatementProblems};

/// A cell's value as the reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Text (CSV fields are always text).
    Text(String),
    /// A number (ids typed as numbers, serial dates without a date format).
    Number(f64),
    /// A cell formatted as a date, as its serial number.
    Date(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A formula error such as `#REF!`.
    Error(String),
}

/// One row: (0-based column, cell) in column order, empty cells left out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// 0-based row in the sheet (XLSX) or record in the section (CSV).
    pub(crate) index: usize,
    /// CSV: the 1-based line the record starts on.
    pub(crate) line: usize,
    pub(crate) cells: Vec<(usize, Cell)>,
}

impl Row {
    pub(crate) fn get(&self, column: usize) -> Option<&Cell> {
        self.cells.binary_search_by_key(&column, |(c, _)| *c).ok().and_then(|i| self.cells.get(i)).map(|(_, v)| v)
    }
}

/// One sheet (XLSX) or section (CSV).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) rows: Vec<Row>,
}

/// Where the grid came from, which decides how locations are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// `sheet!F12`.
    Xlsx,
    /// `12:6` (line and column).
    Csv,
}

/// A workbook or CSV file as sheets of cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    pub(crate) source: Source,
    pub(crate) sheets: Vec<Sheet>,
}

impl Grid {
    /// The location of a cell: `sheet!F12` or `line:column`.
    pub(crate) fn at(&self, sheet: &Sheet, row: &Row, column: usize) -> String {
        match self.source {
            Source::Xlsx => format!("{}!{}{}", sheet.name, column_letters(column), row.index + 1),
            Source::Csv => format!("{}:{}", row.line, column + 1),
        }
    }

    /// The location of a sheet as a whole.
    pub(crate) fn at_sheet(&self, sheet: &Sheet) -> String {
        match self.source {
            Source::Xlsx => format!("{}!A1", sheet.name),
            Source::Csv => format!("{}:1", sheet.rows.first().map_or(1, |r| r.line)),
        }
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub(crate) fn column_letters(mut column: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + u8::try_from(column % 26).unwrap_or(0)));
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    out.iter().rev().collect()
}

fn problem(location: &str, message: Text) -> StatementProblems {
    StatementProblems(vec![StatementProblem::new(location, None, message)])
}

fn limit(e: &LimitExceeded) -> StatementProblems {
    limit_at("$", e)
}

/// A limit exceeded at a cell (the sheet, or the CSV line, that goes over it).
fn limit_at(location: &str, e: &LimitExceeded) -> StatementProblems {
    problem(location, e.message())
}

fn unreadable(detail: &str) -> StatementProblems {
    problem(
        "$",
        Text::new(
            format!(
                "XLSX ブックとして読めません（{detail}）。パスワード付きのブックはパスワードを外して保存してください"
            ),
            format!(
                "not a readable XLSX workbook ({detail}); a password-protected workbook must be saved without its password"
            ),
        ),
    )
}

/// Whether `needle` occurs in `hay`.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return true };
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.iter().position(|b| *b == first)) {
        let at = from + i;
        if hay.get(at + 1..at + needle.len()) == Some(rest) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Whether a sheet name is one the statement reader uses.
fn wanted(name: &str, extra: Option<&str>) -> bool {
    SheetKind::READ.iter().any(|k| k.is_named(name)) || extra.is_some_and(|e| e.trim() == name.trim())
}

/// Reads the sheets a statement is read from (and the mapping's sheet) within `limits`: the file's
/// size, then every member inflated once before the workbook is opened (a zip bomb is refused),
/// then rows ([`Limits::items`]) and cell text ([`Limits::input_bytes`]) as they are read.
/// Merged cells in those sheets are errors naming their ranges.
pub(crate) fn read_xlsx(bytes: &[u8], sheet: Option<&str>, limits: &Limits) -> Result<Grid, StatementProblems> {
    limits.check_input_bytes(bytes.len()).map_err(|e| limit(&e))?;
    // calamine can panic on hostile input (see `import::sheet`): the read is contained.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx_sheets(bytes, sheet, limits)));
    match read {
        Ok(r) => r,
        Err(_) => Err(unreadable("the reader failed on a malformed cell reference")),
    }
}

fn read_xlsx_sheets(bytes: &[u8], extra: Option<&str>, limits: &Limits) -> Result<Grid, StatementProblems> {
    // One pass inflates every member (the zip-bomb guard) and notes whether any worksheet has
    // merged cells, so that only such workbooks pay for calamine's scan of the merged ranges.
    const MERGE: &[u8] = b"<mergeCell ";
    let mut merges = false;
    let mut tail: Vec<u8> = Vec::with_capacity(2 * MERGE.len());
    let guard = inflate_within(bytes, limits, |name, chunk| {
        if merges || !name.starts_with("xl/worksheets/") {
            return;
        }
        // The pattern may straddle two chunks: look at the seam, then inside the chunk.
        tail.extend_from_slice(chunk.get(..MERGE.len().min(chunk.len())).unwrap_or_default());
        merges = tail.windows(MERGE.len()).any(|w| w == MERGE) || contains(chunk, MERGE);
        tail.clear();
        tail.extend_from_slice(chunk.get(chunk.len().saturating_sub(MERGE.len())..).unwrap_or_default());
    });
    match guard {
        Ok(()) => {}
        Err(XlsxFail::Limit(e)) => return Err(limit(&e)),
        Err(XlsxFail::Unreadable(m)) => return Err(unreadable(&m)),
    }
    let mut wb = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e.to_string()))?;
    let names: Vec<String> = wb.sheet_names().into_iter().filter(|n| wanted(n, extra)).collect();
    let mut sheets = Vec::new();
    let mut problems = Vec::new();
    let mut text_bytes = 0usize;
    for name in names {
        let merged = if merges { wb.merge_cells_by_sheet_name(&name) } else { Ok(Vec::new()) };
        match merged {
            Ok(merged) => {
                for d in merged {
                    let range = format!(
                        "{name}!{}{}:{}{}",
                        column_letters(usize::try_from(d.start.1).unwrap_or(0)),
                        d.start.0.saturating_add(1),
                        column_letters(usize::try_from(d.end.1).unwrap_or(0)),
                        d.end.0.saturating_add(1)
                    );
                    problems.push(StatementProblem::new(
                        range.clone(),
                        None,
                        Text::new(
                            format!(
                                "結合されたセル {range} は読めません。結合を解除し、値を 1 つのセルに書いてください"
                            ),
                            format!("merged cells {range} cannot be read; unmerge them and put the value in one cell"),
                        ),
                    ));
                }
            }
            Err(e) => return Err(unreadable(&format!("worksheet `{name}`: {e}"))),
        }
        let mut cells = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(unreadable(&format!("worksheet `{name}`: {e}"))),
        };
        limits
            .check_items(usize::try_from(cells.dimensions().end.0).unwrap_or(usize::MAX).saturating_add(1))
            .map_err(|e| limit_at(&format!("{name}!A1"), &e))?;
        let mut rows: Vec<Row> = Vec::new();
        while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&format!("worksheet `{name}`: {e}")))? {
            let (r, c) = cell.get_position();
            let (r, c) = (usize::try_from(r).unwrap_or(usize::MAX), usize::try_from(c).unwrap_or(usize::MAX));
            if r >= XLSX_MAX_ROWS || c >= XLSX_MAX_COLUMNS {
                return Err(unreadable(&format!("worksheet `{name}`: a cell beyond the sheet's maximum size")));
            }
            limits.check_items(r + 1).map_err(|e| limit_at(&format!("{name}!A{}", r + 1), &e))?;
            let value = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
                DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
                DataRef::Int(i) => Cell::Number(*i as f64),
                DataRef::Float(f) => Cell::Number(*f),
                DataRef::Bool(b) => Cell::Bool(*b),
                DataRef::DateTime(d) => Cell::Date(d.as_f64()),
                DataRef::Error(e) => Cell::Error(e.to_string()),
            };
            if let Cell::Text(s) = &value {
                if s.trim().is_empty() {
                    continue;
                }
                text_bytes = text_bytes.saturating_add(s.len());
                limits
                    .check_input_bytes(text_bytes)
                    .map_err(|e| limit_at(&format!("{name}!{}{}", column_letters(c), r + 1), &e))?;
            }
            match rows.last_mut() {
                Some(last) if last.index == r => {
                    // Cells arrive in row order; keep each row's cells sorted by column.
                    let at = last.cells.partition_point(|(col, _)| *col < c);
                    last.cells.insert(at, (c, value));
                }
                _ => {
                    let at = rows.partition_point(|row| row.index < r);
                    if rows.get(at).is_some_and(|row| row.index == r) {
                        if let Some(row) = rows.get_mut(at) {
                            let i = row.cells.partition_point(|(col, _)| *col < c);
                            row.cells.insert(i, (c, value));
                        }
                    } else {
                        rows.insert(at, Row { index: r, line: r + 1, cells: vec![(c, value)] });
                    }
                }
            }
        }
        sheets.push(Sheet { name, rows });
    }
    if problems.is_empty() { Ok(Grid { source: Source::Xlsx, sheets }) } else { Err(StatementProblems(problems)) }
}

/// Reads a statement CSV (UTF-8; a byte-order mark is ignored): sections that start with a line
/// holding only a sheet's name in brackets (`[回答]`, `[Answers]`); a file without sections is
/// one answers table. A malformed record (an unterminated quote) is an error at its line.
pub(crate) fn read_csv(text: &str, limits: &Limits) -> Result<Grid, StatementProblems> {
    limits.check_input_bytes(text.len()).map_err(|e| limit(&e))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = unterminated_quote(text) {
        return Err(problem(
            &format!("{line}:1"),
            Text::new(
                format!("{line} 行で始まる引用符（\"）が閉じられていません"),
                format!("the quote (\") opened on line {line} is never closed"),
            ),
        ));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut count = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                return Err(problem(
                    &format!("{line}:1"),
                    Text::new(format!("CSV として読めません（{e}）"), format!("not valid CSV: {e}")),
                ));
            }
        }
        count += 1;
        limits
            .check_items(count)
            .map_err(|e| limit_at(&format!("{line}:1", line = record.position().map_or(0, csv::Position::line)), &e))?;
        let line = record.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        let fields: Vec<&str> = record.iter().collect();
        let non_empty: Vec<(usize, &str)> =
            fields.iter().enumerate().filter(|(_, s)| !s.trim().is_empty()).map(|(i, s)| (i, *s)).collect();
        if let [(0, first)] = non_empty.as_slice() {
            let t = first.trim();
            if let Some(name) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                sheets.push(Sheet { name: name.trim().to_owned(), rows: Vec::new() });
                continue;
            }
        }
        if non_empty.is_empty() {
            continue;
        }
        if sheets.is_empty() {
            sheets.push(Sheet {
                name: SheetKind::Answers.name().get(ismap_model::Lang::Ja).to_owned(),
                rows: Vec::new(),
            });
        }
        if let Some(sheet) = sheets.last_mut() {
            let index = sheet.rows.len();
            let cells = non_empty.into_iter().map(|(c, s)| (c, Cell::Text(s.to_owned()))).collect();
            sheet.rows.push(Row { index, line, cells });
        }
    }
    Ok(Grid { source: Source::Csv, sheets })
}

/// The line of a quote that is opened and never closed (the csv reader takes the rest of the
/// file into the field instead of failing).
fn unterminated_quote(text: &str) -> Option<usize> {
    let (mut open, mut line, mut opened_on) = (false, 1usize, 0usize);
    for c in text.chars() {
        match c {
            '"' => {
                open = !open;
                if open {
                    opened_on = line;
                }
            }
            '\n' => line += 1,
            _ => {}
        }
    }
    open.then_some(opened_on)
}

/// An Excel serial date (1900 date system) as a date.
pub(crate) fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Serial 60 is the 1900-02-29 that never was; after it, serials count from 1899-12-30.
    let epoch = NaiveDate::from_ymd_opt(1899, 12, if days < 60 { 31 } else { 30 })?;
    epoch.checked_add_signed(chrono::Duration::days(days))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_match_the_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(5), "F");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn serial_dates() {
        assert_eq!(serial_date(45383.0), NaiveDate::from_ymd_opt(2024, 4, 1));
        assert_eq!(serial_date(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(serial_date(-3.0), None);
        assert_eq!(serial_date(f64::NAN), None);
    }

    #[test]
    fn csv_sections_and_unterminated_quotes() {
        let g = read_csv("[表紙]\nA,B\n\n[回答]\nID,状態\n8.1.2,選択\n", &Limits::DEFAULT).unwrap();
        assert_eq!(g.sheets.len(), 2);
        assert_eq!(g.sheets[1].rows[1].line, 6);
        let e = read_csv("ID,状態\n8.1.2,\"選択\n", &Limits::DEFAULT).unwrap_err();
        assert_eq!(e.0[0].location, "2:1");
        assert!(read_csv("ID,text\n1,\"a \"\"quoted\"\" word\"\n", &Limits::DEFAULT).is_ok());
    }
}
