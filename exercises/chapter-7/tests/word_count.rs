//! The tests of exercise 6.6.4, Word frequencies on the pool:
//! `cargo test -p chapter-7 word_count`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code)]
#[path = "../src"]
mod chapter_7 {
    pub mod resilient;
    pub mod shutdown;
    pub mod word_count;
    pub mod workers;
}

/// In `chapter-7-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_7;

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "exercises/common.rs"]
mod common;

#[path = "exercises/word_count.rs"]
mod word_count;
