//! Integration tests of `cyder-scenario`, compiled into one binary.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test helpers outside #[test] functions")]

mod analysis;
mod fixtures;
mod golden;
mod props;
mod schema;
mod validation;
