//! A spin lock with a guard (book: 6.6.2).
//!
//! A lock made of one `AtomicBool`: a thread that finds it taken spins,
//! trying again and again, until the holder lets go. The guard gives access
//! to the data and unlocks when it is dropped, as `MutexGuard` does.

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

// TODO: which `SpinLock<T>`s may threads share? This promise says
// "all of them"; give it the bound it needs (book: 6.5 A spin lock).
unsafe impl<T> Sync for SpinLock<T> {}

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
        todo!("lock: false -> true in one step, or spin (book: 6.5 A spin lock)")
    }

    /// Takes the lock if it is free, without waiting.
    pub fn try_lock(&self) -> Option<SpinGuard<'_, T>> {
        todo!("try_lock: one try, no spinning (book: 6.5 A spin lock)")
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
    // TODO: `&SpinGuard` hands out `&T` (through `Deref`). Make the guard
    // `Sync` only when `T` is, and no stricter, with a marker field
    // (book: 5.5 How composition decides).
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
        todo!("unlock: let the next thread in (book: 6.5 A spin lock)")
    }
}
