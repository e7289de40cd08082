//! The tests of exercise 5.8.3, An arena that moves:
//! `cargo test -p chapter-5 arena`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code)]
#[path = "../src"]
mod chapter_5 {
    pub mod arena;
}

/// In `chapter-5-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_5;

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "exercises/common.rs"]
mod common;

#[path = "exercises/arena.rs"]
mod arena;
