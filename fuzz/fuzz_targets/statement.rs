//! Statements (言明書) from JSON or TOML (the first byte chooses): never panic; a statement that
//! loads survives a JSON round trip, and the conformance engine assesses it without panicking.
#![no_main]

use ismap_controls::{Assessment, Baseline, Catalog, Statement};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(s) = std::str::from_utf8(rest) else { return };
    let loaded = if mode & 1 == 0 { Statement::from_json_str(s) } else { Statement::from_toml_str(s) };
    let Ok(statement) = loaded else { return };
    let json = serde_json::to_string(&statement).expect("a statement serializes");
    let back = Statement::from_json_str(&json).expect("a statement's own JSON loads");
    assert_eq!(back, statement);
    let baseline = if mode & 2 == 0 { Baseline::ismap() } else { Baseline::liu() };
    let report = Assessment::new(Catalog::ismap_2022(), &baseline).assess(&statement);
    let _ = serde_json::to_string(&report).expect("a report serializes");
});
