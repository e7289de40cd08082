//! A spin lock with a guard (book: 6.6.2).
//!
//! A lock made of one `AtomicBool`: a thread that finds it taken spins,
//! trying again and again, until the holder lets go. The guard gives access
//! to the data and unlocks when it is dropped, as `MutexGuard` does.

// ANSWER
use std::marker::PhantomData;
// END ANSWER
use std::ops::{Deref, DerefMut};

use super::sync::{AtomicBool, Ordering, UnsafeCell, spin_loop};

/// A value of type `T` that one thread at a time can reach, through the
/// guard that `lock` returns.
pub struct SpinLock<T> {
    /// `true` while some thread holds the lock.
    locked: AtomicBool,
    /// Reached only through a guard, so only by the thread holding the lock.
    value: UnsafeCell<T>,
}

// ANSWER: // TODO: which `SpinLock<T>`s may threads share? This promise says
// ANSWER: // "all of them"; give it the bound it needs (book: 6.5 A spin lock).
// ANSWER: unsafe impl<T> Sync for SpinLock<T> {}
// SAFETY: through a `&SpinLock<T>`, each thread in turn gets a `&mut T`,
// and can move a `T` out with it (`mem::replace`) and leave another in its
// place: sharing the lock sends `T`s between threads, so `T: Send` is
// needed. It is enough: the lock lets one thread at a time reach the value,
// and its Acquire and Release order each holder's accesses before the next
// one's. `T: Sync` is not needed, because no two threads ever hold a `&T`
// at once: that is what a lock is for (`Mutex<T>` asks for `T: Send` alone
// too).
unsafe impl<T: Send> Sync for SpinLock<T> {}
// END ANSWER

impl<T> SpinLock<T> {
    /// An unlocked lock around `value`.
    pub fn new(value: T) -> SpinLock<T> {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Waits, spinning, until the lock is free, takes it, and returns the
    /// guard that holds it.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        // ANSWER: todo!("lock: false -> true in one step, or spin (book: 6.5 A spin lock)")
        // One step from `false` to `true`: of two threads, only one succeeds.
        // Acquire on success: the last holder's writes are visible from here.
        // `_weak` may fail even when `locked` is false; the loop tries again.
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            spin_loop();
        }
        SpinGuard {
            lock: self,
            _not_sync: PhantomData,
        }
        // END ANSWER
    }

    /// Takes the lock if it is free, without waiting.
    pub fn try_lock(&self) -> Option<SpinGuard<'_, T>> {
        // ANSWER: todo!("try_lock: one try, no spinning (book: 6.5 A spin lock)")
        // The strong `compare_exchange`: a weak one could fail although the
        // lock is free, and this function tries only once.
        self.locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .ok()
            .map(|_| SpinGuard {
                lock: self,
                _not_sync: PhantomData,
            })
        // END ANSWER
    }

    /// The value, out of the lock.
    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }
}

/// Holds a `SpinLock` locked; gives access to its value; unlocks when
/// dropped.
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
    // ANSWER: // TODO: `&SpinGuard` hands out `&T` (through `Deref`). Make the guard
    // ANSWER: // `Sync` only when `T` is, and no stricter, with a marker field
    // ANSWER: // (book: 5.5 How composition decides).
    /// Makes the guard `Send` and `Sync` exactly when `&'a mut T` is: `Send`
    /// when `T: Send`, `Sync` when `T: Sync`. Without it, the guard would be
    /// `Sync` whenever the lock is, `T: Send` alone, and two threads sharing
    /// a `&SpinGuard<Cell<i32>>` could both call `set` (book: 5.5).
    _not_sync: PhantomData<&'a mut T>,
    // END ANSWER
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard exists, so its thread holds the lock: no other
        // thread reaches the value until the guard is dropped, and the
        // reference cannot outlive the guard.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; and `&mut self` makes this the only
        // reference that the guard hands out until it is given back.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        // ANSWER: todo!("unlock: let the next thread in (book: 6.5 A spin lock)")
        // Release: everything done under the lock is visible to the next
        // thread whose Acquire reads this `false`.
        self.lock.locked.store(false, Ordering::Release);
        // END ANSWER
    }
}
