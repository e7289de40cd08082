//! Chapter 5: Send and Sync. One module per exercise; the tests are in `tests/`.

// `cargo clippy -p chapter-5` reports every `unsafe` block or impl without a
// `// SAFETY:` comment just above it (book: 5.6 Promising with unsafe impl).
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod arena;
pub mod context;
pub mod predict;
