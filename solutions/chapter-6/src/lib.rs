//! Chapter 6: Atomics, memory ordering, and loom. One module per exercise;
//! the tests are in `tests/`. Each exercise is compiled by its own two test
//! targets (its ordinary tests and its loom models), so this file is only
//! for reading and for the compile-fail tasks.

pub mod ring;
pub mod slot;
pub mod spin;
pub mod sync;
