//! Tests for Chapter 6's exercises, one module per exercise.
//!
//!     cargo test -p chapter-6                 # all of them
//!     cargo test -p chapter-6 workers         # one exercise
//!     cargo test -p chapter-6-solution        # the same tests on the reference solution
//!
//! Every test runs under a watchdog, so code that hangs fails within seconds
//! with a hint instead of blocking `cargo test` forever.

mod common;
mod resilient;
mod shutdown;
mod word_count;
mod workers;
