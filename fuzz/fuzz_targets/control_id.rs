//! `ControlId` parsing: never panics; whatever parses prints back to a string that parses to the
//! same id, and the derived facts (level, parent, numeric path) agree.
#![no_main]

use ismap_model::{ControlId, ControlLevel};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let Ok(id) = s.parse::<ControlId>() else { return };
    let shown = id.to_string();
    let back: ControlId = shown.parse().expect("a displayed control id parses");
    assert_eq!(back, id, "display/parse round trip of {s:?}");
    assert_eq!(back.to_string(), shown);
    assert_eq!(id.path().numbers(), id.numbers());
    let level = id.level();
    match id.parent() {
        Some(p) => {
            assert!(level != ControlLevel::Domain);
            assert!(id.is_descendant_of(&p));
            assert_eq!(p.numbers().len() + 1, id.numbers().len());
        }
        None => assert_eq!(level, ControlLevel::Domain),
    }
    // serde goes through the same parser.
    let json = serde_json::to_string(&id).expect("serialize");
    let de: ControlId = serde_json::from_str(&json).expect("serde round trip");
    assert_eq!(de, id);
});
