//! The tests of exercise 2.7.2, Count in parallel, without copying:
//! `cargo test -p chapter-2 count_matches`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code)]
#[path = "../src"]
mod chapter_2 {
    pub mod count_matches;
}

/// In `chapter-2-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_2;

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "exercises/common.rs"]
mod common;

#[path = "exercises/count_matches.rs"]
mod count_matches;
