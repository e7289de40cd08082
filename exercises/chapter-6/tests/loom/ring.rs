//! The ring buffer's loom models: the same ring, with loom's atomics and
//! cells, under every interleaving within the bound in `model.rs`.

use crate::chapter_6::ring::ring;
use crate::chapter_6::sync::spin_loop;
use crate::model::{self, hold};
use loom::thread;

#[test]
fn model_one_value_across() {
    model::check(
        "pop() read a value before its write was visible. The store of \
         `tail` in push must come after the write of the value and be Release, \
         and the load of `tail` in pop must be Acquire: the pair that orders \
         the write of the value before its read. (With fences instead: a \
         Release fence must come before the store, an Acquire fence after the \
         load.) (book: 6.2 Orderings)",
        || {
            let (producer, consumer) = ring(2);
            let (mut producer, mut consumer) = (hold(producer), hold(consumer));
            let pusher = thread::spawn(move || {
                assert_eq!(producer.push(7_usize), Ok(()), "an empty ring has room");
            });
            // Polls until the value is there. (A single early pop is not
            // enough: loom 0.7.3 can miss the execution where it sees the
            // value, loom issue #392; book: 6.4 How loom works.)
            let value = loop {
                match consumer.pop() {
                    Some(value) => break value,
                    None => spin_loop(),
                }
            };
            assert_eq!(value, 7, "pop read a value that was never pushed");
            assert_eq!(consumer.pop(), None, "one value was pushed, one popped");
            pusher.join().unwrap();
        },
    );
}

#[test]
fn model_reuse_after_pop() {
    model::check(
        "push() wrote into a place that pop() was still reading, or pop() \
         read a value before its write was visible. One of two pairs is wrong. \
         The place is freed by `head`: pop must read the value first and then \
         store `head`, with Release, and push must load `head` with Acquire \
         before it writes there again. The value is published by `tail`: \
         push's store of `tail` must be Release, and pop's load of `tail` \
         Acquire. (A Release fence counts only before the store it orders, \
         an Acquire fence only after the load.) (book: 6.2 Orderings)",
        || {
            // One place only: the second value reuses the first one's.
            let (producer, consumer) = ring(1);
            let (mut producer, mut consumer) = (hold(producer), hold(consumer));
            let pusher = thread::spawn(move || {
                for value in [1_usize, 2] {
                    let mut value = value;
                    while let Err(back) = producer.push(value) {
                        value = back;
                        spin_loop();
                    }
                }
            });
            let mut got = Vec::new();
            while got.len() < 2 {
                match consumer.pop() {
                    Some(value) => got.push(value),
                    None => spin_loop(),
                }
            }
            pusher.join().unwrap();
            assert_eq!(got, [1, 2], "values must come out whole and in order");
        },
    );
}
