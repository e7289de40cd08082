//! A job in the background (book: 2.7.1).

use std::thread::{self, JoinHandle};

/// Starts `work(input)` on a new thread named `label` and returns at once
/// with the thread's handle. Joining the handle gives back what `work`
/// returned, or the job's panic as an `Err`.
///
/// The new thread owns `input` and `work`; nothing they hold may borrow
/// from the caller, who can return, or drop `label`, while the job runs.
///
/// # Panics
///
/// If the operating system cannot start a thread.
pub fn run_in_background<T, R, F>(label: &str, input: T, work: F) -> JoinHandle<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: FnOnce(T) -> R + Send + 'static,
{
    thread::Builder::new()
        .name(label.to_owned())
        .spawn(move || work(input))
        .expect("the operating system refused to start a thread")
}
