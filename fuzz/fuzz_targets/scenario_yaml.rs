//! CYDER scenario documents from YAML (serde_norway): same invariants as `scenario_json`.
#![no_main]

use cyder_scenario::Format;
use libfuzzer_sys::fuzz_target;

#[path = "common/scenario.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    common::check(s, Format::Yaml);
});
