//! Integration tests for the `okr` binary: one test binary, one harness.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod check_cache;
mod core;
mod errors;
mod everyday;
mod git;
mod guards;
mod hostile;
mod includes;
mod json_contract;
mod lint;
mod method;
mod packaging;
mod perf;
mod prefs;
mod report;
mod round;
mod sheets;
mod sources;
mod terminal;
mod trust;
mod truth;
mod width;
