//! Statements from workbooks and CSV (the first byte chooses: even XLSX, odd CSV): never panic;
//! a statement that loads is assessed, its findings are pointed at cells, and it is written back
//! as a workbook that reads to the same statement.
//!
//! calamine can panic on malformed cell references; the reader contains that panic (see
//! `spreadsheet_xlsx`), so this target restores the default panic hook once, as that one does.
#![no_main]

use std::sync::Once;

use ismap_controls::workbook::StatementTemplate;
use ismap_controls::{Assessment, Baseline, Catalog, Statement};
use ismap_model::{Lang, Limits};
use libfuzzer_sys::fuzz_target;

static DEFAULT_HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    let Some((&mode, rest)) = data.split_first() else { return };
    let limits = Limits::DEFAULT.with_input_bytes(4 << 20);
    let loaded = if mode & 1 == 0 {
        Statement::from_xlsx_bytes(rest, None, &limits)
    } else {
        let Ok(text) = std::str::from_utf8(rest) else { return };
        Statement::from_csv_str(text, None, &limits)
    };
    let Ok(loaded) = loaded else { return };
    let catalog = Catalog::ismap_2022();
    let mut report = Assessment::new(catalog, &Baseline::ismap()).assess(&loaded.statement);
    if let Some(source) = &loaded.source {
        source.relocate(&mut report);
    }
    let template = StatementTemplate::new(catalog, &Baseline::ismap(), &[]);
    let bytes = loaded.statement.to_xlsx(&template, Some(&report), Lang::Ja).expect("a loaded statement writes");
    let back = Statement::from_xlsx_bytes(&bytes, None, &Limits::DEFAULT).expect("our own workbook reads");
    let mut expected = loaded.statement;
    expected.selections.sort_by_key(|s| *s.id());
    assert_eq!(back.statement, expected);
});
