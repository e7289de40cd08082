//! Task (book: 5.8.2 A guard that stays home): a `ContextGuard` must not
//! move to another thread. Dropped there, it would truncate that thread's
//! context and leave its own name behind. Make `ContextGuard` `!Send`; then
//! this program no longer compiles.
// expect: E0277
use chapter_5::context::{current, enter};
use std::thread;

fn main() {
    let guard = enter("main");
    thread::spawn(move || drop(guard)).join().unwrap();
    println!("{:?}", current());
}
