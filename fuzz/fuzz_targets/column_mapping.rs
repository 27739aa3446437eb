//! Column mappings from TOML or JSON (the first byte chooses): never panic; a mapping that loads
//! survives a JSON round trip and imports a small CSV without panicking.
#![no_main]

use ismap_controls::import::{ColumnMapping, import_csv};
use libfuzzer_sys::fuzz_target;

const CSV: &str = "項番,区分,項目,Item,内容,Text,必須,クラウド,参照\n\
3,management,項目,Item,,,,,\n3.1,management,項目,Item,,,,,\n3.1.1,management,項目,Item,t,t,○,,ISO | 1\n";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(s) = std::str::from_utf8(rest) else { return };
    let loaded = if mode & 1 == 0 { ColumnMapping::from_toml_str(s) } else { ColumnMapping::from_json_str(s) };
    let Ok(mapping) = loaded else { return };
    let json = serde_json::to_string(&mapping).expect("a mapping serializes");
    assert_eq!(ColumnMapping::from_json_str(&json).expect("own JSON loads"), mapping);
    let _ = import_csv(CSV, &mapping);
});
