//! Spawn them all, then join (book: 1.7.1).

// ANSWER: use std::thread::JoinHandle;
use std::thread::{self, JoinHandle};
// END ANSWER

/// Starts every job on a thread of its own and returns the handles, in the
/// order of the jobs. Waits for none of them.
pub fn spawn_all<T, F>(jobs: Vec<F>) -> Vec<JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // ANSWER: todo!("spawn_all: start one thread per job (book: 1.3 Spawning a thread)")
    jobs.into_iter().map(thread::spawn).collect()
    // END ANSWER
}

/// Waits for every thread, in order, and collects what each one returned.
/// If a thread panicked, panics with the same payload.
pub fn join_all<T>(handles: Vec<JoinHandle<T>>) -> Vec<T> {
    // ANSWER: todo!("join_all: join every handle in order (book: 1.4 Waiting for a thread)")
    handles
        .into_iter()
        .map(|handle| match handle.join() {
            Ok(value) => value,
            Err(payload) => std::panic::resume_unwind(payload),
        })
        .collect()
    // END ANSWER
}
