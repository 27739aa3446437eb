//! Limits (issue 6): each cap accepts an input just under it and rejects one just over it with
//! an error naming the limit, its value and the size found.
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests")]

use cyder_scenario::{DEFAULT_SCENARIO_YAML, Format, SAMPLE_LOG_YAML, load_scenario_with, parse_log_with};
use ismap_model::{LimitKind, Limits};

/// The smallest value of `kind`'s limit that `ok` accepts (searching upwards from 0).
fn smallest_accepted(kind: LimitKind, ok: impl Fn(&Limits) -> bool) -> usize {
    let with = |n| match kind {
        LimitKind::InputBytes => Limits::default().with_input_bytes(n),
        LimitKind::Depth => Limits::default().with_depth(n),
        LimitKind::Items => Limits::default().with_items(n),
        LimitKind::PathVisits => Limits::default().with_path_visits(n),
        _ => panic!("not used here"),
    };
    (0..100_000).find(|&n| ok(&with(n))).expect("some limit accepts the sample")
}

fn message_of_scenario(limits: &Limits) -> String {
    load_scenario_with(DEFAULT_SCENARIO_YAML, Format::Yaml, limits).unwrap_err().to_string()
}

#[test]
fn scenario_size_limit_is_exact() {
    let len = DEFAULT_SCENARIO_YAML.len();
    assert!(load_scenario_with(DEFAULT_SCENARIO_YAML, Format::Yaml, &Limits::default().with_input_bytes(len)).is_ok());
    let msg = message_of_scenario(&Limits::default().with_input_bytes(len - 1));
    assert!(
        msg.contains(&format!("input of {len} bytes exceeds the limit of {} bytes (`input_bytes`)", len - 1)),
        "{msg}"
    );
}

#[test]
fn scenario_nesting_limit_rejects_one_level_less_than_needed() {
    let ok = |l: &Limits| load_scenario_with(DEFAULT_SCENARIO_YAML, Format::Yaml, l).is_ok();
    let depth = smallest_accepted(LimitKind::Depth, ok);
    assert!(depth >= 1, "the sample has flow-style lists");
    let msg = message_of_scenario(&Limits::default().with_depth(depth - 1));
    assert!(msg.contains(&format!("exceeds the limit of {} levels (`depth`)", depth - 1)), "{msg}");
    // Deeply nested JSON stops at the limit, before the parser recurses.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = load_scenario_with(&deep, Format::Json, &Limits::default()).unwrap_err().to_string();
    assert!(e.contains("nesting of 65 levels exceeds the limit of 64 levels"), "{e}");
}

#[test]
fn scenario_graph_size_limit_counts_nodes_and_edges() {
    let ok = |l: &Limits| load_scenario_with(DEFAULT_SCENARIO_YAML, Format::Yaml, l).is_ok();
    let items = smallest_accepted(LimitKind::Items, ok);
    let doc = cyder_scenario::parse_document(DEFAULT_SCENARIO_YAML, Format::Yaml).unwrap();
    assert!(items > doc.attack_steps.len() + doc.tasks.len(), "edges count too: {items}");
    let msg = message_of_scenario(&Limits::default().with_items(items - 1));
    assert!(
        msg.contains(&format!("document of {items} items exceeds the limit of {} items (`items`)", items - 1)),
        "{msg}"
    );
}

#[test]
fn log_entry_limit_is_exact() {
    let n = cyder_scenario::sample_log().unwrap().entries.len();
    assert!(parse_log_with(SAMPLE_LOG_YAML, Format::Yaml, &Limits::default().with_items(n)).is_ok());
    let e = parse_log_with(SAMPLE_LOG_YAML, Format::Yaml, &Limits::default().with_items(n - 1)).unwrap_err();
    assert!(e.to_string().contains("(`items`)"), "{e}");
}

#[test]
fn attack_path_visit_limit_is_exact_and_typed() {
    let s = cyder_scenario::default_scenario().unwrap();
    let ok = |l: &Limits| s.attack_paths_within(50, 64, l).is_ok();
    let visits = smallest_accepted(LimitKind::PathVisits, ok);
    assert!(visits > 0);
    let full = s.attack_paths_within(50, 64, &Limits::default().with_path_visits(visits)).unwrap();
    assert_eq!(full, s.attack_paths(50, 64));
    let e = s.attack_paths_within(50, 64, &Limits::default().with_path_visits(visits - 1)).unwrap_err();
    assert_eq!((e.kind(), e.max(), e.actual()), (LimitKind::PathVisits, visits - 1, visits));
}
