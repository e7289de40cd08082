use crate::chapter_3::fan_in::fan_in;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Barrier};
use std::thread;
use test_support::watchdog;

const SECTION: &str = "book: 3.8.2 Many producers, one collector";
const STUCK: &str = "fan_in did not return after every producer had finished. Its loop \
                     over the Receiver ends only when every Sender is gone, and the \
                     original Sender from mpsc::channel() is still alive in fan_in: drop \
                     it once each producer has its clone (book: 3.4 How a channel closes).";

/// A boxed producer, so that producers of different shapes fit in one Vec.
type Producer<T> = Box<dyn FnOnce(Sender<T>) + Send>;

/// A producer that sends `(id, 0)`, `(id, 1)`, ... `(id, count - 1)`.
fn counting(id: usize, count: usize) -> Producer<(usize, usize)> {
    Box::new(move |tx| {
        for seq in 0..count {
            tx.send((id, seq)).unwrap();
        }
    })
}

#[test]
fn collects_every_item_each_producer_in_its_own_order() {
    watchdog(STUCK, || {
        let producers = (0..4).map(|id| counting(id, 250)).collect();
        let mut arrived = Vec::new();
        fan_in(producers, |item| arrived.push(item));
        assert_eq!(
            arrived.len(),
            1000,
            "4 producers sent 250 items each ({SECTION})"
        );
        for id in 0..4 {
            let mine: Vec<usize> = arrived
                .iter()
                .filter(|(p, _)| *p == id)
                .map(|(_, seq)| *seq)
                .collect();
            assert!(
                mine == (0..250).collect::<Vec<_>>(),
                "producer {id}'s items must all arrive, in the order it sent them \
                 (book: 3.5 Several producers)"
            );
        }
    });
}

#[test]
fn no_producers_returns_at_once() {
    watchdog(STUCK, || {
        let mut calls = 0;
        fan_in(Vec::<Producer<u8>>::new(), |_| calls += 1);
        assert_eq!(calls, 0, "no producers, no items ({SECTION})");
    });
}

#[test]
fn the_producers_run_at_the_same_time() {
    watchdog(
        "the producers were not running at the same time. Here every producer \
         waits until all of them have started, so fan_in must start every \
         producer's thread before it waits for anything \
         (book: 1.4 Waiting for a thread).",
        || {
            let all_started = Arc::new(Barrier::new(3));
            let producers: Vec<Producer<usize>> = (0..3)
                .map(|id| {
                    let all_started = Arc::clone(&all_started);
                    Box::new(move |tx: Sender<usize>| {
                        all_started.wait();
                        tx.send(id).unwrap();
                    }) as Producer<usize>
                })
                .collect();
            let mut arrived = Vec::new();
            fan_in(producers, |id| arrived.push(id));
            arrived.sort();
            assert_eq!(arrived, [0, 1, 2], "{SECTION}");
        },
    );
}

#[test]
fn items_are_handed_over_while_the_producers_run() {
    watchdog(
        "an item was not handed to on_item while its producer was still running. \
         Here the producer waits until on_item has seen its first item before it \
         sends the second, so fan_in must receive and hand over items as they \
         arrive, not after joining the producers (book: 3.3 Receiving).",
        || {
            let (seen_tx, seen_rx) = mpsc::channel::<&str>();
            let producer: Producer<&str> = Box::new(move |tx| {
                tx.send("first").unwrap();
                assert_eq!(seen_rx.recv().ok(), Some("first"));
                tx.send("second").unwrap();
            });
            let mut arrived = Vec::new();
            fan_in(vec![producer], |item| {
                arrived.push(item);
                let _ = seen_tx.send(item);
            });
            assert_eq!(arrived, ["first", "second"], "{SECTION}");
        },
    );
}

#[test]
fn on_item_runs_on_the_calling_thread() {
    watchdog(STUCK, || {
        let caller = thread::current().id();
        let mut on_caller = 0;
        let producers = (0..3).map(|id| counting(id, 10)).collect();
        fan_in(producers, |_| {
            if thread::current().id() == caller {
                on_caller += 1;
            }
        });
        assert_eq!(
            on_caller, 30,
            "on_item must be called on the thread that called fan_in, once per item \
             ({SECTION})"
        );
    });
}

#[test]
fn a_sender_that_outlives_its_producer_still_counts() {
    watchdog(STUCK, || {
        // The producer hands its Sender to a helper thread and returns at
        // once; the helper sends only after the producer has returned. The
        // channel stays open as long as any Sender is alive, thread or not.
        let producer: Producer<u32> = Box::new(|tx| {
            let (returned_tx, returned_rx) = mpsc::channel::<()>();
            thread::spawn(move || {
                let _ = returned_rx.recv(); // Err once the producer has returned
                for n in 0..5 {
                    tx.send(n).unwrap();
                }
            });
            drop(returned_tx);
        });
        let mut arrived = Vec::new();
        fan_in(vec![producer], |n| arrived.push(n));
        assert_eq!(
            arrived,
            [0, 1, 2, 3, 4],
            "items sent by a clone of the Sender on another thread arrive too: collect \
             until every Sender is gone, not just until the producers have returned \
             (book: 3.4 How a channel closes)"
        );
    });
}

#[test]
fn a_producers_panic_is_passed_on_once_the_rest_is_collected() {
    watchdog(STUCK, || {
        let panicking: Producer<(usize, usize)> = Box::new(|tx| {
            tx.send((1, 0)).unwrap();
            tx.send((1, 1)).unwrap();
            panic!("producer 1 gave up");
        });
        let producers = vec![counting(0, 50), panicking, counting(2, 50)];
        let mut arrived = Vec::new();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            fan_in(producers, |item| arrived.push(item));
        }));
        assert_eq!(
            arrived.len(),
            102,
            "the other producers' items, and what the panicking one sent before it \
             panicked, must all be handed over ({SECTION})"
        );
        let payload = outcome.expect_err(
            "a producer panicked, so fan_in must panic too once every item is handed over",
        );
        assert_eq!(
            payload.downcast_ref::<&str>(),
            Some(&"producer 1 gave up"),
            "fan_in must panic with the producer's own payload: join each producer and \
             pass its Err on with std::panic::resume_unwind (book: 1.5 When a thread panics)"
        );
    });
}
