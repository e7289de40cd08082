//! The contract of `src/predict.rs`, clause by clause, and the tests that
//! check each one:
//!
//! - "`(type, is it Send?, is it Sync?)`. `None` means "not answered yet".":
//!   reference_counting, cells_and_references, locks_and_guards,
//!   channels_and_pointers
//! - "The tests find your answers by the type, so leave the names as they
//!   are.": reference_counting, cells_and_references, locks_and_guards,
//!   channels_and_pointers

use crate::chapter_5::predict::PREDICTIONS;
use crate::common::{is_send, is_sync};
use test_support::watchdog;

const QUADRANTS: &str = "book: 5.4 The four quadrants";
const CANNOT_HANG: &str = "these tests only read PREDICTIONS and cannot block; \
                           is the machine very busy? (book: 5.8.1 Predict the traits)";

/// What the compiler says about one type, and the rules that decide it.
struct Fact {
    ty: &'static str,
    send: bool,
    sync: bool,
    send_rule: &'static str,
    sync_rule: &'static str,
}

/// The compiler's answers for `$ty`, with the rules that explain them.
macro_rules! fact {
    ($ty:ty, send: $send_rule:literal, sync: $sync_rule:literal $(,)?) => {
        Fact {
            ty: stringify!($ty),
            send: is_send!($ty),
            sync: is_sync!($ty),
            send_rule: $send_rule,
            sync_rule: $sync_rule,
        }
    };
}

/// `Arc< Cell<i32> >` and `Arc<Cell<i32>>` are the same type.
fn same_type(a: &str, b: &str) -> bool {
    a.split_whitespace().collect::<String>() == b.split_whitespace().collect::<String>()
}

/// Compares the learner's answers with the compiler's and fails with every
/// missing or wrong one, and the rule that decides each wrong one.
fn check(topic: &str, facts: &[Fact]) {
    let mut problems = Vec::new();
    for fact in facts {
        let Some(&(_, send, sync)) = PREDICTIONS.iter().find(|(ty, ..)| same_type(ty, fact.ty))
        else {
            problems.push(format!(
                "- `{}`: PREDICTIONS has no row for this type. Keep every row of the \
                 starter, with the type written as it was.",
                fact.ty
            ));
            continue;
        };
        let mut unanswered = Vec::new();
        for (name, answer, truth, rule) in [
            ("Send", send, fact.send, fact.send_rule),
            ("Sync", sync, fact.sync, fact.sync_rule),
        ] {
            match answer {
                None => unanswered.push(name),
                Some(said) if said != truth => {
                    let (is, you) = if truth {
                        ("is", "is not")
                    } else {
                        ("is not", "is")
                    };
                    problems.push(format!(
                        "- `{}` {is} {name}, but you said it {you}.\n  Rule: {rule}",
                        fact.ty
                    ));
                }
                Some(_) => {}
            }
        }
        if !unanswered.is_empty() {
            problems.push(format!(
                "- `{}`: {}? Not answered yet: replace None with Some(true) or Some(false).",
                fact.ty,
                unanswered.join("? ")
            ));
        }
    }
    // Answers that would all be right with Send and Sync swapped.
    let swapped = !problems.is_empty()
        && facts.iter().all(|fact| {
            PREDICTIONS
                .iter()
                .find(|(ty, ..)| same_type(ty, fact.ty))
                .is_some_and(|&(_, send, sync)| send == Some(fact.sync) && sync == Some(fact.send))
        });
    if swapped {
        problems.push(
            "Every one of these answers would be right with its two columns swapped: each \
             row is `(type, is it Send?, is it Sync?)`, Send first."
                .to_owned(),
        );
    }
    assert!(
        problems.is_empty(),
        "\nSome of your answers about {topic} are missing or wrong. The compiler \
         decides; every rule is in the table of generic types ({QUADRANTS}).\n{}\n",
        problems.join("\n")
    );
}

#[test]
fn reference_counting() {
    watchdog(CANNOT_HANG, || {
        use std::cell::Cell;
        use std::rc::Rc;
        use std::sync::{Arc, Mutex};
        check(
            "reference counting",
            &[
                fact!(Rc<i32>,
                    send: "`Rc<T>` is never Send: a clone left behind would share the count, \
                           a plain integer, with the other thread.",
                    sync: "`Rc<T>` is never Sync: through `&Rc<T>` two threads could call \
                           `clone` at once and change the plain count together."),
                fact!(Arc<i32>,
                    send: "`Arc<T>` is Send when `T: Send + Sync`, and `i32` is both. Its count \
                           is atomic.",
                    sync: "`Arc<T>` is Sync when `T: Send + Sync`, and `i32` is both."),
                fact!(Arc<Cell<i32>>,
                    send: "`Arc<T>` is Send only when `T: Send + Sync`: a clone on another thread \
                           reaches the same `T` through `&T`. `Cell<i32>` is not Sync.",
                    sync: "`Arc<T>` is Sync only when `T: Send + Sync`. `Cell<i32>` is not Sync."),
                fact!(Arc<Mutex<Cell<i32>>>,
                    send: "`Mutex<T>` is Send and Sync when `T: Send`, and `Cell<i32>` is Send. \
                           So the `Arc` holds a `T` that is Send + Sync.",
                    sync: "`Mutex<T>` is Send and Sync when `T: Send`, and `Cell<i32>` is Send. \
                           So the `Arc` holds a `T` that is Send + Sync."),
                fact!(Arc<Mutex<Rc<i32>>>,
                    send: "`Mutex<T>` is Send or Sync only when `T: Send`, and `Rc<i32>` is not \
                           Send: a lock cannot protect the count that the Rc's clones outside \
                           it share. So the `Arc` is not Send either.",
                    sync: "`Mutex<Rc<i32>>` is not Sync, because `Rc<i32>` is not Send; so \
                           neither is the `Arc` around it."),
            ],
        );
    });
}

#[test]
fn cells_and_references() {
    watchdog(CANNOT_HANG, || {
        use std::cell::{Cell, RefCell};
        use std::sync::Mutex;
        check(
            "cells and references",
            &[
                fact!(Cell<i32>,
                    send: "`Cell<T>` is Send when `T: Send`: moving it moves the value, and \
                           the old thread keeps no way to reach it.",
                    sync: "`Cell<T>` is never Sync: `set` changes the value through `&Cell` \
                           with no synchronisation."),
                fact!(&RefCell<i32>,
                    send: "`&T` is Send exactly when `T: Sync`, and `RefCell<i32>` is not Sync: \
                           its borrow count is a plain integer.",
                    sync: "`&T` is Sync when `T: Sync`, and `RefCell<i32>` is not Sync."),
                fact!(&mut RefCell<i32>,
                    send: "`&mut T` is Send when `T: Send`: while it lives it is the only way \
                           to the `T`, as if it owned it. `RefCell<i32>` is Send.",
                    sync: "`&mut T` is Sync when `T: Sync`: through `& &mut T` you can only \
                           read. `RefCell<i32>` is not Sync."),
                fact!(&Mutex<Cell<i32>>,
                    send: "`&T` is Send when `T: Sync`, and `Mutex<Cell<i32>>` is Sync: \
                           `Mutex<T>` needs only `T: Send`.",
                    sync: "`&T` is Sync when `T: Sync`, and `Mutex<Cell<i32>>` is Sync."),
            ],
        );
    });
}

#[test]
fn locks_and_guards() {
    watchdog(CANNOT_HANG, || {
        use std::cell::Cell;
        use std::sync::{Mutex, MutexGuard, RwLock};
        check(
            "locks and guards",
            &[
                fact!(Mutex<Cell<i32>>,
                    send: "`Mutex<T>` is Send when `T: Send`, and `Cell<i32>` is Send.",
                    sync: "`Mutex<T>` is Sync when `T: Send`, not `T: Sync`: the lock lets one \
                           thread at a time reach the `Cell`, as if it had been sent there."),
                fact!(RwLock<Cell<i32>>,
                    send: "`RwLock<T>` is Send when `T: Send`.",
                    sync: "`RwLock<T>` is Sync only when `T: Send + Sync`: several readers hold \
                           `&T` at once, and a `Cell` must not be shared like that."),
                fact!(MutexGuard<'_, i32>,
                    send: "A `MutexGuard` is never Send: dropping it unlocks the mutex, and on \
                           some platforms only the thread that locked may unlock.",
                    sync: "`MutexGuard<T>` is Sync when `T: Sync`: `&MutexGuard` gives only \
                           `&T`, and `i32` is Sync."),
                fact!(MutexGuard<'_, Cell<i32>>,
                    send: "A `MutexGuard` is never Send: dropping it unlocks the mutex, and on \
                           some platforms only the thread that locked may unlock.",
                    sync: "`MutexGuard<T>` is Sync only when `T: Sync`: `&MutexGuard` gives \
                           `&T` to every thread that shares it. `Cell<i32>` is not Sync."),
            ],
        );
    });
}

#[test]
fn channels_and_pointers() {
    watchdog(CANNOT_HANG, || {
        use std::cell::Cell;
        use std::sync::mpsc;
        check(
            "channels and pointers",
            &[
                fact!(mpsc::Sender<i32>,
                    send: "`Sender<T>` is Send when `T: Send`.",
                    sync: "Since Rust 1.72, `Sender<T>` is Sync too, when `T: Send`: threads \
                           may share one `&Sender` and send through it."),
                fact!(mpsc::Receiver<i32>,
                    send: "`Receiver<T>` is Send when `T: Send`: it may move to the thread \
                           that will receive.",
                    sync: "`Receiver<T>` is never Sync: one thread at a time receives. To \
                           share one, put it in a `Mutex`."),
                fact!(*const u8,
                    send: "Raw pointers are never Send: they promise nothing about who else \
                           uses the data they point to.",
                    sync: "Raw pointers are never Sync, for the same reason."),
                fact!(Box<Cell<i32>>,
                    send: "`Box<T>` is Send when `T: Send`: the box owns its `T`. \
                           `Cell<i32>` is Send.",
                    sync: "`Box<T>` is Sync when `T: Sync`: `&Box<T>` gives `&T`. \
                           `Cell<i32>` is not Sync."),
            ],
        );
    });
}
