//! Task (book: 5.8.3 An arena that moves): `Arena<T>` may be `Send` only
//! when `T` is. An `Arena<Rc<i32>>` sent away would leave a clone of its
//! `Rc` behind, sharing one plain count between two threads. Put the right
//! bound on your `unsafe impl Send`; this program must not compile.
// expect: E0277
use chapter_5::arena::Arena;
use std::rc::Rc;
use std::thread;

fn main() {
    let shared = Rc::new(5);
    let arena = Arena::with_capacity(1);
    arena.alloc(Rc::clone(&shared)).unwrap();
    thread::spawn(move || drop(arena)).join().unwrap();
    println!("{shared}");
}
