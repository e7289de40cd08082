// Prints the table of Section 5.5: what the compiler decides for structs
// from their fields.

use std::cell::Cell;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::MutexGuard;

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

// ANCHOR: structs
struct Order {
    id: u32,
    items: Vec<String>,
}

struct Memo {
    id: u32,
    cached: Cell<Option<u64>>,
}

struct Report {
    id: u32,
    authors: Rc<Vec<String>>,
}

struct Pair<A, B> {
    first: A,
    second: B,
}

/// Opted out of both: PhantomData<*const ()> is neither Send nor Sync.
struct ThreadBound {
    id: u32,
    _not_send: PhantomData<*const ()>,
}

/// Opted out of Sync only: a Cell is Send but not Sync.
struct NotShared {
    id: u32,
    _not_sync: PhantomData<Cell<()>>,
}
// ANCHOR_END: structs

macro_rules! row {
    ($ty:ty, $fields:literal) => {
        (
            stringify!($ty),
            $fields,
            <Probe<$ty>>::SEND,
            <Probe<$ty>>::SYNC,
        )
    };
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn main() {
    let rows = [
        row!(Order, "`u32`, `Vec<String>`"),
        row!(Memo, "`u32`, `Cell<Option<u64>>`"),
        row!(Report, "`u32`, `Rc<Vec<String>>`"),
        row!(Pair<String, Cell<u8>>, "`String`, `Cell<u8>`"),
        row!(Pair<String, MutexGuard<'_, u8>>, "`String`, `MutexGuard<'_, u8>`"),
        row!(ThreadBound, "`u32`, `PhantomData<*const ()>`"),
        row!(NotShared, "`u32`, `PhantomData<Cell<()>>`"),
    ];
    println!("| Type | Fields | `Send` | `Sync` |");
    println!("|---|---|:-:|:-:|");
    for (name, fields, send, sync) in rows {
        println!(
            "| `{name}` | {fields} | {} | {} |",
            yes_no(send),
            yes_no(sync)
        );
    }

    // Read every field once, so that no field is dead code.
    let order = Order {
        id: 1,
        items: vec![String::from("tea")],
    };
    let memo = Memo {
        id: 2,
        cached: Cell::new(None),
    };
    let report = Report {
        id: 3,
        authors: Rc::new(Vec::new()),
    };
    let pair = Pair {
        first: 4,
        second: 5,
    };
    let bound = ThreadBound {
        id: 6,
        _not_send: PhantomData,
    };
    let not_shared = NotShared {
        id: 7,
        _not_sync: PhantomData,
    };
    let ids = [
        order.id,
        memo.id,
        report.id,
        pair.first,
        pair.second,
        bound.id,
        not_shared.id,
    ];
    let sizes = order.items.len() + report.authors.len() + memo.cached.get().map_or(0, |_| 1);
    assert_eq!((ids.len(), sizes), (7, 1));
}
