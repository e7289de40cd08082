//! The one-shot slot's loom models: the same `Slot`, with loom's atomics and
//! cell, under every interleaving within the bound in `model.rs`.

use crate::chapter_6::slot::Slot;
use crate::model::{self, hold};
use loom::sync::Arc;
use loom::thread;

#[test]
fn model_publish_then_take() {
    model::check(
        "take() found the flag set but not the value written. The store that \
         sets `ready` in publish must come after the write of the value and be \
         Release, and the swap that clears it in take must be Acquire: the one \
         pair that orders the write of the value before its read. (With fences \
         instead: a Release fence must come before the store of `ready`, and \
         an Acquire fence after the swap.) (book: 6.2 Orderings)",
        || {
            let slot = hold(Arc::new(Slot::new()));
            let publisher = {
                let slot = hold(Arc::clone(&slot));
                thread::spawn(move || slot.publish(7_usize).is_ok())
            };
            // Too early (None), or the whole value: nothing else. loom checks
            // the read of the value against its write, and fails the model
            // if the write does not happen-before the read.
            let early = slot.take();
            if let Some(value) = early {
                assert_eq!(value, 7, "take read a value that was never published");
            }
            assert!(publisher.join().unwrap(), "the only publish must succeed");
            let late = slot.take();
            if early.is_none() {
                assert_eq!(late, Some(7), "after join, the value must be there to take");
            } else {
                assert_eq!(late, None, "the value was taken already");
            }
        },
    );
}

#[test]
fn model_two_takers() {
    model::check(
        "two calls to take() both got the value. Reading `ready` and clearing \
         it must be one step, a swap (with Acquire), not a load and then a \
         store: another take can come in between (book: 6.1 What an atomic \
         gives you)",
        || {
            let slot = hold(Arc::new(Slot::new()));
            assert_eq!(slot.publish(7_usize), Ok(()));
            let takers: Vec<_> = (0..2)
                .map(|_| {
                    let slot = hold(Arc::clone(&slot));
                    thread::spawn(move || slot.take())
                })
                .collect();
            let got: Vec<usize> = takers
                .into_iter()
                .filter_map(|taker| taker.join().unwrap())
                .collect();
            assert_eq!(got, [7], "exactly one take must get the value");
        },
    );
}

#[test]
fn model_two_publishers() {
    model::check(
        "two calls to publish() both wrote the value. Reading `claimed` and \
         setting it must be one step, a swap, not a load and then a store: \
         another publish can come in between (book: 6.1 What an atomic gives \
         you)",
        || {
            let slot = hold(Arc::new(Slot::new()));
            let publishers: Vec<_> = [1_usize, 2]
                .into_iter()
                .map(|value| {
                    let slot = hold(Arc::clone(&slot));
                    thread::spawn(move || slot.publish(value).is_ok().then_some(value))
                })
                .collect();
            let winners: Vec<usize> = publishers
                .into_iter()
                .filter_map(|publisher| publisher.join().unwrap())
                .collect();
            assert_eq!(winners.len(), 1, "exactly one publish must succeed");
            assert_eq!(
                slot.take(),
                Some(winners[0]),
                "the winner's value is the one kept"
            );
        },
    );
}
