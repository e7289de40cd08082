// Prints the table of Section 5.4 as Markdown. Every "yes" and "no" in it
// is the compiler's answer, worked out while it builds this program.

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::rc::{self, Rc};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard, RwLockReadGuard, mpsc};

// ANCHOR: probe
/// Asks the compiler whether `T` is `Send` and whether it is `Sync`.
struct Probe<T: ?Sized>(PhantomData<T>);

/// The fallback answer, "no", which every `Probe<T>` has.
trait Fallback {
    const SEND: bool = false;
    const SYNC: bool = false;
}
impl<T: ?Sized> Fallback for Probe<T> {}

// The answer "yes" exists only for the `T`s that meet the bound. When it
// exists, it wins: Rust looks for inherent items before trait items.
impl<T: ?Sized + Send> Probe<T> {
    const SEND: bool = true;
}
impl<T: ?Sized + Sync> Probe<T> {
    const SYNC: bool = true;
}

/// One row of the table: a type, the compiler's two answers, and why.
macro_rules! row {
    ($ty:ty, $why:literal) => {
        Row {
            name: stringify!($ty),
            send: <Probe<$ty>>::SEND,
            sync: <Probe<$ty>>::SYNC,
            why: $why,
        }
    };
}
// ANCHOR_END: probe

struct Row {
    name: &'static str,
    send: bool,
    sync: bool,
    why: &'static str,
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn main() {
    // ANCHOR: rows
    let mut rows = [
        row!(i32, "plain data"),
        row!(String, "owns its bytes: moving it moves them"),
        row!(&str, "a shared view of `str`, which is `Sync`"),
        row!(Arc<i32>, "counts its clones with atomic operations"),
        row!(Mutex<i32>, "lets one thread at a time reach the value"),
        row!(AtomicUsize, "changes through `&` with atomic instructions"),
        row!(mpsc::Sender<i32>, "`Sync` too since Rust 1.72"),
        row!(Cell<i32>, "changes through `&` with no synchronisation"),
        row!(RefCell<i32>, "keeps its borrow count in a plain integer"),
        row!(mpsc::Receiver<i32>, "one thread at a time may receive"),
        row!(MutexGuard<'_, i32>, "must unlock on the thread that locked"),
        row!(RwLockReadGuard<'_, i32>, "the same, for a read lock"),
        row!(Rc<i32>, "counts its clones with a plain integer"),
        row!(rc::Weak<i32>, "points at the same plain count"),
        row!(*const u8, "promises nothing about the data it points to"),
        row!(*mut u8, "the same"),
        row!(NonNull<u8>, "a raw pointer that is never null: the same"),
    ];
    // ANCHOR_END: rows
    // Send + Sync first, then Send only, then Sync only, then neither.
    rows.sort_by_key(|r| (!r.send, !r.sync));

    println!("| Type | `Send` | `Sync` | Why |");
    println!("|---|:-:|:-:|---|");
    for r in &rows {
        let (name, send, sync) = (r.name, yes_no(r.send), yes_no(r.sync));
        println!("| `{name}` | {send} | {sync} | {} |", r.why);
    }
}
