//! A one-shot slot (book: 6.6.1).
//!
//! One thread puts a value in, once; another thread takes it out, once. No
//! lock: two atomic flags, with the right orderings, say who may touch the
//! value and when.

use std::mem::MaybeUninit;

use super::sync::{AtomicBool, Ordering, UnsafeCell};

/// Holds at most one value, ever: the first `publish` puts it in, and the
/// first `take` after that takes it out.
pub struct Slot<T> {
    /// Set by the first `publish`, so that no later one writes the value.
    claimed: AtomicBool,
    /// Set once the value is written; cleared by the `take` that takes it.
    ready: AtomicBool,
    /// Written only by the `publish` that set `claimed`; read only by the
    /// `take` that cleared `ready`. Uninitialised until then.
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: through a `&Slot<T>`, one thread can move a `T` in (`publish`)
// and another can move it out (`take`), so sharing a slot sends `T`s
// between threads: `T: Send` is needed. It is also enough: no two threads
// ever reach the value at the same time, because `claimed` lets one
// `publish` write it, and `ready` lets one `take` read it, only after that
// write happened-before (book: 6.2 Orderings).
unsafe impl<T: Send> Sync for Slot<T> {}

impl<T> Slot<T> {
    /// An empty slot.
    pub fn new() -> Slot<T> {
        Slot {
            claimed: AtomicBool::new(false),
            ready: AtomicBool::new(false),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// Puts `value` in the slot, unless a `publish` came first: then gives
    /// `value` back. Once this has returned `Ok`, a `take` on any thread
    /// finds the value, whole.
    pub fn publish(&self, value: T) -> Result<(), T> {
        // ANSWER: todo!("publish: claim the slot, write, announce (book: 6.2 Orderings)")
        // Claiming only decides who writes: no other memory hangs on it.
        if self.claimed.swap(true, Ordering::Relaxed) {
            return Err(value);
        }
        // SAFETY: this call set `claimed`, so no other `publish` writes the
        // value, and `ready` is not set yet, so no `take` reads it.
        self.value.with_mut(|slot| unsafe { (*slot).write(value) });
        // Release: whoever reads `true` here also sees the write above.
        self.ready.store(true, Ordering::Release);
        Ok(())
        // END ANSWER
    }

    /// Takes the value out, if it has been published and no `take` has
    /// taken it yet; otherwise returns `None`.
    pub fn take(&self) -> Option<T> {
        // ANSWER: todo!("take: clear the flag in one step, then read (book: 6.2 Orderings)")
        // One step: of two threads that call `take` at once, one gets `true`.
        // Acquire: pairs with the Release in `publish`, so the write of the
        // value happens-before the read below.
        if !self.ready.swap(false, Ordering::Acquire) {
            return None;
        }
        // SAFETY: this call cleared `ready`, so no other `take` reads the
        // value, and the Acquire above makes its write visible here.
        Some(
            self.value
                .with(|slot| unsafe { (*slot).assume_init_read() }),
        )
        // END ANSWER
    }
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot::new()
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        // `&mut self`: no other thread can reach the slot any more, and
        // whatever gave us this `&mut` (a `join`, the last `Arc`) ordered
        // their writes before now. Relaxed is enough.
        if self.ready.load(Ordering::Relaxed) {
            // SAFETY: `ready` is set, so the value was written and not taken.
            self.value
                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
        }
    }
}
