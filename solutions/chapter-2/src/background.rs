//! A job in the background (book: 2.7.1).

// ANSWER: use std::thread::JoinHandle;
use std::thread::{self, JoinHandle};
// END ANSWER

/// Starts `work(input)` on a new thread named `label` and returns at once
/// with the thread's handle. Joining the handle gives back what `work`
/// returned, or the job's panic as an `Err`.
///
/// The new thread owns `input` and `work`; nothing they hold may borrow
/// from the caller, who can return, or drop `label`, while the job runs.
///
// ANSWER: /// The bounds below are not yet enough for a thread: the body will not
// ANSWER: /// compile until you add what `thread::spawn` asks for. Keep the names and
// ANSWER: /// the parameter types as they are.
// ANSWER: ///
// END ANSWER
/// # Panics
///
/// If the operating system cannot start a thread.
pub fn run_in_background<T, R, F>(label: &str, input: T, work: F) -> JoinHandle<R>
where
    // ANSWER: T: Send,
    // ANSWER: R: Send,
    // ANSWER: F: FnOnce(T) -> R + Send,
    T: Send + 'static,
    R: Send + 'static,
    F: FnOnce(T) -> R + Send + 'static,
    // END ANSWER
{
    // ANSWER: todo!(
    // ANSWER:     "run_in_background: spawn a named thread that owns the job (book: 2.1 What spawn asks for)"
    // ANSWER: )
    thread::Builder::new()
        .name(label.to_owned())
        .spawn(move || work(input))
        .expect("the operating system refused to start a thread")
    // END ANSWER
}
