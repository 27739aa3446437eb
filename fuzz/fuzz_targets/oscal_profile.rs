//! OSCAL profiles (JSON): never panic, neither loading nor resolving. The input is stored as
//! `p.json` beside the small test catalog (`cat/abc_catalog.json`, from ismap-controls' test
//! fixtures) and resolved as a file, so imports of the catalog, of the profile itself (a cycle)
//! and of missing documents are all reachable. A resolved catalog saves and loads losslessly.
#![no_main]

use std::path::Path;

use ismap_controls::oscal::resolve::{MemoryFetcher, ResolveOptions, Resolver};
use ismap_controls::oscal::{self, CatalogFile, validate};
use libfuzzer_sys::fuzz_target;

const CATALOG: &str = include_str!("../../ismap-controls/tests/fixtures/oscal/abc_catalog.json");

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let Ok(profile) = oscal::load_profile_str(s) else { return };
    let json = oscal::to_json(&oscal::ProfileFile::new(profile.clone()));
    assert_eq!(oscal::load_profile_str(&json).expect("own JSON loads"), profile, "lossless round trip");
    let _ = validate::validate_profile(&profile);
    let fetcher = MemoryFetcher::new().with("cat/abc_catalog.json", CATALOG).with("p.json", s);
    let options = ResolveOptions::fixed("2026-03-01T00:00:00Z", "e3b0c442-98fc-4c14-9afb-f4c8996fb924");
    if let Ok(resolved) = Resolver::new(&fetcher).resolve_file(Path::new("p.json"), &options) {
        let json = oscal::to_json(&CatalogFile::new(resolved.catalog.clone()));
        assert_eq!(oscal::load_catalog_str(&json).expect("resolved JSON loads"), resolved.catalog);
        for w in &resolved.warnings {
            let _ = w.message();
        }
    }
});
