//! Reading CSV and XLSX tables into items.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Reader, Xlsx, XlsxError};
use ismap_model::{CriteriaPart, Lang, LimitExceeded, Limits, Text};

use super::columns::{ColumnMapping, SheetFormat};
use super::{Built, CatalogMetaInput, ImportProblem, ImportProblemKind, Item, Origin, build};

const YES: &[&str] = &["○", "◯", "●", "✓", "✔", "y", "yes", "true", "1", "はい", "必須", "有", "要"];
const NO: &[&str] = &["", "-", "－", "ー", "×", "✗", "n", "no", "false", "0", "いいえ", "任意", "無", "不要"];

/// One row's non-empty cells as (0-based column, text), in column order: every non-empty field
/// of a CSV row; of an XLSX row, only those the import reads (see [`import_xlsx_with`]).
type Row = Vec<(usize, String)>;

/// A table: (0-based row, cells) in row order. Rows without cells may be absent.
type Table = Vec<(usize, Row)>;

/// The text of `row`'s cell in column `column`, if the row has one.
fn cell_at(row: &Row, column: usize) -> Option<&str> {
    row.binary_search_by_key(&column, |(c, _)| *c).ok().and_then(|i| row.get(i)).map(|(_, s)| s.as_str())
}

/// A limit exceeded, as the one problem of the input.
fn limit_problem(e: LimitExceeded) -> Vec<ImportProblem> {
    vec![ImportProblem::error(Origin::Input, ImportProblemKind::Limit(e))]
}

fn unreadable(reason: String) -> Vec<ImportProblem> {
    vec![ImportProblem::error(Origin::Input, ImportProblemKind::Unreadable { reason })]
}

/// Imports a CSV text (UTF-8; a byte-order mark is ignored) within [`Limits::DEFAULT`].
///
/// # Errors
/// Every problem found, each with its row (and column); [`ImportProblemKind::Limit`] as
/// [`import_csv_with`].
pub fn import_csv(text: &str, mapping: &ColumnMapping) -> Result<Built, Vec<ImportProblem>> {
    import_csv_with(text, mapping, &Limits::DEFAULT)
}

/// [`import_csv`] within `limits`: the text's size ([`Limits::input_bytes`]) before reading,
/// and the number of rows, the header row and those above it included ([`Limits::items`]),
/// reading stopping at the first row over the limit.
///
/// # Errors
/// As [`import_csv`]; a limit exceeded is the one problem reported
/// ([`ImportProblemKind::Limit`]).
pub fn import_csv_with(text: &str, mapping: &ColumnMapping, limits: &Limits) -> Result<Built, Vec<ImportProblem>> {
    limits.check_input_bytes(text.len()).map_err(limit_problem)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = mapping.delimiter.unwrap_or(',');
    let delim = u8::try_from(u32::from(delimiter))
        .map_err(|_| unreadable(format!("delimiter `{delimiter}` is not a single-byte character")))?;
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delim).from_reader(text.as_bytes());
    let mut table = Vec::new();
    for (i, record) in reader.records().enumerate() {
        limits.check_items(i + 1).map_err(limit_problem)?;
        let record = record.map_err(|e| {
            let row = e.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
            vec![ImportProblem::error(
                Origin::Row { row, column: None },
                ImportProblemKind::Unreadable { reason: e.to_string() },
            )]
        })?;
        let row: Row =
            record.iter().enumerate().filter(|(_, s)| !s.is_empty()).map(|(c, s)| (c, s.to_owned())).collect();
        table.push((i, row));
    }
    import_table(&table, mapping)
}

/// Imports an XLSX workbook within [`Limits::DEFAULT`].
///
/// # Errors
/// Every problem found, each with its row (and column); [`ImportProblemKind::Limit`] as
/// [`import_xlsx_with`].
pub fn import_xlsx(bytes: &[u8], mapping: &ColumnMapping) -> Result<Built, Vec<ImportProblem>> {
    import_xlsx_with(bytes, mapping, &Limits::DEFAULT)
}

/// [`import_xlsx`] within `limits`. The worksheet is read cell by cell, never as a whole, so
/// that a small compressed file cannot make the import allocate without bound:
///
/// - [`Limits::input_bytes`]: the file's size, checked before it is opened; and the text of the
///   cells kept (the header row and the mapped columns of the rows below it, uncompressed),
///   checked as they are read.
/// - [`Limits::items`]: the sheet's rows as the spreadsheet numbers them, up to the last one
///   holding a cell: the rows the sheet's `dimension` declares, before any cell is read, then
///   the row of each cell as it is read (a sheet that declares less stops at the first cell
///   beyond the limit).
///
/// Cells are expected in row order, as spreadsheet programs write them: the columns kept are
/// told from the header row when the first cell below it is read.
///
/// The workbook's shared strings and styles are read whole when it is opened (by calamine),
/// before these checks; their size is bounded only by the file's size and the compression ratio.
///
/// # Errors
/// As [`import_xlsx`]; a limit exceeded is the one problem reported
/// ([`ImportProblemKind::Limit`]).
pub fn import_xlsx_with(bytes: &[u8], mapping: &ColumnMapping, limits: &Limits) -> Result<Built, Vec<ImportProblem>> {
    limits.check_input_bytes(bytes.len()).map_err(limit_problem)?;
    // calamine 0.38 can panic on hostile input (an over-long cell reference overflows its column
    // arithmetic when overflow checks are on; found by the `spreadsheet_xlsx` fuzz target, see
    // fuzz/README.md). Reading is contained so that a malformed file is an error, never a
    // panic of ours; the workbook is read-only data, so nothing is left half-updated.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx_table(bytes, mapping, limits)));
    let table = match read {
        Ok(Ok(table)) => table,
        Ok(Err(XlsxFail::Unreadable(reason))) => return Err(unreadable(reason)),
        Ok(Err(XlsxFail::Limit(e))) => return Err(limit_problem(e)),
        Err(_) => return Err(unreadable("the XLSX reader failed on this file (malformed cell reference?)".into())),
    };
    import_table(&table, mapping)
}

/// Rows in an XLSX worksheet.
pub(crate) const XLSX_MAX_ROWS: usize = 1_048_576;
/// Columns in an XLSX worksheet.
pub(crate) const XLSX_MAX_COLUMNS: usize = 16_384;

/// Why a worksheet was not read.
pub(crate) enum XlsxFail {
    Unreadable(String),
    Limit(LimitExceeded),
}

impl From<LimitExceeded> for XlsxFail {
    fn from(e: LimitExceeded) -> Self {
        Self::Limit(e)
    }
}

/// A 0-based position from calamine as `usize`.
fn index(i: u32) -> usize {
    usize::try_from(i).unwrap_or(usize::MAX)
}

/// Opens the workbook and reads the mapped (or first) sheet's cells that the import uses (see
/// [`import_xlsx_with`]).
/// Inflates every member of the workbook's zip container once, counting the bytes, and stops as
/// soon as they pass [`Limits::input_bytes`]: calamine reads the shared strings, styles and
/// sheets in full, so a small file that inflates to gigabytes (a zip bomb) must be refused
/// before it opens the workbook. The sizes the archive declares are not trusted; the bytes are
/// counted as they come. A limit error's `actual` is the count reached when reading stopped.
pub(crate) fn check_inflated_size(bytes: &[u8], limits: &Limits) -> Result<(), XlsxFail> {
    inflate_within(bytes, limits, |_, _| {})
}

/// [`check_inflated_size`], showing each member's inflated bytes to `see` (its name, then each
/// chunk in order) as they are counted: one pass serves the guard and a scan of the content.
pub(crate) fn inflate_within(bytes: &[u8], limits: &Limits, mut see: impl FnMut(&str, &[u8])) -> Result<(), XlsxFail> {
    let fail = |e: &dyn std::fmt::Display| XlsxFail::Unreadable(format!("not an XLSX workbook: {e}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let max = limits.input_bytes();
    let max_u64 = u64::try_from(max).unwrap_or(u64::MAX);
    let cap = max_u64.saturating_add(1);
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 << 10];
    for i in 0..archive.len() {
        let member = archive.by_index(i).map_err(|e| fail(&e))?;
        let name = member.name().map_err(|e| fail(&e))?.into_owned();
        // Read at most what is left under the limit, plus one byte to tell "over".
        let mut bounded = std::io::Read::take(member, cap.saturating_sub(total));
        loop {
            let n = std::io::Read::read(&mut bounded, &mut buf).map_err(|e| fail(&e))?;
            if n == 0 {
                break;
            }
            total = total.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
            see(&name, buf.get(..n).unwrap_or_default());
        }
        if total > max_u64 {
            return Err(XlsxFail::Limit(LimitExceeded::new(
                ismap_model::LimitKind::InputBytes,
                max,
                usize::try_from(total).unwrap_or(usize::MAX),
            )));
        }
    }
    Ok(())
}

fn read_xlsx_table(bytes: &[u8], mapping: &ColumnMapping, limits: &Limits) -> Result<Table, XlsxFail> {
    let fail = XlsxFail::Unreadable;
    check_inflated_size(bytes, limits)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| fail(format!("not an XLSX workbook: {e}")))?;
    let sheet = match &mapping.sheet {
        Some(s) => s.clone(),
        None => workbook.sheet_names().first().cloned().ok_or_else(|| fail("the workbook has no sheet".to_owned()))?,
    };
    let mut cells = match workbook.worksheet_cells_reader(&sheet) {
        Ok(reader) => reader,
        // A chart sheet: no cells (calamine's own range reading does the same).
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(fail(format!("worksheet `{sheet}`: {e}"))),
    };
    limits.check_items(index(cells.dimensions().end.0).saturating_add(1))?;
    let header_row = mapping.header_row.unwrap_or(1).max(1) - 1;
    let mut rows: BTreeMap<usize, BTreeMap<usize, String>> = BTreeMap::new();
    // The columns kept below the header row, told once the header row is read.
    let mut kept: Option<Vec<usize>> = None;
    let mut text_bytes = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| fail(format!("worksheet `{sheet}`: {e}")))? {
        let (row, column) = cell.get_position();
        let (row, column) = (index(row), index(column));
        // Anything beyond the XLSX format's sheet size comes from a malformed reference.
        if row >= XLSX_MAX_ROWS || column >= XLSX_MAX_COLUMNS {
            return Err(fail(format!(
                "a cell at row {} column {} is beyond the XLSX maximum of {XLSX_MAX_ROWS} rows and {XLSX_MAX_COLUMNS} columns",
                row.saturating_add(1),
                column.saturating_add(1)
            )));
        }
        limits.check_items(row + 1)?;
        let keep = match row.cmp(&header_row) {
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => kept.is_none(),
            std::cmp::Ordering::Greater => kept
                .get_or_insert_with(|| {
                    let header: Row =
                        rows.get(&header_row).into_iter().flatten().map(|(c, s)| (*c, s.clone())).collect();
                    mapped_columns(&header, mapping)
                })
                .contains(&column),
        };
        if !keep || matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let text = Data::from(cell.get_value().clone()).to_string();
        text_bytes = text_bytes.saturating_add(text.len());
        limits.check_input_bytes(text_bytes)?;
        rows.entry(row).or_default().insert(column, text);
    }
    Ok(rows.into_iter().map(|(r, cells)| (r, cells.into_iter().collect())).collect())
}

/// Imports a file, by the mapping's format or else the file's extension, within
/// [`Limits::DEFAULT`].
///
/// # Errors
/// Every problem found, the file's own unreadability included.
pub fn import_file(path: &Path, mapping: &ColumnMapping) -> Result<Built, Vec<ImportProblem>> {
    import_file_with(path, mapping, &Limits::DEFAULT)
}

/// [`import_file`] within `limits`: a file larger than [`Limits::input_bytes`] is not read;
/// then as [`import_csv_with`] or [`import_xlsx_with`].
///
/// # Errors
/// As [`import_file`]; a limit exceeded is the one problem reported
/// ([`ImportProblemKind::Limit`]).
pub fn import_file_with(path: &Path, mapping: &ColumnMapping, limits: &Limits) -> Result<Built, Vec<ImportProblem>> {
    let format = mapping.format.or_else(|| {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Some(SheetFormat::Csv),
            "xlsx" | "xlsm" => Some(SheetFormat::Xlsx),
            _ => None,
        }
    });
    if let Ok(meta) = std::fs::metadata(path) {
        limits.check_input_bytes(usize::try_from(meta.len()).unwrap_or(usize::MAX)).map_err(limit_problem)?;
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(format!("cannot read {}: {e}", path.display())))?;
    match format {
        Some(SheetFormat::Csv) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| unreadable(format!("{} is not UTF-8 text; save the CSV as UTF-8", path.display())))?;
            import_csv_with(&text, mapping, limits)
        }
        Some(SheetFormat::Xlsx) => import_xlsx_with(&bytes, mapping, limits),
        None => Err(unreadable(format!(
            "cannot tell the format of {}; name it .csv or .xlsx, or set `format` in the column mapping",
            path.display()
        ))),
    }
}

/// The columns the mapping reads, as far as `header` tells (missing ones are left out: the
/// import reports them).
fn mapped_columns(header: &Row, mapping: &ColumnMapping) -> Vec<usize> {
    let c = &mapping.columns;
    [
        Some(&c.id),
        c.part.as_ref(),
        c.title_ja.as_ref(),
        c.title_en.as_ref(),
        c.text_ja.as_ref(),
        c.text_en.as_ref(),
        c.refs.as_ref(),
        c.mandatory.as_ref(),
        c.cloud_specific.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|name| column_index(header, name))
    .collect()
}

/// The column index of `name`: the header with that text, else the column letter.
fn column_index(header: &Row, name: &str) -> Option<usize> {
    if let Some((i, _)) = header.iter().find(|(_, h)| h.trim() == name.trim()) {
        return Some(*i);
    }
    column_from_letters(name.trim())
}

/// The 0-based index of a column named by its letters (`A` is 0, `AA` is 26), for 1 to 3
/// upper-case letters.
pub(crate) fn column_from_letters(letters: &str) -> Option<usize> {
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let n = letters.bytes().fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A' + 1));
    n.checked_sub(1)
}

fn parse_flag(value: &str, mapping: &ColumnMapping) -> Option<bool> {
    let v = value.trim();
    let lower = v.to_lowercase();
    let extra = mapping.flags.clone().unwrap_or_default();
    if YES.contains(&lower.as_str()) || extra.yes.iter().any(|w| w.trim() == v) {
        Some(true)
    } else if NO.contains(&lower.as_str()) || extra.no.iter().any(|w| w.trim() == v) {
        Some(false)
    } else {
        None
    }
}

fn parse_part(value: &str) -> Option<CriteriaPart> {
    let v = value.trim();
    CriteriaPart::ALL.into_iter().find(|p| {
        let name = p.name();
        p.key().eq_ignore_ascii_case(v) || name.get(Lang::Ja) == v || name.get(Lang::En).eq_ignore_ascii_case(v)
    })
}

/// References, one per line: `standard` or `standard | clause`.
fn parse_refs(cell: &str) -> Vec<crate::catalog::SourceRef> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((std, clause)) => {
                let clause = clause.trim();
                crate::catalog::SourceRef::new(std.trim(), (!clause.is_empty()).then(|| clause.to_owned()))
            }
            None => crate::catalog::SourceRef::new(l, None),
        })
        .collect()
}

fn import_table(table: &Table, mapping: &ColumnMapping) -> Result<Built, Vec<ImportProblem>> {
    let header_row = mapping.header_row.unwrap_or(1).max(1);
    let empty = Vec::new();
    let header = table.iter().find(|(r, _)| *r == header_row - 1).map_or(&empty, |(_, row)| row);
    let mut problems = Vec::new();
    let c = &mapping.columns;
    let mut col = |name: Option<&String>| -> Option<(usize, String)> {
        let name = name?;
        match column_index(header, name) {
            Some(i) => Some((i, name.clone())),
            None => {
                problems.push(ImportProblem::error(
                    Origin::Row { row: header_row, column: None },
                    ImportProblemKind::MissingColumn { column: name.clone() },
                ));
                None
            }
        }
    };
    let id_col = col(Some(&c.id));
    let part_col = col(c.part.as_ref());
    let title_ja = col(c.title_ja.as_ref());
    let title_en = col(c.title_en.as_ref());
    let text_ja = col(c.text_ja.as_ref());
    let text_en = col(c.text_en.as_ref());
    let refs_col = col(c.refs.as_ref());
    let mandatory = col(c.mandatory.as_ref());
    let cloud = col(c.cloud_specific.as_ref());
    let Some((id_i, _)) = id_col else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }
    let cell = |row: &Row, c: &Option<(usize, String)>| -> Option<String> {
        c.as_ref().and_then(|(i, _)| cell_at(row, *i)).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
    };
    let mut items = Vec::new();
    for (ri, row) in table.iter().filter(|(r, _)| *r >= header_row) {
        let row_no = ri + 1;
        let Some(id) = cell_at(row, id_i).map(str::trim).filter(|s| !s.is_empty()) else { continue };
        let mut item = Item::new(id, Origin::Row { row: row_no, column: Some(c.id.clone()) });
        item.title = Text::try_new(cell(row, &title_ja), cell(row, &title_en)).ok();
        item.text = Text::try_new(cell(row, &text_ja), cell(row, &text_en)).ok();
        if let Some(v) = cell(row, &refs_col) {
            item.refs = parse_refs(&v);
        }
        if let Some(v) = cell(row, &part_col) {
            match parse_part(&v) {
                Some(p) => item.part = Some(p),
                None => problems.push(ImportProblem::error(
                    Origin::Row { row: row_no, column: c.part.clone() },
                    ImportProblemKind::BadPart { value: v },
                )),
            }
        }
        for (column, target) in [(&mandatory, &mut item.mandatory), (&cloud, &mut item.cloud_specific)] {
            let Some((i, name)) = column else { continue };
            let v = cell_at(row, *i).map_or("", str::trim);
            match parse_flag(v, mapping) {
                // An empty flag cell says nothing: the flag is derived from the id.
                Some(_) if v.is_empty() => {}
                Some(b) => *target = Some(b),
                None => problems.push(ImportProblem::error(
                    Origin::Row { row: row_no, column: Some(name.clone()) },
                    ImportProblemKind::BadFlag { value: v.to_owned() },
                )),
            }
        }
        items.push(item);
    }
    let info = &mapping.catalog;
    let mut meta =
        CatalogMetaInput::new(info.name.clone(), info.version.clone(), info.effective, mapping.completeness());
    meta.source.clone_from(&info.source);
    match build(&meta, &items) {
        Ok(built) if problems.is_empty() => Ok(built),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            problems.sort_by_key(|p| p.severity);
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        let header: Row = vec![(0, "項番".to_owned()), (1, "B".to_owned())];
        assert_eq!(column_index(&header, "項番"), Some(0));
        assert_eq!(column_index(&header, "B"), Some(1));
        assert_eq!(column_index(&header, "C"), Some(2));
        assert_eq!(column_index(&header, "AA"), Some(26));
        assert_eq!(column_index(&header, "zz"), None);
    }
}
