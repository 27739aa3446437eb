//! Baseline documents from JSON (`Baseline::from_json_str`): never panic; what loads is
//! consistent (kind and program agree, no scope on an ISMAP baseline), survives a JSON round trip,
//! and can assess the sample statement.
#![no_main]

use ismap_controls::{Assessment, Baseline, BaselineKind, Catalog, Statement};
use ismap_model::Program;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let Ok(baseline) = Baseline::from_json_str(s) else { return };
    match baseline.kind {
        BaselineKind::Ismap => assert!(baseline.program == Program::Ismap && baseline.external_audit_scope.is_none()),
        BaselineKind::Liu => assert_eq!(baseline.program, Program::IsmapLiu),
    }
    let json = serde_json::to_string(&baseline).expect("baseline serializes");
    assert_eq!(Baseline::from_json_str(&json).expect("own JSON loads"), baseline);
    let statement = Statement::try_sample().expect("the embedded sample loads");
    let report = Assessment::new(Catalog::ismap_2022(), &baseline).assess(&statement);
    let _ = report.findings.len();
});
