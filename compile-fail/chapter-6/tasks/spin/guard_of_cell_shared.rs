//! Task (book: 6.6.2 A spin lock with a guard): a `SpinGuard<T>` may be
//! shared between threads only when `T: Sync`. A guard derefs to `&T`, so
//! two threads sharing a guard of a `SpinLock<Cell<i32>>` could both call
//! `set` at once. Make the guard `Sync` only when `T` is (a marker field);
//! this program must not compile.
// expect: E0277
use chapter_6::spin::SpinLock;
use std::cell::Cell;
use std::thread;

fn main() {
    let lock = SpinLock::new(Cell::new(0));
    let guard = lock.lock();
    thread::scope(|s| {
        s.spawn(|| guard.set(1));
        s.spawn(|| guard.set(2));
    });
}
