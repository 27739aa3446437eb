//! OSCAL catalogs (JSON): never panic; load -> save -> load is lossless (as `oscal` documents),
//! validation and import into the ISMAP model run on whatever loads, and an imported catalog
//! round-trips through its document form.
#![no_main]

use ismap_controls::oscal::{self, CatalogFile, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = oscal::load_document_str(s);
    let Ok(catalog) = oscal::load_catalog_str(s) else { return };
    let json = oscal::to_json(&CatalogFile::new(catalog.clone()));
    assert_eq!(oscal::load_catalog_str(&json).expect("own JSON loads"), catalog, "lossless round trip");
    let _ = validate::validate_catalog(&catalog);
    let _ = catalog.all_controls();
    let imported = oscal::import::catalog(&catalog);
    if let Ok(built) = imported.result.as_ref() {
        let doc = built.catalog.to_document();
        let text = serde_json::to_string(&doc).expect("serialize");
        assert!(ismap_controls::Catalog::from_json_str(&text).is_ok());
    }
});
