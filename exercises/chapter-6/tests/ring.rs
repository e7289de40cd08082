//! The ordinary tests of exercise 6.6.3, A ring buffer for two threads:
//! `cargo test -p chapter-6 ring` runs them, and the loom models in
//! `ring_loom.rs`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`, with `src/sync.rs` (std's atomics) as
/// its `sync`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code, unused_imports)]
#[path = "../src"]
mod chapter_6 {
    pub mod ring;
    pub mod sync;
}

/// In `chapter-6-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_6;

#[path = "exercises/ring.rs"]
mod ring;
