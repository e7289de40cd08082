//! Catching a thread's panic (book: 1.7.3).

use std::any::Any;
// ANSWER
use std::thread;
// END ANSWER

/// What [`panic_message`] returns for a payload that is neither `&str` nor
/// `String`.
pub const NOT_TEXT: &str = "<a panic payload that is not text>";

/// The text a panic carried: `panic!("literal")` carries a `&'static str`,
/// `panic!("{x}")` a `String`; anything else (`std::panic::panic_any(7)`)
/// gives [`NOT_TEXT`].
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    // ANSWER: todo!("panic_message: downcast the payload (book: 1.5 When a thread panics)")
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        NOT_TEXT.to_owned()
    }
    // END ANSWER
}

/// Runs every job on a thread of its own, all at the same time, and reports
/// how each one ended, in the order of the jobs: `Ok` with what it returned,
/// or `Err` with its panic message. A panicking job does not stop the others.
pub fn run_isolated<T, F>(jobs: Vec<F>) -> Vec<Result<T, String>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // ANSWER: todo!("run_isolated: spawn, join, report panics (book: 1.5 When a thread panics)")
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();
    handles
        .into_iter()
        .map(|handle| handle.join().map_err(|payload| panic_message(&*payload)))
        .collect()
    // END ANSWER
}
