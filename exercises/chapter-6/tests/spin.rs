//! The ordinary tests of exercise 6.6.2, A spin lock with a guard:
//! `cargo test -p chapter-6 spin` runs them, and the loom models in
//! `spin_loom.rs`.
//!
//! This test binary compiles your code for this exercise itself, so an edit
//! to it rebuilds this exercise's tests and no others.

/// The code under test: your `src/`, with `src/sync.rs` (std's atomics) as
/// its `sync`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code, unused_imports)]
#[path = "../src"]
mod chapter_6 {
    pub mod spin;
    pub mod sync;
}

/// In `chapter-6-solution`, which runs these same tests: the reference
/// solution's library.
#[cfg(feature = "reference")]
extern crate chapter_6;

#[path = "exercises/spin.rs"]
mod spin;
