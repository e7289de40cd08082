//! Chapter 4: Shared state. One module per exercise; the tests are in `tests/`.

pub mod bank;
pub mod cache;
pub mod philosophers;
pub mod poison;
pub mod stats;
