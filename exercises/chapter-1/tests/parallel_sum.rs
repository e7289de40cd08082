//! The tests of exercise 1.7.2, Sum in parts:
//! `cargo test -p chapter-1 parallel_sum`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code)]
#[path = "../src"]
mod chapter_1 {
    pub mod parallel_sum;
}

/// In `chapter-1-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_1;

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "exercises/common.rs"]
mod common;

#[path = "exercises/parallel_sum.rs"]
mod parallel_sum;
