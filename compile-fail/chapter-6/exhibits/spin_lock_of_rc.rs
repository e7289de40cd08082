// With `unsafe impl<T: Send> Sync`, a lock of an `Rc` is not `Sync`: each
// holder in turn could clone the `Rc`, and the clones would share one plain
// count between threads.
use std::cell::UnsafeCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands its value to one thread at a time.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::Relaxed)
    }
}

fn main() {
    let lock = SpinLock {
        locked: AtomicBool::new(false),
        value: UnsafeCell::new(Rc::new(0_u64)),
    };
    thread::scope(|s| {
        s.spawn(|| lock.is_locked());
    });
    let _ = lock.value;
}
