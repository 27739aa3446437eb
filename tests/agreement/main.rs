//! Schema agreement, in the manner of schemars' own tests (`tests/integration/test_helper.rs`:
//! `assert_allows_ser_roundtrip`, `assert_rejects_de`, `assert_matches_de_roundtrip`), for every
//! committed schema under `schemas/`:
//!
//! - `samples`: every sample and golden document validates against its schema and reads back;
//! - `invalid`: the corpus under `tests/agreement/invalid/<kind>/*.json` is rejected by both
//!   serde and the schema;
//! - `differential`: random mutations of valid documents are accepted by serde exactly when the
//!   schema accepts them, except for the semantic checks listed in `ismap::schema::SEMANTIC_CHECKS`;
//! - `versions`: golden files per format version load, upgrade and serialize as expected.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod differential;
mod invalid;
mod samples;
mod support;
mod versions;

#[test]
fn every_committed_schema_is_a_kind_under_test() {
    let generated: Vec<&str> = ismap::schema::all().iter().map(|d| d.name).collect();
    let tested: Vec<&str> = support::KINDS.iter().map(|k| k.name).collect();
    assert_eq!(generated, tested);
}
