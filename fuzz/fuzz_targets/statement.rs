//! Statements (言明書) from JSON or TOML (the first byte chooses): never panic; the every-problem
//! reader agrees with the first-error reader on what loads; a statement that loads survives a
//! JSON round trip, and the conformance engine assesses it without panicking.
#![no_main]

use ismap_controls::{Assessment, Baseline, Catalog, Statement};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(s) = std::str::from_utf8(rest) else { return };
    let limits = ismap_model::Limits::DEFAULT;
    let all = if mode & 1 == 0 { Statement::read_json(s, &limits) } else { Statement::read_toml(s, &limits) };
    if let Err(problems) = &all {
        assert!(!problems.problems().is_empty(), "a statement that does not load has a problem");
    }
    let loaded = if mode & 1 == 0 { Statement::from_json_str(s) } else { Statement::from_toml_str(s) };
    if let Ok(first) = &loaded {
        assert_eq!(all.as_ref().ok(), Some(first), "what loads one way loads the other");
    }
    let Ok(statement) = all else { return };
    let json = serde_json::to_string(&statement).expect("a statement serializes");
    let back = Statement::from_json_str(&json).expect("a statement's own JSON loads");
    assert_eq!(back, statement);
    let baseline = if mode & 2 == 0 { Baseline::ismap() } else { Baseline::liu() };
    let report = Assessment::new(Catalog::ismap_2022(), &baseline).assess(&statement);
    let _ = serde_json::to_string(&report).expect("a report serializes");
});
