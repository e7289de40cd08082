//! A job in the background (book: 2.7.1).

use std::thread::JoinHandle;

/// Starts `work(input)` on a new thread named `label` and returns at once
/// with the thread's handle. Joining the handle gives back what `work`
/// returned, or the job's panic as an `Err`.
///
/// The new thread owns `input` and `work`; nothing they hold may borrow
/// from the caller, who can return, or drop `label`, while the job runs.
///
/// The bounds below are not yet enough for a thread: the body will not
/// compile until you add what `thread::spawn` asks for. Keep the names and
/// the parameter types as they are.
///
/// # Panics
///
/// If the operating system cannot start a thread.
pub fn run_in_background<T, R, F>(label: &str, input: T, work: F) -> JoinHandle<R>
where
    T: Send,
    R: Send,
    F: FnOnce(T) -> R + Send,
{
    todo!(
        "run_in_background: spawn a named thread that owns the job (book: 2.1 What spawn asks for)"
    )
}
