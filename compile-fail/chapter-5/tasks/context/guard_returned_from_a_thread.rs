//! Task (book: 5.8.2 A guard that stays home): a thread's result moves to
//! the thread that joins it, so a `ContextGuard` must not be one. Once
//! `ContextGuard` is `!Send`, this program no longer compiles.
// expect: E0277
use chapter_5::context::enter;
use std::thread;

fn main() {
    let guard = thread::spawn(|| enter("worker")).join().unwrap();
    drop(guard);
}
