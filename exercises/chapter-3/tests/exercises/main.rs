//! Tests for Chapter 3's exercises, one module per exercise.
//!
//!     cargo test -p chapter-3                 # all of them
//!     cargo test -p chapter-3 pipeline        # one exercise
//!     cargo test -p chapter-3-solution        # the same tests on the reference solution
//!
//! Every test runs under a watchdog, so code that hangs fails within seconds
//! with a hint instead of blocking `cargo test` forever.

mod bounded;
mod drain;
mod fan_in;
mod pipeline;
mod service;
