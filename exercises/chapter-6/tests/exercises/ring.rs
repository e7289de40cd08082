//! The clauses of `push` and `pop` (every sentence of their doc comments),
//! each with the tests and loom models that fail without it:
//!
//! - "Puts `value` at the back of the queue, or gives it back if the queue
//!   is full.": values_come_out_in_the_order_they_went_in,
//!   the_indices_wrap_around, model_one_value_across, model_reuse_after_pop
//! - "Takes the value at the front of the queue, if there is one.":
//!   values_come_out_in_the_order_they_went_in, every_value_is_dropped_once,
//!   values_cross_between_two_threads_taking_turns, model_one_value_across
//!
//! The ring buffer's ordinary tests. They check what `push` and `pop` do,
//! on one thread and between two threads that take turns. They never let
//! the producer and the consumer race: such a test passes or fails by luck.
//! The loom models (`loom/ring.rs`) race them, under every interleaving
//! (book: 6.3 A test that passes and is wrong).

use crate::chapter_6::ring::{Consumer, Producer, ring};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use test_support::watchdog;

const STUCK: &str = "a push or pop that waits, or a loop that never sees the \
                     other end's progress (book: 6.6.3 A ring buffer for two \
                     threads)";

#[test]
fn values_come_out_in_the_order_they_went_in() {
    watchdog(STUCK, || {
        let (mut producer, mut consumer) = ring(3);
        assert_eq!(producer.capacity(), 3);
        assert_eq!(
            consumer.pop(),
            None,
            "pop on an empty ring must return None \
             (book: 6.6.3 A ring buffer for two threads)"
        );
        for n in 1..=3 {
            assert_eq!(
                producer.push(n),
                Ok(()),
                "push of value {n} into a ring of capacity 3 was refused: there is room \
                 for 3 values. The ring is full when tail - head == capacity (wrapping), \
                 not one place earlier (book: 6.6.3 A ring buffer for two threads)"
            );
        }
        assert_eq!(
            producer.push(4),
            Err(4),
            "a full ring must give the value back in Err \
             (book: 6.6.3 A ring buffer for two threads)"
        );
        assert_eq!(consumer.pop(), Some(1), "first in, first out");
        assert_eq!(producer.push(4), Ok(()), "a pop makes room for one more");
        let rest: Vec<i32> = std::iter::from_fn(|| consumer.pop()).collect();
        assert_eq!(rest, [2, 3, 4], "first in, first out");
        assert_eq!(consumer.pop(), None);
    });
}

#[test]
fn the_indices_wrap_around() {
    watchdog(STUCK, || {
        let (mut producer, mut consumer) = ring(2);
        for n in 0..1_000 {
            assert_eq!(producer.push(n), Ok(()));
            assert_eq!(
                producer.push(n + 1_000),
                Ok(()),
                "a ring of capacity 2 holding 1 value refused a second: it has room \
                 for 2. Full is tail - head == capacity (wrapping), not one place \
                 earlier (book: 6.6.3 A ring buffer for two threads)"
            );
            assert_eq!(
                producer.push(-1),
                Err(-1),
                "2 values fill a ring of 2: a third push must be refused, or it \
                 overwrites a value not read yet (book: 6.6.3 A ring buffer for two \
                 threads)"
            );
            assert_eq!(consumer.pop(), Some(n), "value {n} came out wrong");
            assert_eq!(consumer.pop(), Some(n + 1_000));
            assert_eq!(consumer.pop(), None);
        }
    });
}

/// Value number `.0`; its drop counts in `.1[.0]`.
struct Counted(usize, Arc<[AtomicUsize; 3]>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.1[self.0].fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn every_value_is_dropped_once() {
    watchdog(STUCK, || {
        let drops: Arc<[AtomicUsize; 3]> = Arc::new(Default::default());
        let counts = |drops: &[AtomicUsize; 3]| drops.each_ref().map(|d| d.load(Ordering::Relaxed));
        let (mut producer, mut consumer) = ring(4);
        for id in 0..3 {
            assert!(producer.push(Counted(id, Arc::clone(&drops))).is_ok());
        }
        let popped = consumer.pop();
        assert!(popped.is_some(), "pop after push must return a value");
        assert_eq!(
            counts(&drops),
            [0, 0, 0],
            "pop moves the value out: the ring must not drop it \
             (book: 6.6.3 A ring buffer for two threads)"
        );
        drop(producer);
        drop(consumer);
        assert_eq!(
            counts(&drops),
            [0, 1, 1],
            "drops of values 0, 1 and 2: the 2 values still queued (1 and 2) are \
             dropped with the ring, once each, and the one popped (0) is not \
             (book: 6.6.3 A ring buffer for two threads)"
        );
        drop(popped);
        assert_eq!(counts(&drops), [1, 1, 1]);
    });
}

#[test]
fn values_cross_between_two_threads_taking_turns() {
    watchdog(STUCK, || {
        fn sent_to_threads<S: Send>() {}
        sent_to_threads::<Producer<String>>();
        sent_to_threads::<Consumer<String>>();
        let (mut producer, mut consumer) = ring(2);
        let (pushed_tx, pushed_rx) = mpsc::channel();
        let (popped_tx, popped_rx) = mpsc::channel::<()>();
        let producer = thread::spawn(move || {
            for n in 0..500 {
                producer
                    .push((n, thread::current().id()))
                    .unwrap_or_else(|_| panic!("the ring has room: value {n} was popped"));
                pushed_tx.send(()).unwrap();
                // Waits for the pop: this test checks that values arrive
                // whole and in order, not the race (the loom models do).
                popped_rx.recv().unwrap();
            }
        });
        let consumer = thread::spawn(move || {
            for n in 0..500 {
                pushed_rx.recv().unwrap();
                let (got, from) = consumer
                    .pop()
                    .expect("pop after a finished push must find the value");
                assert_eq!(got, n, "values must come out in order");
                assert_ne!(from, thread::current().id(), "it came from the producer");
                popped_tx.send(()).unwrap();
            }
        });
        producer.join().unwrap();
        consumer.join().unwrap();
    });
}
