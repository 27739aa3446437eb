//! Property tests of the control id parser: round trip and numeric ordering.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ismap_model::{ControlId, ControlLevel, Suffix};
use proptest::prelude::*;

fn suffix_for(depth: usize) -> impl Strategy<Value = Option<Suffix>> {
    let choices: Vec<Option<Suffix>> = match depth {
        1 => vec![None],
        2 | 3 => vec![None, Some(Suffix::P)],
        _ => vec![None, Some(Suffix::P), Some(Suffix::B), Some(Suffix::PB)],
    };
    proptest::sample::select(choices)
}

fn any_id() -> impl Strategy<Value = ControlId> {
    (1usize..=4)
        .prop_flat_map(|depth| (proptest::collection::vec(1u16..=9999, depth), suffix_for(depth)))
        .prop_map(|(nums, sfx)| ControlId::new(&nums, sfx).unwrap())
}

proptest! {
    #[test]
    fn display_parse_round_trip(id in any_id()) {
        let s = id.to_string();
        prop_assert_eq!(s.parse::<ControlId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        prop_assert_eq!(serde_json::from_str::<ControlId>(&json).unwrap(), id);
    }

    #[test]
    fn ordering_is_numeric(a in any_id(), b in any_id()) {
        let by_numbers = a.numbers().cmp(b.numbers());
        if by_numbers != std::cmp::Ordering::Equal {
            prop_assert_eq!(a.cmp(&b), by_numbers);
        }
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    }

    #[test]
    fn parent_is_one_level_up(id in any_id()) {
        match id.parent() {
            None => prop_assert_eq!(id.level(), ControlLevel::Domain),
            Some(p) => {
                prop_assert_eq!(Some(p.level()), id.level().parent());
                prop_assert!(id.is_descendant_of(&p));
            }
        }
    }

    #[test]
    fn never_panics_on_any_string(s in "\\PC{0,24}") {
        let _ = s.parse::<ControlId>();
    }

    #[test]
    fn parser_agrees_with_a_reference_matcher(s in "[0-9PB.]{1,16}") {
        prop_assert_eq!(s.parse::<ControlId>().is_ok(), reference_match(&s), "{}", s);
    }
}

/// A hand-written matcher equivalent to `CONTROL_ID_PATTERN`, for the agreement property.
fn reference_match(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    let last = *parts.last().unwrap();
    let (nums, sfx) =
        if matches!(last, "P" | "B" | "PB") { (&parts[..parts.len() - 1], Some(last)) } else { (&parts[..], None) };
    let nums_ok = !nums.is_empty()
        && nums.len() <= 4
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'));
    let sfx_ok = matches!((nums.len(), sfx), (_, None) | (2 | 3, Some("P")) | (4, Some(_)));
    nums_ok && sfx_ok
}

#[test]
fn string_order_differs_from_numeric() {
    let mut ids: Vec<ControlId> =
        ["9.2.10", "9.2.9", "10.1", "9.10", "9.2"].iter().map(|s| s.parse().unwrap()).collect();
    ids.sort();
    let got: Vec<String> = ids.iter().map(ToString::to_string).collect();
    assert_eq!(got, ["9.2", "9.2.9", "9.2.10", "9.10", "10.1"]);
}
