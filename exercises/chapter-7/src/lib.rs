//! Chapter 7: a thread pool, built in three stages, and a parallel job that
//! runs on it. One module per exercise; the tests are in `tests/`.

pub mod resilient;
pub mod shutdown;
pub mod word_count;
pub mod workers;
