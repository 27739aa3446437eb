//! Criteria catalog from JSON: never panics; a catalog that loads converts back to a document
//! that loads to the same catalog, and its tree queries agree with each other.
#![no_main]

use ismap_controls::Catalog;
use libfuzzer_sys::fuzz_target;

#[path = "common/catalog.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok((catalog, _warnings)) = Catalog::from_json_str(s) {
        common::check(&catalog);
    }
});
