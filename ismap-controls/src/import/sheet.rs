//! Reading CSV and XLSX tables into items.

use std::io::Cursor;
use std::path::Path;

use calamine::{Reader, Xlsx};
use ismap_model::{CriteriaPart, Lang, Text};

use super::columns::{ColumnMapping, SheetFormat};
use super::{Built, CatalogMetaInput, ImportProblem, ImportProblemKind, Item, Origin, build};

const YES: &[&str] = &["○", "◯", "●", "✓", "✔", "y", "yes", "true", "1", "はい", "必須", "有", "要"];
const NO: &[&str] = &["", "-", "－", "ー", "×", "✗", "n", "no", "false", "0", "いいえ", "任意", "無", "不要"];

/// Imports a CSV text (UTF-8; a byte-order mark is ignored).
///
/// # Errors
/// Every problem found, each with its row (and column).
pub fn import_csv(text: &str, mapping: &ColumnMapping) -> Result<Built, Vec<ImportProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = mapping.delimiter.unwrap_or(',');
    let delim = u8::try_from(u32::from(delimiter)).map_err(|_| {
        vec![ImportProblem::error(
            Origin::Input,
            ImportProblemKind::Unreadable { reason: format!("delimiter `{delimiter}` is not a single-byte character") },
        )]
    })?;
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delim).from_reader(text.as_bytes());
    let mut table = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let row = e.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
            vec![ImportProblem::error(
                Origin::Row { row, column: None },
                ImportProblemKind::Unreadable { reason: e.to_string() },
            )]
        })?;
        table.push(record.iter().map(str::to_owned).collect::<Vec<_>>());
    }
    import_table(&table, mapping)
}

/// Imports an XLSX workbook.
///
/// # Errors
/// Every problem found, each with its row (and column).
pub fn import_xlsx(bytes: &[u8], mapping: &ColumnMapping) -> Result<Built, Vec<ImportProblem>> {
    let unreadable =
        |reason: String| vec![ImportProblem::error(Origin::Input, ImportProblemKind::Unreadable { reason })];
    // calamine 0.38 can panic on hostile input (an over-long cell reference overflows its column
    // arithmetic when overflow checks are on; found by the `spreadsheet_xlsx` fuzz target, see
    // fuzz/README.md). Reading is contained so that a malformed file is an error, never a
    // panic of ours; the workbook is read-only data, so nothing is left half-updated.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx_range(bytes, mapping)));
    let range = match read {
        Ok(r) => r.map_err(unreadable)?,
        Err(_) => return Err(unreadable("the XLSX reader failed on this file (malformed cell reference?)".into())),
    };
    // Rows as the spreadsheet numbers them: the range may start below row 1 or right of column A.
    let (top, left) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    // A worksheet has at most 1,048,576 rows and 16,384 columns (the XLSX format's sheet size):
    // anything beyond comes from a malformed reference and would only make us allocate.
    if top >= XLSX_MAX_ROWS || left >= XLSX_MAX_COLUMNS {
        return Err(unreadable(format!(
            "the sheet starts at row {} column {}, beyond the XLSX maximum of {XLSX_MAX_ROWS} rows and {XLSX_MAX_COLUMNS} columns",
            top + 1,
            left + 1
        )));
    }
    let mut table: Vec<Vec<String>> = vec![Vec::new(); top];
    for row in range.rows() {
        let mut cells = vec![String::new(); left];
        cells.extend(row.iter().map(ToString::to_string));
        table.push(cells);
    }
    import_table(&table, mapping)
}

/// Rows in an XLSX worksheet.
const XLSX_MAX_ROWS: usize = 1_048_576;
/// Columns in an XLSX worksheet.
const XLSX_MAX_COLUMNS: usize = 16_384;

/// Opens the workbook and reads the mapped (or first) sheet's cells.
fn read_xlsx_range(bytes: &[u8], mapping: &ColumnMapping) -> Result<calamine::Range<calamine::Data>, String> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not an XLSX workbook: {e}"))?;
    let sheet = match &mapping.sheet {
        Some(s) => s.clone(),
        None => workbook.sheet_names().first().cloned().ok_or_else(|| "the workbook has no sheet".to_owned())?,
    };
    workbook.worksheet_range(&sheet).map_err(|e| format!("worksheet `{sheet}`: {e}"))
}

/// Imports a file, by the mapping's format or else the file's extension.
///
/// # Errors
/// Every problem found, the file's own unreadability included.
pub fn import_file(path: &Path, mapping: &ColumnMapping) -> Result<Built, Vec<ImportProblem>> {
    let unreadable =
        |reason: String| vec![ImportProblem::error(Origin::Input, ImportProblemKind::Unreadable { reason })];
    let format = mapping.format.or_else(|| {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Some(SheetFormat::Csv),
            "xlsx" | "xlsm" => Some(SheetFormat::Xlsx),
            _ => None,
        }
    });
    let bytes = std::fs::read(path).map_err(|e| unreadable(format!("cannot read {}: {e}", path.display())))?;
    match format {
        Some(SheetFormat::Csv) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| unreadable(format!("{} is not UTF-8 text; save the CSV as UTF-8", path.display())))?;
            import_csv(&text, mapping)
        }
        Some(SheetFormat::Xlsx) => import_xlsx(&bytes, mapping),
        None => Err(unreadable(format!(
            "cannot tell the format of {}; name it .csv or .xlsx, or set `format` in the column mapping",
            path.display()
        ))),
    }
}

/// The column index of `name`: the header with that text, else the column letter.
fn column_index(header: &[String], name: &str) -> Option<usize> {
    if let Some(i) = header.iter().position(|h| h.trim() == name.trim()) {
        return Some(i);
    }
    let letters = name.trim();
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

fn import_table(table: &[Vec<String>], mapping: &ColumnMapping) -> Result<Built, Vec<ImportProblem>> {
    let header_row = mapping.header_row.unwrap_or(1).max(1);
    let empty = Vec::new();
    let header = table.get(header_row - 1).unwrap_or(&empty);
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
    let cell = |row: &[String], c: &Option<(usize, String)>| -> Option<String> {
        c.as_ref().and_then(|(i, _)| row.get(*i)).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
    };
    let mut items = Vec::new();
    for (ri, row) in table.iter().enumerate().skip(header_row) {
        let row_no = ri + 1;
        let Some(id) = row.get(id_i).map(|s| s.trim()).filter(|s| !s.is_empty()) else { continue };
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
            let v = row.get(*i).map(|s| s.trim()).unwrap_or("");
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
        let header = vec!["項番".to_owned(), "B".to_owned()];
        assert_eq!(column_index(&header, "項番"), Some(0));
        assert_eq!(column_index(&header, "B"), Some(1));
        assert_eq!(column_index(&header, "C"), Some(2));
        assert_eq!(column_index(&header, "AA"), Some(26));
        assert_eq!(column_index(&header, "zz"), None);
    }
}
