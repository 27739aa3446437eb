//! CYDER scenario documents from JSON: never panic; a scenario that validates serializes to a
//! document that validates to the same scenario, and every analysis runs (within the default
//! bounds) without panicking.
#![no_main]

use cyder_scenario::Format;
use libfuzzer_sys::fuzz_target;

#[path = "common/scenario.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    common::check(s, Format::Json);
});
