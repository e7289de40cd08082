//! The tests of exercise 6.6.1, Jobs on n workers:
//! `cargo test -p chapter-7 workers`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code)]
#[path = "../src"]
mod chapter_7 {
    pub mod workers;
}

/// In `chapter-7-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_7;

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "exercises/common.rs"]
mod common;

#[path = "exercises/workers.rs"]
mod workers;
