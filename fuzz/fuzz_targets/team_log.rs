//! Team action logs (JSON or YAML; the first byte chooses): never panic; a log that parses
//! survives a JSON round trip, and checking and scoring it against the embedded scenario never
//! panics.
#![no_main]

use cyder_scenario::{Format, default_scenario, parse_log};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(s) = std::str::from_utf8(rest) else { return };
    let format = if mode & 1 == 0 { Format::Yaml } else { Format::Json };
    let Ok(log) = parse_log(s, format) else { return };
    let json = serde_json::to_string(&log).expect("a log serializes");
    assert_eq!(parse_log(&json, Format::Json).expect("own JSON parses"), log);
    let scenario = default_scenario().expect("the embedded scenario loads");
    let Ok(checked) = log.check(&scenario) else { return };
    let card = scenario.score(&checked);
    let _ = serde_json::to_string(&card).expect("a score card serializes");
    let report = scenario.after_action_report(&checked);
    let _ = report.to_markdown(ismap_model::Lang::Ja);
});
