//! Tests for Chapter 1's exercises, one module per exercise.
//!
//!     cargo test -p chapter-1                 # all of them
//!     cargo test -p chapter-1 spawn_all       # one exercise
//!     cargo test -p chapter-1-solution        # the same tests on the reference solution
//!
//! Every test runs under a watchdog, so code that hangs fails within seconds
//! with a hint instead of blocking `cargo test` forever.

mod panics;
mod parallel_sum;
mod spawn_all;
