//! The column mapping the spreadsheet targets import with (as in ismap-controls'
//! `tests/import_spreadsheet.rs`).

use ismap_controls::import::ColumnMapping;

const MAPPING_TOML: &str = r#"
version = 1
[catalog]
name = { ja = "ファズ", en = "fuzz" }
version = "2022.4.1"
effective = "2022-04-01"
[columns]
id = "項番"
part = "区分"
title_ja = "項目"
title_en = "Item"
text_ja = "内容"
text_en = "Text"
mandatory = "必須"
cloud_specific = "クラウド"
refs = "参照"
"#;

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
