//! Chapter 5: Send and Sync. One module per exercise; the tests are in `tests/`.

pub mod arena;
pub mod context;
pub mod predict;
