//! Helpers shared by Chapter 1's tests: a meeting point that only opens
//! when enough threads really run at once, and can say who came; a note
//! sent when a thread ends; and words for a panic payload.

use std::cell::RefCell;
use std::sync::mpsc::Sender;
use std::thread;
pub use test_support::{Arrival, Meeting, Round, describe_payload as describe};

/// Runs its closure when dropped.
struct OnDrop(Option<Box<dyn FnOnce()>>);

impl Drop for OnDrop {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f();
        }
    }
}

thread_local! {
    static AT_EXIT: RefCell<Vec<OnDrop>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` when the calling thread ends: after its closure has returned
/// or unwound, when its thread-local values are dropped. (That is after
/// `JoinHandle::is_finished` turns true, and before `join` returns.)
pub fn at_thread_end(f: impl FnOnce() + 'static) {
    AT_EXIT.with_borrow_mut(|notes| notes.push(OnDrop(Some(Box::new(f)))));
}

/// Sends `()` on `tx` when the calling thread ends (see [`at_thread_end`]).
pub fn tell_when_this_thread_ends(tx: Sender<()>) {
    at_thread_end(move || {
        let _ = tx.send(());
    });
}

/// How many threads this machine runs at once.
pub fn cores() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many threads "more than this machine runs at once" is: at least
/// `floor`, and always more than the machine's cores, so that an answer
/// that caps its threads at `available_parallelism()` (or at any small
/// number) cannot pass.
pub fn more_than_cores(floor: usize) -> usize {
    floor.max(cores() + 3).min(200)
}
