// Prints the table of generic types in Section 5.4 as Markdown. For each
// type, the compiler answers for four stand-ins for `T`, one from each
// quadrant; the program names the rule that fits all four answers.

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard, RwLock, mpsc};

struct Probe<T: ?Sized>(PhantomData<T>);
trait Fallback {
    const SEND: bool = false;
    const SYNC: bool = false;
}
impl<T: ?Sized> Fallback for Probe<T> {}
impl<T: ?Sized + Send> Probe<T> {
    const SEND: bool = true;
}
impl<T: ?Sized + Sync> Probe<T> {
    const SYNC: bool = true;
}

// ANCHOR: stand_ins
/// Asks about `$ty` with `$t` replaced by each of four stand-ins:
/// `i32` (Send + Sync), `Cell<i32>` (Send only),
/// `MutexGuard<i32>` (Sync only) and `Rc<i32>` (neither).
macro_rules! generic_row {
    ($name:literal, for<$t:ident> $ty:ty) => {{
        type Of<$t> = $ty;
        GenericRow {
            name: $name,
            send: [
                <Probe<Of<i32>>>::SEND,
                <Probe<Of<Cell<i32>>>>::SEND,
                <Probe<Of<MutexGuard<'static, i32>>>>::SEND,
                <Probe<Of<Rc<i32>>>>::SEND,
            ],
            sync: [
                <Probe<Of<i32>>>::SYNC,
                <Probe<Of<Cell<i32>>>>::SYNC,
                <Probe<Of<MutexGuard<'static, i32>>>>::SYNC,
                <Probe<Of<Rc<i32>>>>::SYNC,
            ],
        }
    }};
}

/// The rule that gives these four answers.
fn rule(answers: [bool; 4]) -> &'static str {
    match answers {
        [true, true, true, true] => "always",
        [true, true, false, false] => "`T: Send`",
        [true, false, true, false] => "`T: Sync`",
        [true, false, false, false] => "`T: Send + Sync`",
        [false, false, false, false] => "never",
        other => panic!("no simple rule gives {other:?}"),
    }
}
// ANCHOR_END: stand_ins

struct GenericRow {
    name: &'static str,
    send: [bool; 4],
    sync: [bool; 4],
}

fn main() {
    // The stand-ins really are one from each quadrant.
    let stand_ins = generic_row!("T", for<T> T);
    assert_eq!(stand_ins.send, [true, true, false, false]);
    assert_eq!(stand_ins.sync, [true, false, true, false]);

    let rows = [
        generic_row!("Box<T>", for<T> Box<T>),
        generic_row!("Vec<T>", for<T> Vec<T>),
        generic_row!("Option<T>", for<T> Option<T>),
        generic_row!("PhantomData<T>", for<T> PhantomData<T>),
        generic_row!("&T", for<T> &'static T),
        generic_row!("&mut T", for<T> &'static mut T),
        generic_row!("Rc<T>", for<T> Rc<T>),
        generic_row!("Arc<T>", for<T> Arc<T>),
        generic_row!("Cell<T>", for<T> Cell<T>),
        generic_row!("RefCell<T>", for<T> RefCell<T>),
        generic_row!("Mutex<T>", for<T> Mutex<T>),
        generic_row!("RwLock<T>", for<T> RwLock<T>),
        generic_row!("MutexGuard<'_, T>", for<T> MutexGuard<'static, T>),
        generic_row!("mpsc::Sender<T>", for<T> mpsc::Sender<T>),
        generic_row!("mpsc::Receiver<T>", for<T> mpsc::Receiver<T>),
    ];
    println!("| Type | `Send` when | `Sync` when |");
    println!("|---|---|---|");
    for r in &rows {
        println!("| `{}` | {} | {} |", r.name, rule(r.send), rule(r.sync));
    }
}
