//! The contract of `fan_in`, clause by clause, and the tests that check
//! each one:
//!
//! - "Runs every producer on a thread of its own, all at the same time.": the_producers_run_at_the_same_time, every_number_of_producers_and_items, a_producers_panic_is_passed_on_once_the_rest_is_collected
//! - "Each producer gets a `Sender` of one shared channel and sends any number of items through it.": collects_every_item_each_producer_in_its_own_order, every_number_of_producers_and_items
//! - "Meanwhile `fan_in` hands every item, as it arrives, to `on_item`, on the calling thread.": items_are_handed_over_while_the_producers_run, on_item_runs_on_the_calling_thread
//! - "Returns once every `Sender` is gone (usually: every producer has finished) and every item has been handed over.": no_producers_returns_at_once, a_sender_that_outlives_its_producer_still_counts, collects_every_item_each_producer_in_its_own_order, every_number_of_producers_and_items
//! - "If a producer panicked, `fan_in` then panics with that producer's payload.": a_producers_panic_is_passed_on_once_the_rest_is_collected
//!
//! Every producer the tests give `fan_in` reports when it starts and when
//! it returns, and every item reports when `on_item` sees it; so a test
//! that hangs says what it saw: which producers never started, which are
//! still running and what they wait for, or that every producer has
//! returned and `fan_in` still waits (a `Sender` is still alive).

use crate::chapter_3::fan_in::fan_in;
use crate::common::{diagnose_with, own_tid, plural, run_with, state_of};
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;
use test_support::{ThreadExits, watchdog_diagnosed, watchdog_diagnosed_for};

const SECTION: &str = "book: 3.8.2 Many producers, one collector";

/// A boxed producer, so that producers of different shapes fit in one Vec.
type Producer<T> = Box<dyn FnOnce(Sender<T>) + Send>;

/// What the test saw of one call of `fan_in`, shared with its diagnosis.
#[derive(Clone, Default)]
struct Seen {
    state: Arc<SeenState>,
}

#[derive(Default)]
struct SeenState {
    producers: AtomicUsize,
    started: AtomicUsize,
    /// Producers that have returned or panicked.
    ended: AtomicUsize,
    panicked: AtomicUsize,
    /// Items handed to `on_item`.
    handed: AtomicUsize,
    in_fan_in: AtomicBool,
    caller_tid: AtomicU64,
    /// The threads the producers ran on.
    threads: Mutex<Vec<ThreadId>>,
}

/// Counts a producer as ended when it returns or unwinds.
struct Ended(Arc<SeenState>);

impl Drop for Ended {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.panicked.fetch_add(1, SeqCst);
        }
        self.0.ended.fetch_add(1, SeqCst);
    }
}

impl Seen {
    /// Wraps the producers so that each reports its start and its end.
    fn watch<T: Send + 'static>(&self, producers: Vec<Producer<T>>) -> Vec<Producer<T>> {
        let s = &self.state;
        for counter in [&s.started, &s.ended, &s.panicked, &s.handed] {
            counter.store(0, SeqCst);
        }
        s.producers.store(producers.len(), SeqCst);
        s.threads.lock().unwrap().clear();
        producers
            .into_iter()
            .map(|producer| {
                let state = Arc::clone(&self.state);
                Box::new(move |tx: Sender<T>| {
                    state.threads.lock().unwrap().push(thread::current().id());
                    state.started.fetch_add(1, SeqCst);
                    let _ended = Ended(Arc::clone(&state));
                    producer(tx);
                }) as Producer<T>
            })
            .collect()
    }

    /// `fan_in(producers, on_item)`, watched.
    fn fan_in<T: Send + 'static>(&self, producers: Vec<Producer<T>>, mut on_item: impl FnMut(T)) {
        let producers = self.watch(producers);
        let s = &self.state;
        s.caller_tid.store(own_tid(), SeqCst);
        s.in_fan_in.store(true, SeqCst);
        let handed = &s.handed;
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            fan_in(producers, |item| {
                handed.fetch_add(1, SeqCst);
                on_item(item);
            })
        }));
        s.in_fan_in.store(false, SeqCst);
        if let Err(payload) = outcome {
            panic::resume_unwind(payload);
        }
    }

    /// The threads the producers ran on.
    fn threads(&self) -> Vec<ThreadId> {
        self.state.threads.lock().unwrap().clone()
    }

    /// What a stuck test saw. `waiting` says what this test's producers
    /// wait for while they run. Never blocks.
    fn diagnosis(&self, waiting: &str) -> String {
        let s = &self.state;
        let n = s.producers.load(SeqCst);
        let started = s.started.load(SeqCst);
        let ended = s.ended.load(SeqCst);
        let panicked = s.panicked.load(SeqCst);
        let handed = s.handed.load(SeqCst);
        if !s.in_fan_in.load(SeqCst) {
            return format!("the test got stuck outside fan_in ({SECTION}).");
        }
        if started < n {
            return format!(
                "only {started} of the {n} producers {} started, and fan_in waits: it \
                 must start every producer's thread before it waits for anything (a \
                 producer to return, or an item), so that they all run at the same time. \
                 {waiting} (book: 1.4 Waiting for a thread)",
                if started == 1 { "has" } else { "have" }
            );
        }
        if ended < n {
            return format!(
                "{} started, {ended} returned, and on_item has seen {}. {waiting}",
                if n == 1 {
                    "the 1 producer has".to_owned()
                } else {
                    format!("all {n} producers have")
                },
                plural(handed, "item")
            );
        }
        let returned = if n == 0 {
            "there are no producers".to_owned()
        } else if n == 1 {
            "the 1 producer has returned".to_owned()
        } else {
            format!("all {n} producers have returned")
        };
        let how = if panicked > 0 {
            format!(" ({panicked} by panicking)")
        } else {
            String::new()
        };
        let doing = match state_of(s.caller_tid.load(SeqCst)) {
            Some('R') => " (and its thread is running, not waiting: it loops without end)",
            _ => "",
        };
        format!(
            "{returned}{how} and on_item has seen {}, but fan_in has not returned{doing}. \
             Its loop over the Receiver ends only when every Sender is gone, and one is \
             still alive: most likely the original Sender from mpsc::channel(), still in \
             fan_in. Drop it once each producer has its clone. (If fan_in does drop it, \
             look for another clone that outlives the producers: kept in a Vec, a struct, \
             or a thread of fan_in's own.) (book: 3.4 How a channel closes).",
            plural(handed, "item")
        )
    }
}

/// A producer that sends `(id, 0)`, `(id, 1)`, ... `(id, count - 1)`.
fn counting(id: usize, count: usize) -> Producer<(usize, usize)> {
    Box::new(move |tx| {
        for seq in 0..count {
            tx.send((id, seq)).unwrap();
        }
    })
}

/// Checks that every producer's items arrived, each in its own order.
fn check_items(arrived: &[(usize, usize)], counts: &[usize]) {
    let total: usize = counts.iter().sum();
    assert_eq!(
        arrived.len(),
        total,
        "{} producers sent {total} items in all, and on_item saw {}: every item must be \
         handed over, and fan_in must not return before the last one ({SECTION})",
        counts.len(),
        arrived.len()
    );
    for (id, &count) in counts.iter().enumerate() {
        let mine: Vec<usize> = arrived
            .iter()
            .filter(|(p, _)| *p == id)
            .map(|(_, seq)| *seq)
            .collect();
        assert!(
            mine == (0..count).collect::<Vec<_>>(),
            "producer {id}'s items must all arrive, in the order it sent them \
             (book: 3.5 Several producers)"
        );
    }
}

/// Checks that the producers ran on `n` threads of their own.
fn check_threads(seen: &Seen, n: usize) {
    let threads = seen.threads();
    let caller = thread::current().id();
    assert!(
        !threads.contains(&caller),
        "a producer ran on the thread that called fan_in: every producer runs on a \
         thread of its own (book: 3.5 Several producers)"
    );
    let distinct: HashSet<&ThreadId> = threads.iter().collect();
    assert_eq!(
        (threads.len(), distinct.len()),
        (n, n),
        "{n} producers must run on {n} threads, one each (book: 3.5 Several producers)"
    );
}

const NOTHING_TO_WAIT_FOR: &str = "Here the producers wait for nothing: they send and return.";

#[test]
fn collects_every_item_each_producer_in_its_own_order() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), |s| s.diagnosis(NOTHING_TO_WAIT_FOR)),
        run_with(|seen: Seen| {
            let producers = (0..4).map(|id| counting(id, 250)).collect();
            let mut arrived = Vec::new();
            seen.fan_in(producers, |item| arrived.push(item));
            check_items(&arrived, &[250; 4]);
        }),
    );
}

#[test]
fn no_producers_returns_at_once() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), |s| s.diagnosis(NOTHING_TO_WAIT_FOR)),
        run_with(|seen: Seen| {
            let mut calls = 0;
            seen.fan_in(Vec::<Producer<u8>>::new(), |_| calls += 1);
            assert_eq!(calls, 0, "no producers, no items ({SECTION})");
        }),
    );
}

#[test]
fn every_number_of_producers_and_items() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), |s| s.diagnosis(NOTHING_TO_WAIT_FOR)),
        run_with(|seen: Seen| {
            // More producers than a machine has cores, and producers that
            // send nothing, one item, or more than a block of the channel.
            for n in 1..=7 {
                for items in [0, 1, 2, 40] {
                    let counts: Vec<usize> = (0..n).map(|id| items + id % 2).collect();
                    let producers = counts
                        .iter()
                        .enumerate()
                        .map(|(id, &count)| counting(id, count))
                        .collect();
                    let mut arrived = Vec::new();
                    seen.fan_in(producers, |item| arrived.push(item));
                    check_items(&arrived, &counts);
                    check_threads(&seen, n);
                }
            }
        }),
    );
}

#[test]
fn the_producers_run_at_the_same_time() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), |s| {
            s.diagnosis(
                "Here every producer waits until all of them have started, so fan_in \
                 must start every producer's thread before it waits for anything.",
            )
        }),
        run_with(|seen: Seen| {
            for n in 1..=6 {
                let all_started = Arc::new(Barrier::new(n));
                let producers: Vec<Producer<usize>> = (0..n)
                    .map(|id| {
                        let all_started = Arc::clone(&all_started);
                        Box::new(move |tx: Sender<usize>| {
                            all_started.wait();
                            tx.send(id).unwrap();
                        }) as Producer<usize>
                    })
                    .collect();
                let mut arrived = Vec::new();
                seen.fan_in(producers, |id| arrived.push(id));
                arrived.sort();
                assert_eq!(
                    arrived,
                    (0..n).collect::<Vec<_>>(),
                    "each of the {n} producers sent its id once ({SECTION})"
                );
                check_threads(&seen, n);
            }
        }),
    );
}

#[test]
fn items_are_handed_over_while_the_producers_run() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), |s| {
            s.diagnosis(
                "Here the producer has sent its first item, and waits until on_item has \
                 seen it before it sends the second: fan_in must hand items to on_item \
                 as they arrive, while the producers run (a loop over the Receiver), and \
                 join the producers only after that loop (book: 3.3 Receiving).",
            )
        }),
        run_with(|seen: Seen| {
            let (seen_tx, seen_rx) = mpsc::channel::<&str>();
            let producer: Producer<&str> = Box::new(move |tx| {
                tx.send("first").unwrap();
                assert_eq!(seen_rx.recv().ok(), Some("first"));
                tx.send("second").unwrap();
            });
            let mut arrived = Vec::new();
            seen.fan_in(vec![producer], |item| {
                arrived.push(item);
                let _ = seen_tx.send(item);
            });
            assert_eq!(arrived, ["first", "second"], "{SECTION}");
        }),
    );
}

#[test]
fn on_item_runs_on_the_calling_thread() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), |s| s.diagnosis(NOTHING_TO_WAIT_FOR)),
        run_with(|seen: Seen| {
            let caller = thread::current().id();
            let mut on_caller = 0;
            let producers = (0..3).map(|id| counting(id, 10)).collect();
            seen.fan_in(producers, |_| {
                if thread::current().id() == caller {
                    on_caller += 1;
                }
            });
            assert_eq!(
                on_caller, 30,
                "on_item must be called on the thread that called fan_in, once per item \
                 ({SECTION})"
            );
        }),
    );
}

/// How long the helper thread below keeps its Sender without sending:
/// longer than any "the channel has been quiet for a while, the producers
/// must be done" that an answer might wait for.
const QUIET: Duration = Duration::from_millis(500);

#[test]
fn a_sender_that_outlives_its_producer_still_counts() {
    watchdog_diagnosed_for(
        test_support::timeout() + QUIET,
        diagnose_with(Seen::default(), |s| {
            s.diagnosis(
                "Here the producer hands its Sender to a helper thread and returns at \
                 once.",
            )
        }),
        run_with(|seen: Seen| {
            // The producer hands its Sender to a helper thread and returns
            // at once. The helper sends one item once the producer has
            // returned, then keeps the Sender, quiet, for half a second
            // (or until fan_in returns), then sends four more and drops it.
            // The channel stays open as long as any Sender is alive, thread
            // or not, and quiet or not.
            let helper_done = Arc::new(AtomicBool::new(false));
            let (returned_tx, returned_rx) = mpsc::channel::<()>();
            let (fan_in_returned_tx, fan_in_returned_rx) = mpsc::channel::<()>();
            let done = Arc::clone(&helper_done);
            let producer: Producer<u32> = Box::new(move |tx| {
                thread::spawn(move || {
                    let _ = returned_rx.recv(); // Err once the producer has returned
                    let _ = tx.send(0);
                    // Err once fan_in has returned, or a timeout.
                    let _ = fan_in_returned_rx.recv_timeout(QUIET);
                    for n in 1..5 {
                        let _ = tx.send(n);
                    }
                    done.store(true, SeqCst);
                });
                drop(returned_tx);
            });
            let mut arrived = Vec::new();
            seen.fan_in(vec![producer], |n| arrived.push(n));
            let sender_was_gone = helper_done.load(SeqCst);
            drop(fan_in_returned_tx);
            assert!(
                sender_was_gone,
                "fan_in returned while a Sender was still alive: the producer had given \
                 its Sender to another thread, which still held it (and later sent more \
                 items through it). fan_in must return only once every Sender is gone, \
                 which its loop over the Receiver sees by itself, not once the producers \
                 have returned, nor when the channel has been quiet for a while \
                 (book: 3.4 How a channel closes)"
            );
            assert_eq!(
                arrived,
                [0, 1, 2, 3, 4],
                "items sent by a clone of the Sender on another thread arrive too: collect \
                 until every Sender is gone, not just until the producers have returned \
                 (book: 3.4 How a channel closes)"
            );
        }),
    );
}

#[test]
fn a_producers_panic_is_passed_on_once_the_rest_is_collected() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), |s| {
            s.diagnosis(
                "Here producer 1 sends two items and panics; the other two producers wait \
                 until producer 1's thread has ended, then send 50 items each.",
            )
        }),
        run_with(|seen: Seen| {
            // The other producers send their items only once the panicking
            // one's thread has ended: so fan_in sees that panic before
            // them, on every run, and must still hand all of them over
            // before it passes the panic on.
            let exits = ThreadExits::new();
            let watching = exits.clone();
            let panicking: Producer<(usize, usize)> = Box::new(move |tx| {
                watching.watch();
                tx.send((1, 0)).unwrap();
                tx.send((1, 1)).unwrap();
                panic!("producer 1 gave up");
            });
            let after_the_panic = |id: usize| -> Producer<(usize, usize)> {
                let exits = exits.clone();
                Box::new(move |tx| {
                    while exits.exited() == 0 {
                        thread::yield_now();
                    }
                    counting(id, 50)(tx);
                })
            };
            let producers = vec![after_the_panic(0), panicking, after_the_panic(2)];
            let mut arrived = Vec::new();
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                seen.fan_in(producers, |item| arrived.push(item));
            }));
            assert_eq!(
                arrived.len(),
                102,
                "the other producers' items, and what the panicking one sent before it \
                 panicked, must all be handed over, also those sent after the panic: \
                 collect every item until every Sender is gone, and only then pass the \
                 panic on ({SECTION})"
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
            check_threads(&seen, 3);
        }),
    );
}
