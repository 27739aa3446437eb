//! Catalog import from XLSX bytes (calamine) with a fixed column mapping: never panics; an
//! imported catalog round-trips through its document form.
#![no_main]

use ismap_controls::import::import_xlsx;
use libfuzzer_sys::fuzz_target;

#[path = "common/mapping.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(built) = import_xlsx(data, &common::mapping()) {
        common::check(&built);
    }
});
