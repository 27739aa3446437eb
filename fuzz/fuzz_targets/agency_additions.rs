//! Agency additional requirements from JSON: never panic; what loads survives a JSON round trip
//! and can be used in an assessment of the sample statement.
#![no_main]

use ismap_controls::{AgencyAdditions, Assessment, Baseline, Catalog, Statement};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let Ok(additions) = AgencyAdditions::from_json_str(s) else { return };
    let json = serde_json::to_string(&additions).expect("additions serialize");
    assert_eq!(AgencyAdditions::from_json_str(&json).expect("own JSON loads"), additions);
    let statement = Statement::try_sample().expect("the embedded sample loads");
    let list = [additions];
    let report = Assessment::new(Catalog::ismap_2022(), &Baseline::ismap()).with_additions(&list).assess(&statement);
    let _ = report.findings.len();
});
