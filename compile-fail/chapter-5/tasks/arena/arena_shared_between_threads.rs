//! Task (book: 5.8.3 An arena that moves): an `Arena` must never be `Sync`.
//! Two threads sharing one `&Arena` could both take the same slot in
//! `alloc`. Promise `Send` only; this program must not compile.
// expect: E0277
use chapter_5::arena::Arena;
use std::thread;

fn main() {
    let arena = Arena::with_capacity(2);
    thread::scope(|s| {
        s.spawn(|| arena.alloc(1).is_ok());
        s.spawn(|| arena.alloc(2).is_ok());
    });
}
