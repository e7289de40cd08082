//! Helpers shared by every chapter's exercise tests.
//!
//! [`watchdog`] runs a test body on its own thread and turns a hang (a
//! deadlock, a channel that never closes, a thread that is never joined)
//! into a test failure within seconds, with a hint that names the likely
//! cause and the book section that helps.
//!
//! The crate has no dependencies, so it costs the learner's edit-test loop
//! nothing. The compile-fail runners live in the `compile-fail` package.

mod watchdog;

pub use watchdog::{timeout, watchdog, watchdog_for};
