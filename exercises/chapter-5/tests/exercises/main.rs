//! Tests for Chapter 5's exercises, one module per exercise.
//!
//!     cargo test -p chapter-5                 # all of them
//!     cargo test -p chapter-5 predict         # one exercise
//!     cargo test -p chapter-5-solution        # the same tests on the reference solution
//!
//! Every test runs under a watchdog, so code that hangs fails within seconds
//! with a hint instead of blocking `cargo test` forever.

mod arena;
mod common;
mod context;
mod predict;
