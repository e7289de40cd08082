//! Task (book: 6.6.2 A spin lock with a guard): a `SpinLock<T>` may be
//! shared between threads only when `T: Send`. Threads sharing a
//! `SpinLock<Rc<i32>>` could each clone the `Rc` under the lock, and the
//! clones would change one plain count from two threads. Put the right bound
//! on your `unsafe impl Sync`; this program must not compile.
// expect: E0277
use chapter_6::spin::SpinLock;
use std::rc::Rc;
use std::thread;

fn main() {
    let lock = SpinLock::new(Rc::new(5));
    thread::scope(|s| {
        s.spawn(|| drop(Rc::clone(&lock.lock())));
        s.spawn(|| drop(Rc::clone(&lock.lock())));
    });
}
