//! Criteria catalog from TOML: never panics; same invariants as `catalog_json`.
#![no_main]

use ismap_controls::Catalog;
use libfuzzer_sys::fuzz_target;

#[path = "common/catalog.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok((catalog, _warnings)) = Catalog::from_toml_str(s) {
        common::check(&catalog);
    }
});
