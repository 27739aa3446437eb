//! The column mapping the spreadsheet targets import with (`ismap-controls/tests/fixtures/fuzz-mapping.toml`,
//! which the fuzz regression tests use too).

use ismap_controls::import::ColumnMapping;

const MAPPING_TOML: &str = include_str!("../../../ismap-controls/tests/fixtures/fuzz-mapping.toml");

/// The mapping, parsed.
pub fn mapping() -> ColumnMapping {
    ColumnMapping::from_toml_str(MAPPING_TOML).expect("the fixed mapping parses")
}

/// A built catalog's document loads to the same catalog.
pub fn check(built: &ismap_controls::import::Built) {
    let doc = built.catalog.to_document();
    let json = serde_json::to_string(&doc).expect("serialize");
    let (again, _) = ismap_controls::Catalog::from_json_str(&json).expect("an imported catalog's document loads");
    assert_eq!(again.to_document(), doc);
}
