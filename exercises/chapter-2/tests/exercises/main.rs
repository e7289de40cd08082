//! Tests for Chapter 2's exercises, one module per exercise.
//!
//!     cargo test -p chapter-2                    # all of them
//!     cargo test -p chapter-2 count_matches      # one exercise
//!     cargo test -p chapter-2-solution           # the same tests on the reference solution
//!
//! Every test runs under a watchdog, so code that hangs fails within seconds
//! with a hint instead of blocking `cargo test` forever.

mod background;
mod common;
mod count_matches;
mod rows;
