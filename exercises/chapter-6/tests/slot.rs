//! The ordinary tests of exercise 6.6.1, A one-shot slot:
//! `cargo test -p chapter-6 slot` runs them, and the loom models in
//! `slot_loom.rs`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`, with `src/sync.rs` (std's atomics) as
/// its `sync`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code, unused_imports)]
#[path = "../src"]
mod chapter_6 {
    pub mod slot;
    pub mod sync;
}

/// In `chapter-6-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_6;

#[path = "exercises/slot.rs"]
mod slot;
