//! Tests for Chapter 4's exercises, one module per exercise.
//!
//!     cargo test -p chapter-4                 # all of them
//!     cargo test -p chapter-4 bank            # one exercise
//!     cargo test -p chapter-4-solution        # the same tests on the reference solution
//!
//! Every test runs under a watchdog, so code that hangs (a deadlock, above
//! all) fails within seconds with a hint instead of blocking `cargo test`
//! forever.

mod bank;
mod cache;
mod common;
mod philosophers;
mod poison;
mod stats;
