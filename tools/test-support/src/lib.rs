//! Helpers shared by every chapter's tests.
//!
//! - [`watchdog`] runs a test body on its own thread and turns a hang
//!   (deadlock, a channel that never closes, a thread that is never joined)
//!   into a test failure within seconds, with a hint that names the likely
//!   cause and the book section that helps.
//! - [`compile_fail`] runs a chapter's compile-fail cases: the *exhibits*
//!   (fixed programs the compiler must reject, checked against trybuild
//!   snapshots) and the *tasks* (programs that use your crate and must stop
//!   compiling once you have done the exercise).

pub mod compile_fail;
mod watchdog;

pub use watchdog::{timeout, watchdog, watchdog_for};
