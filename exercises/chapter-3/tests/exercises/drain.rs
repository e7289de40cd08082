//! The contract of `drain` and `poll_until_closed`, clause by clause, and
//! the tests that check each one:
//!
//! - "These items were waiting (maybe none), and the channel is still open: more may come later.": an_empty_open_channel_is_open_and_does_not_wait, takes_every_waiting_item_and_leaves_the_channel_open, one_sender_gone_is_not_closed, any_number_of_waiting_items_comes_out
//! - "These items were waiting (maybe none), and every `Sender` is gone: nothing more will ever come.": says_closed_once_every_sender_is_gone, one_sender_gone_is_not_closed, any_number_of_waiting_items_comes_out
//! - "Takes every item that is waiting in the channel, in order, without ever blocking, and says whether the channel is still open.": takes_every_waiting_item_and_leaves_the_channel_open, any_number_of_waiting_items_comes_out, drains_what_other_threads_sent, an_empty_open_channel_is_open_and_does_not_wait, nothing_is_lost_while_a_sender_is_busy
//! - "Receives every item until the channel is closed, without ever blocking in `recv`: whenever nothing is waiting but the channel is still open, it calls `idle` (which may do other work) and tries again.": poll_collects_everything_until_the_channel_closes, poll_takes_batches_of_every_size, poll_keeps_trying_through_a_long_quiet_spell
//! - "Returns the items in order. `idle` is never called once the channel is closed.": poll_collects_everything_until_the_channel_closes, poll_takes_batches_of_every_size, poll_calls_idle_only_while_nothing_is_waiting, poll_returns_as_soon_as_the_channel_closes
//!
//! "Without ever blocking" is checked by the kernel's word, not the clock:
//! each call runs while another thread watches its thread's scheduler
//! state (see `common.rs`), and a thread seen asleep inside `drain` or
//! `poll_until_closed` waited for something.

use crate::chapter_3::drain::{Drained, drain, poll_until_closed};
use crate::common::{Sleeps, diagnose_with, plural, run_with};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use test_support::watchdog_diagnosed;

const SECTION: &str = "book: 3.8.4 Draining without blocking";

/// What a stuck drain test saw: `drain` asleep inside the call, or not.
fn drain_diagnosis(sleeps: &Sleeps) -> String {
    match sleeps.slept_inside() {
        Some(true) => "drain is asleep inside the call: it waits for a message (recv, iter \
                       or recv_timeout block). It must never block: `try_recv` returns at \
                       once, with Err(TryRecvError::Empty) when nothing is there yet \
                       (book: 3.3 Receiving)."
            .to_owned(),
        Some(false) => "drain is still running, and its thread is not asleep: it loops \
                        without end. Stop at Err(TryRecvError::Empty) (nothing more waiting) \
                        and at Err(TryRecvError::Disconnected) (closed) (book: 3.3 Receiving)."
            .to_owned(),
        None => "drain did not return. It must never block: `try_recv` returns at once, \
                 with Err(TryRecvError::Empty) when nothing is there yet, and \
                 Err(TryRecvError::Disconnected) once the channel is closed \
                 (book: 3.3 Receiving)."
            .to_owned(),
    }
}

/// `drain(rx)`, checked not to have waited.
fn drained<T>(sleeps: &Sleeps, rx: &Receiver<T>) -> Drained<T> {
    let (result, slept) = sleeps.during(|| drain(rx));
    assert!(
        !slept,
        "drain waited: the kernel showed its thread asleep inside drain, so it waited for \
         a message (recv_timeout, recv, iter, a sleep). It must never block: take what is \
         waiting with `try_recv`, which returns Err(TryRecvError::Empty) at once when \
         nothing is there (book: 3.3 Receiving)"
    );
    result
}

#[test]
fn an_empty_open_channel_is_open_and_does_not_wait() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), drain_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            let (_tx, rx) = mpsc::channel::<u8>();
            // Several times: a wait of any length is seen.
            for _ in 0..20 {
                assert_eq!(
                    drained(&sleeps, &rx),
                    Drained::Open(vec![]),
                    "nothing waiting, and a Sender is still alive: Open and empty ({SECTION})"
                );
            }
        }),
    );
}

#[test]
fn takes_every_waiting_item_and_leaves_the_channel_open() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), drain_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            let (tx, rx) = mpsc::channel();
            for n in 1..=3 {
                tx.send(n).unwrap();
            }
            assert_eq!(
                drained(&sleeps, &rx),
                Drained::Open(vec![1, 2, 3]),
                "{SECTION}"
            );
            tx.send(4).unwrap();
            assert_eq!(
                drained(&sleeps, &rx),
                Drained::Open(vec![4]),
                "a drain takes only what is waiting; the channel stays usable ({SECTION})"
            );
        }),
    );
}

#[test]
fn any_number_of_waiting_items_comes_out() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), drain_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            // Every count up to 70, and a few far beyond: a channel keeps
            // its items in blocks of 31, so counts around 31, 62, ... and
            // big batches are where a drain that stops early shows.
            // The biggest first: a drain that stops early says so at once.
            let counts = [5000, 1000, 100].into_iter().chain((0..=70).rev());
            for count in counts {
                for closed in [false, true] {
                    let (tx, rx) = mpsc::channel();
                    for n in 0..count {
                        tx.send(n).unwrap();
                    }
                    let keep = (!closed).then_some(tx);
                    let expected: Vec<usize> = (0..count).collect();
                    let got = drained(&sleeps, &rx);
                    let (items, said) = match got {
                        Drained::Open(items) => (items, "Open"),
                        Drained::Closed(items) => (items, "Closed"),
                    };
                    assert!(
                        items == expected,
                        "with {} waiting, drain returned {}{}: it must take every item \
                         that is waiting, in order, however many there are ({SECTION})",
                        plural(count, "item"),
                        plural(items.len(), "item"),
                        if items.len() == count {
                            " in another order"
                        } else {
                            ""
                        }
                    );
                    let right = if closed { "Closed" } else { "Open" };
                    assert_eq!(
                        said,
                        right,
                        "with {} waiting and {} drain must say {right}: take items until \
                         try_recv says Empty (then Open) or Disconnected (then Closed) \
                         (book: 3.3 Receiving)",
                        plural(count, "item"),
                        if closed {
                            "every Sender gone,"
                        } else {
                            "a Sender still alive,"
                        }
                    );
                    drop(keep);
                }
            }
        }),
    );
}

#[test]
fn says_closed_once_every_sender_is_gone() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), drain_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            let (tx, rx) = mpsc::channel();
            tx.send("a").unwrap();
            tx.send("b").unwrap();
            drop(tx);
            assert_eq!(
                drained(&sleeps, &rx),
                Drained::Closed(vec!["a", "b"]),
                "messages sent before the last Sender was dropped still arrive, and then \
                 try_recv says Err(TryRecvError::Disconnected): nothing more will come. \
                 Tell it apart from Empty (book: 3.3 Receiving)"
            );
            assert_eq!(drained(&sleeps, &rx), Drained::Closed(vec![]), "{SECTION}");
        }),
    );
}

#[test]
fn one_sender_gone_is_not_closed() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), drain_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            let (tx, rx) = mpsc::channel();
            let tx2 = tx.clone();
            tx.send(1).unwrap();
            drop(tx);
            assert_eq!(
                drained(&sleeps, &rx),
                Drained::Open(vec![1]),
                "a clone of the Sender is still alive, so the channel is open \
                 (book: 3.4 How a channel closes)"
            );
            tx2.send(2).unwrap();
            drop(tx2);
            assert_eq!(
                drained(&sleeps, &rx),
                Drained::Closed(vec![2]),
                "the last Sender is gone: Closed, with the item sent before \
                 (book: 3.3 Receiving)"
            );
        }),
    );
}

#[test]
fn drains_what_other_threads_sent() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), drain_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            let (tx, rx) = mpsc::channel();
            let producers: Vec<_> = (0..4)
                .map(|p| {
                    let tx = tx.clone();
                    thread::spawn(move || {
                        for i in 0..25 {
                            tx.send(p * 100 + i).unwrap();
                        }
                    })
                })
                .collect();
            for producer in producers {
                producer.join().unwrap();
            }
            let Drained::Open(mut items) = drained(&sleeps, &rx) else {
                panic!("main's own Sender is still alive: the channel is open ({SECTION})")
            };
            items.sort();
            let expected: Vec<i32> = (0..4)
                .flat_map(|p| (0..25).map(move |i| p * 100 + i))
                .collect();
            assert_eq!(items, expected, "all 100 items were waiting ({SECTION})");
            drop(tx);
            assert_eq!(
                drained(&sleeps, &rx),
                Drained::Closed(vec![]),
                "the producers have ended and main dropped its Sender: every Sender is \
                 gone, so Closed (book: 3.3 Receiving)"
            );
        }),
    );
}

/// How many items the busy sender sends.
const BUSY_ITEMS: usize = 150;

/// Set when the test's loop over drain has ended, however it ended, so that
/// the sender stops waiting for it.
struct Done(Arc<AtomicBool>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.store(true, SeqCst);
    }
}

/// The numbers drain returned must be 0, 1, 2, ... with none missing.
fn check_next(got: &mut Vec<usize>, items: Vec<usize>, calls: usize) {
    for n in items {
        assert!(
            n == got.len(),
            "a sender sent the numbers 0, 1, 2, ... while the test called drain again and \
             again ({calls} times so far), and after {} drain returned {n}: {} never came \
             out. drain threw items away. An item can arrive between two receives, and one \
             that a try_recv returns must go into the result, also if it was received only \
             to learn whether the channel is closed (book: 3.3 Receiving)",
            got.len()
                .checked_sub(1)
                .map_or("nothing".to_owned(), |l| l.to_string()),
            if n == got.len() + 1 {
                format!("{}", got.len())
            } else {
                format!("{} to {}", got.len(), n - 1)
            }
        );
        got.push(n);
    }
}

#[test]
fn nothing_is_lost_while_a_sender_is_busy() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), drain_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            let (tx, rx) = mpsc::channel();
            let sent = Arc::new(AtomicUsize::new(0));
            let gone = Arc::new(AtomicBool::new(false));
            // How many times the test has called drain, and whether it has
            // stopped.
            let calls = Arc::new(AtomicUsize::new(0));
            let done = Done(Arc::new(AtomicBool::new(false)));
            let sender = {
                let (sent, gone) = (sent.clone(), gone.clone());
                let (calls, done) = (calls.clone(), done.0.clone());
                thread::spawn(move || {
                    for n in 0..BUSY_ITEMS {
                        if tx.send(n).is_err() {
                            return; // the test has failed already
                        }
                        sent.store(n + 1, SeqCst);
                        // Nothing is synchronised here: the sender only
                        // spreads its items over drain's loop. It sleeps a
                        // moment, until drain has run again since the item
                        // went in: each item arrives when the sender's timer
                        // fires, which interrupts drain at a point of its
                        // own, on one core as on two, loaded or not. So over
                        // 150 items every point of drain is hit, also the
                        // moment between two receives: an answer that loses
                        // an item arriving then loses one within the first
                        // few dozen, on every run.
                        let seen = calls.load(SeqCst);
                        loop {
                            thread::sleep(std::time::Duration::from_micros(20));
                            if calls.load(SeqCst) >= seen + 2 || done.load(SeqCst) {
                                break;
                            }
                        }
                    }
                    drop(tx);
                    gone.store(true, SeqCst);
                })
            };
            let mut got: Vec<usize> = Vec::with_capacity(BUSY_ITEMS);
            // One watched window around the whole loop, for a diagnosis if
            // drain hangs; not checked for sleeping, since drain frees the
            // blocks of the channel that the sender allocated and may wait a
            // moment for the allocator, which is no fault of drain's.
            sleeps.during(|| {
                let _done = done;
                loop {
                    let n = calls.fetch_add(1, SeqCst) + 1;
                    let was_gone = gone.load(SeqCst);
                    match drain(&rx) {
                        Drained::Open(items) => {
                            assert!(
                                !was_gone,
                                "the only Sender was dropped, yet drain said Open: once \
                                 try_recv says Err(TryRecvError::Disconnected), nothing \
                                 more will ever come. Tell it apart from Empty \
                                 (book: 3.3 Receiving)"
                            );
                            check_next(&mut got, items, n);
                        }
                        Drained::Closed(items) => {
                            let so_far = sent.load(SeqCst);
                            assert!(
                                so_far == BUSY_ITEMS,
                                "drain said Closed when the sender had sent {so_far} of its \
                                 {BUSY_ITEMS} items and still held its Sender: the channel \
                                 was open. Only Err(TryRecvError::Disconnected) means closed \
                                 (book: 3.3 Receiving)"
                            );
                            check_next(&mut got, items, n);
                            return;
                        }
                    }
                }
            });
            sender.join().unwrap();
            assert_eq!(
                got.len(),
                BUSY_ITEMS,
                "the sender sent {BUSY_ITEMS} items, and drain returned only the first {}: \
                 drain threw items away (book: 3.3 Receiving)",
                got.len()
            );
        }),
    );
}

/// What `poll_until_closed` has done so far, as `idle` sees it.
#[derive(Clone, Default)]
struct Poll {
    sleeps: Sleeps,
    idle_calls: Arc<AtomicUsize>,
    /// Set when idle drops the last Sender.
    closed: Arc<AtomicBool>,
    /// How many batches idle has sent, and how many there are.
    batches_sent: Arc<AtomicUsize>,
    batches: Arc<AtomicUsize>,
}

impl Poll {
    fn new() -> Poll {
        Poll::default()
    }
}

fn poll_diagnosis(poll: &Poll) -> String {
    let calls = poll.idle_calls.load(SeqCst);
    let closed = poll.closed.load(SeqCst);
    let (sent, batches) = (poll.batches_sent.load(SeqCst), poll.batches.load(SeqCst));
    let progress = format!(
        "idle was called {calls} times and sent {sent} of its {batches} batches; the channel \
         is {}",
        if closed { "closed" } else { "still open" }
    );
    if closed {
        return format!(
            "poll_until_closed never returned, although {progress}: on \
             Err(TryRecvError::Disconnected), return the items (book: 3.3 Receiving)."
        );
    }
    match poll.sleeps.slept_inside() {
        Some(true) => format!(
            "poll_until_closed is asleep inside the call, or has been ({progress}): it \
             waits in a receive (recv, or recv_timeout) or a sleep, instead of calling idle. Here only idle sends, \
             so whenever nothing is waiting, poll_until_closed must call idle at once and \
             try again, never block (book: 3.3 Receiving)."
        ),
        Some(false) if calls == 0 => format!(
            "poll_until_closed is running, never asleep, and has not called idle \
             ({progress}): it spins on try_recv. Here only idle sends, so on \
             Err(TryRecvError::Empty) it must call idle and try again (book: 3.3 Receiving)."
        ),
        Some(false) => format!(
            "poll_until_closed never returned ({progress}), and was never seen asleep: \
             does it go on calling idle while items are waiting, or stop calling it? On \
             Err(TryRecvError::Empty), call idle and try again; on Ok, take the item \
             (book: 3.3 Receiving)."
        ),
        None => format!(
            "poll_until_closed never returned ({progress}). Here the messages are sent by \
             idle itself, so when nothing is waiting, poll_until_closed must call idle \
             instead of waiting in recv or spinning on try_recv (book: 3.3 Receiving)."
        ),
    }
}

/// A channel with the items `waiting` in it, and an `idle` callback that
/// owns its only Sender: each call sends the next batch (after `quiet`
/// calls that send nothing), and the call after the last batch drops the
/// Sender. The callback fails the test
/// if it is called once the channel is closed.
fn feeding(
    poll: &Poll,
    waiting: Vec<u32>,
    batches: Vec<Vec<u32>>,
    quiet: usize,
) -> (mpsc::Receiver<u32>, impl FnMut() + use<>) {
    let (tx, rx) = mpsc::channel();
    for n in waiting {
        tx.send(n).unwrap();
    }
    let mut tx: Option<Sender<u32>> = Some(tx);
    poll.idle_calls.store(0, SeqCst);
    poll.batches_sent.store(0, SeqCst);
    poll.batches.store(batches.len(), SeqCst);
    poll.closed.store(false, SeqCst);
    let mut batches = batches.into_iter();
    let poll = poll.clone();
    let mut silent = 0;
    let idle = move || {
        poll.idle_calls.fetch_add(1, SeqCst);
        let Some(sender) = &tx else {
            panic!(
                "idle was called after every Sender was gone. \
                 Err(TryRecvError::Disconnected) means that nothing more will ever \
                 come: return then (book: 3.3 Receiving)"
            );
        };
        if silent < quiet {
            silent += 1;
            return;
        }
        silent = 0;
        match batches.next() {
            Some(batch) => {
                for n in batch {
                    sender.send(n).unwrap();
                }
                poll.batches_sent.fetch_add(1, SeqCst);
            }
            None => {
                tx = None; // the channel closes
                poll.closed.store(true, SeqCst);
            }
        }
    };
    (rx, idle)
}

/// `poll_until_closed(rx, idle)`, checked not to have waited, nor to have
/// returned before the channel closed.
fn polled(poll: &Poll, rx: &Receiver<u32>, idle: impl FnMut()) -> Vec<u32> {
    let (items, slept) = poll.sleeps.during(|| poll_until_closed(rx, idle));
    assert!(
        !slept,
        "poll_until_closed waited: the kernel showed its thread asleep inside the call \
         (and idle never sleeps), so it blocked in a receive (recv, recv_timeout) or a \
         sleep. It must never block: when nothing is waiting, call idle and try again \
         (book: 3.3 Receiving)"
    );
    assert!(
        poll.closed.load(SeqCst),
        "poll_until_closed returned while the channel was still open (idle had been \
         called {} times, and had sent {} of its {} batches; idle sends the rest, and \
         then drops the last Sender). Err(TryRecvError::Empty) means \"nothing yet\", not \
         \"done\", however long it lasts: call idle and try again, until \
         Err(TryRecvError::Disconnected) ({SECTION})",
        poll.idle_calls.load(SeqCst),
        poll.batches_sent.load(SeqCst),
        poll.batches.load(SeqCst),
    );
    items
}

#[test]
fn poll_collects_everything_until_the_channel_closes() {
    watchdog_diagnosed(
        diagnose_with(Poll::new(), poll_diagnosis),
        run_with(|poll: Poll| {
            poll.sleeps.watch_me();
            let (rx, idle) = feeding(
                &poll,
                vec![],
                vec![vec![1, 2], vec![], vec![3], vec![4, 5, 6]],
                0,
            );
            assert_eq!(
                polled(&poll, &rx, idle),
                [1, 2, 3, 4, 5, 6],
                "every item, in order. TryRecvError::Empty means \"nothing yet\", not \
                 \"done\" ({SECTION})"
            );
        }),
    );
}

#[test]
fn poll_takes_batches_of_every_size() {
    watchdog_diagnosed(
        diagnose_with(Poll::new(), poll_diagnosis),
        run_with(|poll: Poll| {
            poll.sleeps.watch_me();
            // Every sequence of up to three batches of these sizes, with
            // items already waiting before the first call, or none.
            let sizes = [0u32, 1, 2, 31, 32, 100];
            let mut shapes: Vec<Vec<u32>> = vec![vec![]];
            let mut last = vec![vec![]];
            for _ in 0..3 {
                last = last
                    .iter()
                    .flat_map(|shape: &Vec<u32>| {
                        sizes.iter().map(move |&size| {
                            let mut longer = shape.clone();
                            longer.push(size);
                            longer
                        })
                    })
                    .collect();
                shapes.extend(last.iter().cloned());
            }
            for shape in &shapes {
                for waiting in [0u32, 3, 40] {
                    let mut n = waiting;
                    let batches: Vec<Vec<u32>> = shape
                        .iter()
                        .map(|&size| {
                            let batch = (n..n + size).collect();
                            n += size;
                            batch
                        })
                        .collect();
                    let (rx, idle) = feeding(&poll, (0..waiting).collect(), batches, 0);
                    let items = polled(&poll, &rx, idle);
                    let expected: Vec<u32> = (0..n).collect();
                    assert!(
                        items == expected,
                        "with {waiting} items waiting at first, and then idle sending \
                         batches of {shape:?} items, poll_until_closed returned {} items{}: \
                         it must return every item, in order ({SECTION})",
                        items.len(),
                        if items.len() == expected.len() {
                            " in another order"
                        } else {
                            ""
                        }
                    );
                }
            }
        }),
    );
}

#[test]
fn poll_keeps_trying_through_a_long_quiet_spell() {
    watchdog_diagnosed(
        diagnose_with(Poll::new(), poll_diagnosis),
        run_with(|poll: Poll| {
            poll.sleeps.watch_me();
            // Between two batches, idle is called 200 000 times and sends
            // nothing: the other work takes its time, and poll_until_closed
            // has no reason to give up, since the channel is still open.
            let (rx, idle) = feeding(&poll, vec![], vec![vec![1], vec![2, 3]], 200_000);
            assert_eq!(
                polled(&poll, &rx, idle),
                [1, 2, 3],
                "every item, in order, however long nothing comes ({SECTION})"
            );
        }),
    );
}

#[test]
fn poll_calls_idle_only_while_nothing_is_waiting() {
    watchdog_diagnosed(
        diagnose_with(Poll::new(), poll_diagnosis),
        run_with(|poll: Poll| {
            poll.sleeps.watch_me();
            let (tx, rx) = mpsc::channel();
            for n in 0..10 {
                tx.send(n).unwrap();
            }
            drop(tx);
            poll.closed.store(true, SeqCst);
            let mut idle_calls = 0;
            let (items, slept) = poll
                .sleeps
                .during(|| poll_until_closed(&rx, || idle_calls += 1));
            assert!(!slept, "poll_until_closed waited (book: 3.3 Receiving)");
            assert_eq!(items, (0..10).collect::<Vec<_>>(), "{SECTION}");
            assert_eq!(
                idle_calls, 0,
                "items were waiting and then the channel was closed: there was never a \
                 moment to call idle ({SECTION})"
            );
        }),
    );
}

#[test]
fn poll_returns_as_soon_as_the_channel_closes() {
    watchdog_diagnosed(
        diagnose_with(Poll::new(), poll_diagnosis),
        run_with(|poll: Poll| {
            poll.sleeps.watch_me();
            let (rx, idle) = feeding(&poll, vec![], vec![], 0);
            assert_eq!(polled(&poll, &rx, idle), Vec::<u32>::new(), "{SECTION}");
        }),
    );
}
