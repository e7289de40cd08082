// A spin lock with no `unsafe impl Sync`: its `UnsafeCell` makes it `!Sync`,
// so threads cannot share it, whatever is inside.
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

impl<T> SpinLock<T> {
    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::Relaxed)
    }
}

fn main() {
    let lock = SpinLock {
        locked: AtomicBool::new(false),
        value: UnsafeCell::new(0_u64),
    };
    thread::scope(|s| {
        s.spawn(|| lock.is_locked());
    });
    let _ = lock.value;
}
