//! Integration tests of `ismap-workflow`, compiled into one binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a test failure"
)]

mod crash;
mod journal;
mod model;
mod queries;
mod rules_in_time;
mod support;
mod transitions;
