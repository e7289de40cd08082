//! The tests of exercise 2.7.1, A job in the background:
//! `cargo test -p chapter-2 background`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code)]
#[path = "../src"]
mod chapter_2 {
    pub mod background;
}

/// In `chapter-2-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_2;

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "exercises/common.rs"]
mod common;

#[path = "exercises/background.rs"]
mod background;
