//! Chapter 1: Threads. One module per exercise; the tests are in `tests/`.

pub mod panics;
pub mod parallel_sum;
pub mod spawn_all;
