//! Journal lines (JSON Lines, hash-chained): never panic. Every entry the verifier accepts is in
//! canonical form (its line is exactly `to_line()`), the unverified reader reads at least as many
//! entries, and replaying what was read never panics. A single event is also parsed on its own.
#![no_main]

use ismap_workflow::{Event, Registry, WorkflowRules, read_lines_unverified, verify_lines};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut verified = Vec::new();
    let report = verify_lines(data, |e| verified.push(e)).expect("reading from memory cannot fail");
    assert_eq!(report.entries, verified.len() as u64);
    let mut lines = data.split(|b| *b == b'\n');
    for entry in &verified {
        let line = lines.next().expect("a verified entry has its line");
        assert_eq!(entry.to_line().expect("serialize").trim_end_matches('\n').as_bytes(), line);
    }
    let mut unverified = Vec::new();
    let read = read_lines_unverified(data, |e| unverified.push(e));
    if let Ok(n) = read {
        assert_eq!(n, unverified.len() as u64);
    }
    assert!(unverified.len() >= verified.len() || report.torn_tail.is_some());
    let _ = Registry::replay(WorkflowRules::default(), unverified.iter().map(|e| &e.event));
    if let Ok(event) = serde_json::from_slice::<Event>(data) {
        let json = serde_json::to_string(&event).expect("an event serializes");
        assert_eq!(serde_json::from_str::<Event>(&json).expect("own JSON parses"), event);
        let mut registry = Registry::replay(WorkflowRules::default(), std::iter::empty()).expect("empty replay");
        let _ = registry.apply(&event);
    }
});
