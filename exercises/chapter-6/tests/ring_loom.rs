//! The loom models of exercise 6.6.3, A ring buffer for two threads:
//! `cargo test -p chapter-6 ring` runs them, and the ordinary tests in
//! `ring.rs`.
//!
//! The same exercise file as there, compiled against loom's types: its
//! `sync` module here is `loom/sync.rs`, not `src/sync.rs` (book: 6.4
//! How loom works). Your code does not change; the types under it do.

/// The code under test: your `src/`, with loom's atomics and cell as its
/// `sync`. (Not every test uses every item.)
#[cfg(not(feature = "reference"))]
#[allow(dead_code, unused_imports)]
#[path = "../src"]
mod chapter_6 {
    pub mod ring;
    #[path = "../tests/loom/sync.rs"]
    pub mod sync;
}

/// In `chapter-6-solution`, which runs these same models: the reference
/// solution's source, compiled here against loom's types too.
#[cfg(feature = "reference")]
#[allow(dead_code, unused_imports)]
#[path = "../../../solutions/chapter-6/src"]
mod chapter_6 {
    pub mod ring;
    #[path = "../../../exercises/chapter-6/tests/loom/sync.rs"]
    pub mod sync;
}

#[path = "loom/model.rs"]
mod model;

#[path = "loom/ring.rs"]
mod ring;
