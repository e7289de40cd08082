//! Helpers shared by every chapter's exercise tests.
//!
//! [`watchdog`] runs a test body on its own thread and turns a hang (a
//! deadlock, a channel that never closes, a thread that is never joined)
//! into a test failure within seconds, with a hint that names the likely
//! cause and the book section that helps.
//!
//! When a test hangs, [`watchdog_diagnosed`] says what the test observed
//! instead of a fixed guess; [`ThreadExits`] and [`record_panics`] observe
//! threads the code under test started: whether they ended, and whether they
//! panicked.
//!
//! [`Meeting`] opens only when enough threads really run a callback at
//! once, and says who came; [`describe_payload`] puts a panic payload in
//! words.
//!
//! [`compile_fail_tasks`] checks the programs that must stop compiling once
//! an exercise is done.
//!
//! The crate has no dependencies, so it costs the learner's edit-test loop
//! nothing. The exhibits' runner (trybuild) lives in the `compile-fail`
//! package.

mod meet;
mod observe;
mod tasks;
mod watchdog;

pub use meet::{Arrival, Meeting, Round, describe_payload};
pub use observe::{ThreadExits, panics_on, record_panics};
pub use tasks::compile_fail_tasks;
pub use watchdog::{timeout, watchdog, watchdog_diagnosed, watchdog_diagnosed_for, watchdog_for};
