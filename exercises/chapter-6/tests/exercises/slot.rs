//! The clauses of `publish` and `take` (every sentence of their doc
//! comments), each with the tests and loom models that fail without it:
//!
//! - "Puts `value` in the slot, unless a `publish` came first: then gives
//!   `value` back.": take_finds_what_publish_put_in,
//!   a_second_publish_gets_its_value_back, model_two_publishers
//! - "Once this has returned `Ok`, a `take` on any thread finds the value,
//!   whole.": a_value_crosses_to_another_thread, model_publish_then_take
//! - "Takes the value out, if it has been published and no `take` has taken
//!   it yet; otherwise returns `None`.": take_finds_what_publish_put_in,
//!   every_value_is_dropped_once, model_two_takers
//!
//! The one-shot slot's ordinary tests. They check what `publish` and `take`
//! do, on one thread and handed from one thread to another. They cannot
//! check the orderings: on this machine, a wrong one passes them all. The
//! loom models (`loom/slot.rs`) check those
//! (book: 6.3 A test that passes and is wrong).

use crate::chapter_6::slot::Slot;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use test_support::watchdog;

const STUCK: &str = "a `take` that never sees a published value, or a loop \
                     that waits for a flag that is never set \
                     (book: 6.6.1 A one-shot slot)";

#[test]
fn take_finds_what_publish_put_in() {
    watchdog(STUCK, || {
        let slot = Slot::new();
        assert_eq!(
            slot.take(),
            None,
            "take on an empty slot must return None (book: 6.6.1 A one-shot slot)"
        );
        assert_eq!(slot.publish(String::from("hello")), Ok(()));
        assert_eq!(
            slot.take().as_deref(),
            Some("hello"),
            "take after publish must return the value (book: 6.6.1 A one-shot slot)"
        );
        assert_eq!(
            slot.take(),
            None,
            "the value can be taken once: a second take must return None. Clear \
             the flag when you take the value (book: 6.6.1 A one-shot slot)"
        );
    });
}

#[test]
fn a_second_publish_gets_its_value_back() {
    watchdog(STUCK, || {
        let slot = Slot::new();
        assert_eq!(slot.publish(1), Ok(()));
        assert_eq!(
            slot.publish(2),
            Err(2),
            "the slot is one-shot: a second publish must give its value back \
             in Err (book: 6.6.1 A one-shot slot)"
        );
        assert_eq!(
            slot.take(),
            Some(1),
            "the first value stays (book: 6.6.1 A one-shot slot)"
        );
        assert_eq!(
            slot.publish(3),
            Err(3),
            "a slot that was taken from stays used: publish must still refuse \
             (book: 6.6.1 A one-shot slot)"
        );
        assert_eq!(slot.take(), None);
    });
}

/// Counts its drops, to check that every value is dropped exactly once.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn every_value_is_dropped_once() {
    watchdog(STUCK, || {
        let drops = Arc::new(AtomicUsize::new(0));
        let slot = Slot::new();
        slot.publish(Counted(Arc::clone(&drops)))
            .unwrap_or_else(|_| panic!("the first publish must succeed"));
        let refused = slot.publish(Counted(Arc::clone(&drops)));
        assert!(refused.is_err(), "the second publish must be refused");
        drop(refused);
        assert_eq!(
            drops.load(Ordering::Relaxed),
            1,
            "a refused value is given back to the caller, who drops it; the slot \
             must not drop or keep it (book: 6.6.1 A one-shot slot)"
        );
        drop(slot);
        assert_eq!(
            drops.load(Ordering::Relaxed),
            2,
            "a published value that nobody took is dropped with the slot \
             (book: 6.6.1 A one-shot slot)"
        );

        let slot = Slot::new();
        slot.publish(Counted(Arc::clone(&drops)))
            .unwrap_or_else(|_| panic!("the first publish must succeed"));
        let taken = slot.take();
        assert!(taken.is_some(), "take after publish must return the value");
        drop(slot);
        assert_eq!(
            drops.load(Ordering::Relaxed),
            2,
            "a value that was taken belongs to the taker: the slot must not drop \
             it again (book: 6.6.1 A one-shot slot)"
        );
        drop(taken);
        assert_eq!(drops.load(Ordering::Relaxed), 3);
    });
}

#[test]
fn a_value_crosses_to_another_thread() {
    watchdog(STUCK, || {
        for round in 0..100 {
            let slot = Arc::new(Slot::new());
            let (published_tx, published_rx) = mpsc::channel();
            let publisher = {
                let slot = Arc::clone(&slot);
                thread::spawn(move || {
                    let id = thread::current().id();
                    assert_eq!(slot.publish((round, id)), Ok(()));
                    published_tx.send(id).unwrap();
                })
            };
            let taker = {
                let slot = Arc::clone(&slot);
                thread::spawn(move || {
                    // Waits for the publisher's word, so that the value is
                    // there: this test checks that it arrives whole, not
                    // the race (the loom models check that).
                    let publisher = published_rx.recv().unwrap();
                    let (got, from) = slot
                        .take()
                        .expect("take after a finished publish must find the value");
                    assert_eq!(got, round);
                    assert_eq!(from, publisher, "the value came from another thread");
                    assert_ne!(from, thread::current().id());
                })
            };
            publisher.join().unwrap();
            taker.join().unwrap();
        }
    });
}

#[test]
fn a_slot_is_sync_for_send_values() {
    watchdog(STUCK, || {
        fn shared_by_threads<S: Sync + Send>() {}
        shared_by_threads::<Slot<String>>();
        shared_by_threads::<Slot<Vec<u8>>>();
        // Handed over through `Arc`, taken on the other side.
        let slot = Arc::new(Slot::new());
        slot.publish(vec![1u8, 2, 3]).unwrap();
        let theirs = Arc::clone(&slot);
        let got = thread::spawn(move || theirs.take()).join().unwrap();
        assert_eq!(got, Some(vec![1, 2, 3]));
    });
}
