//! The tests of exercise 4.9.5, Dinner without deadlock:
//! `cargo test -p chapter-4 philosophers`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code)]
#[path = "../src"]
mod chapter_4 {
    pub mod philosophers;
}

/// In `chapter-4-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_4;

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "exercises/common.rs"]
mod common;

#[path = "exercises/philosophers.rs"]
mod philosophers;
