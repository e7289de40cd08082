//! The loom side of the exercises' `sync` module (book: 6.4 How loom works).
//! Given scaffolding: the `*_loom` test targets compile your exercise files
//! with this module as their `super::sync`, in place of `src/sync.rs`. Every
//! name here matches one there, so your code compiles against either.

pub use loom::hint::spin_loop;
pub use loom::sync::Arc;
pub use loom::sync::atomic::{AtomicUsize, Ordering, fence};

/// loom's `UnsafeCell`: it records every `with` and `with_mut`, and panics
/// when two of them, on different threads, are not ordered by
/// happens-before ("Causality violation").
pub use loom::cell::UnsafeCell;

/// loom's `AtomicBool`, with one repair.
///
/// loom 0.7.3 can let another thread's plain `store` fall between the read
/// and the write of a read-modify-write that writes, which the memory model
/// forbids (loom issues #254 and #389, open). A `swap(true)` that finds
/// `true` then seems to read an old value for ever, and a correct spin lock
/// built on `swap` fails its model. A `compare_exchange` that fails writes
/// nothing, and loom gets it right, so here a `swap` (and a `fetch_or` or
/// `fetch_and` that is one) is a `compare_exchange` from the other value:
/// the same result and the same orderings, without writing back the value
/// that is already there.
#[derive(Debug)]
pub struct AtomicBool(loom::sync::atomic::AtomicBool);

impl AtomicBool {
    pub fn new(value: bool) -> AtomicBool {
        AtomicBool(loom::sync::atomic::AtomicBool::new(value))
    }

    pub fn load(&self, order: Ordering) -> bool {
        self.0.load(order)
    }

    pub fn store(&self, value: bool, order: Ordering) {
        self.0.store(value, order)
    }

    pub fn swap(&self, value: bool, order: Ordering) -> bool {
        match self
            .0
            .compare_exchange(!value, value, order, failure(order))
        {
            Ok(old) | Err(old) => old,
        }
    }

    pub fn compare_exchange(
        &self,
        current: bool,
        new: bool,
        success: Ordering,
        failure: Ordering,
    ) -> Result<bool, bool> {
        self.0.compare_exchange(current, new, success, failure)
    }

    pub fn compare_exchange_weak(
        &self,
        current: bool,
        new: bool,
        success: Ordering,
        failure: Ordering,
    ) -> Result<bool, bool> {
        self.0.compare_exchange_weak(current, new, success, failure)
    }

    pub fn fetch_or(&self, value: bool, order: Ordering) -> bool {
        if value {
            self.swap(true, order)
        } else {
            self.0.fetch_or(false, order)
        }
    }

    pub fn fetch_and(&self, value: bool, order: Ordering) -> bool {
        if value {
            self.0.fetch_and(true, order)
        } else {
            self.swap(false, order)
        }
    }

    pub fn fetch_xor(&self, value: bool, order: Ordering) -> bool {
        self.0.fetch_xor(value, order)
    }

    pub fn into_inner(self) -> bool {
        self.0.into_inner()
    }
}

/// The ordering of the read alone, for a read-modify-write that fails.
fn failure(order: Ordering) -> Ordering {
    match order {
        Ordering::Release => Ordering::Relaxed,
        Ordering::AcqRel => Ordering::Acquire,
        other => other,
    }
}
