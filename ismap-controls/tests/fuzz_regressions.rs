//! Inputs the fuzz targets (see `fuzz/`) found crashing, kept as regression tests.
#![cfg(feature = "spreadsheet")]
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ismap_controls::import::{ColumnMapping, ImportProblemKind, import_xlsx};

/// The fuzz targets' own mapping, so that a crashing input replays as the fuzzer ran it.
fn mapping() -> ColumnMapping {
    ColumnMapping::from_toml_str(include_str!("fixtures/fuzz-mapping.toml")).unwrap()
}

/// `spreadsheet_xlsx`: a cell tagged `r="InlineStr"` overflows calamine 0.38's column arithmetic
/// (a panic with overflow checks on, a wrapped column otherwise). The import must report the file
/// as unreadable instead.
#[test]
fn xlsx_cell_reference_overflowing_calamine_is_an_error() {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_regressions/spreadsheet_xlsx-calamine-column-overflow.xlsx"),
    )
    .unwrap();
    let Err(problems) = import_xlsx(&bytes, &mapping()) else { panic!("the file must be rejected") };
    assert!(problems.iter().any(|p| matches!(&p.kind, ImportProblemKind::Unreadable { .. })), "{problems:?}");
}

/// `statement`: a statement followed by more text loaded with `from_json_str` (the first-error
/// reader never checked the end of the input) but not with `read_json`. Both refuse it now.
#[test]
fn json_statement_with_trailing_characters_is_refused_by_both_readers() {
    use ismap_controls::Statement;
    let text = format!("{}\n}}", Statement::sample_json());
    assert!(Statement::from_json_str(&text).is_err());
    let problems = Statement::read_json(&text, &ismap_model::Limits::DEFAULT).unwrap_err();
    assert!(problems.to_string().contains("trailing characters"), "{problems}");
    assert!(Statement::from_json_str(&format!("{}\n\n", Statement::sample_json())).is_ok());
}
