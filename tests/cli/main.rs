//! Integration tests for the `okr` binary: one test binary, one harness.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod core;
mod method;
mod report;
mod round;
mod sheets;
mod sources;
mod terminal;
