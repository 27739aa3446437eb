//! Integration tests of `ismap-workflow`, compiled into one binary.

mod crash;
mod journal;
mod model;
mod support;
mod transitions;
