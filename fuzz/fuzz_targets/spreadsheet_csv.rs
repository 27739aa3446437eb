//! Catalog import from CSV with a fixed column mapping: never panics; an imported catalog
//! round-trips through its document form.
#![no_main]

use ismap_controls::import::import_csv;
use libfuzzer_sys::fuzz_target;

#[path = "common/mapping.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(built) = import_csv(s, &common::mapping()) {
        common::check(&built);
    }
});
