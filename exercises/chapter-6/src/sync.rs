//! The atomics and the cell that this chapter's exercises are built on
//! (book: 6.4 How loom works). Given: you do not change this file.
//!
//! Your code names `AtomicBool`, `Ordering`, `UnsafeCell`, `spin_loop` and
//! the rest through this module, as `super::sync::AtomicBool`, and never
//! through `std` directly. For the ordinary tests, this module is `std`: the
//! types below are std's own, re-exported, and `UnsafeCell` is a thin
//! wrapper around std's. The loom models compile your very same file against
//! another `sync` module, `tests/loom/sync.rs`, whose types have the same
//! names and methods but are loom's, so that loom sees every atomic access
//! and every access to the cell.

pub use std::hint::spin_loop;
pub use std::sync::Arc;
pub use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering, fence};

/// `std::cell::UnsafeCell`, reached through the two methods that loom's
/// `UnsafeCell` has in place of `get`: the pointer is only lent to a
/// closure, so that loom can tell where each access starts and ends.
#[derive(Debug)]
pub struct UnsafeCell<T: ?Sized>(std::cell::UnsafeCell<T>);

impl<T> UnsafeCell<T> {
    /// A cell holding `value`.
    pub fn new(value: T) -> UnsafeCell<T> {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    /// The value, out of the cell.
    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

impl<T: ?Sized> UnsafeCell<T> {
    /// Calls `f` with a pointer to the value, to read through.
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// Calls `f` with a pointer to the value, to write through.
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}
