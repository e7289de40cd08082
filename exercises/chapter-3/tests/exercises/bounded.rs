//! The contract of `spawn_producer` and `LossySender`, clause by clause,
//! and the tests that check each one:
//!
//! - "Item number `i` (counting from 0) is about to be sent.": delivers_every_item_in_order_then_closes, every_capacity_and_number_of_items
//! - "The `send` of item number `i` has returned: it is in the channel.": delivers_every_item_in_order_then_closes, a_full_channel_blocks_the_producer, every_capacity_and_number_of_items
//! - "Starts a thread that sends `items`, in order, into a channel with room for `capacity` items, and returns the receiving end and the thread's handle at once.": delivers_every_item_in_order_then_closes, a_full_channel_blocks_the_producer, capacity_zero_is_a_rendezvous, every_capacity_and_number_of_items
//! - "A full channel makes the producer wait; capacity 0 makes every send wait for a receiver.": a_full_channel_blocks_the_producer, capacity_zero_is_a_rendezvous, every_capacity_and_number_of_items
//! - "Around each send the producer calls `progress`: `Sending(i)` just before, and `Sent(i)` just after.": delivers_every_item_in_order_then_closes, every_capacity_and_number_of_items
//! - "When every item is sent, the thread ends and the channel closes.": delivers_every_item_in_order_then_closes, every_capacity_and_number_of_items
//! - "If the receiver is dropped, the thread ends early, without panicking.": the_producer_stops_quietly_when_the_receiver_is_gone
//! - "Sends `item` if there is room, and never blocks.": lossy_sends_while_there_is_room_then_drops_and_counts, lossy_never_waits_even_for_a_rendezvous, lossy_every_capacity
//! - "How many items were dropped because the channel was full.": lossy_sends_while_there_is_room_then_drops_and_counts, lossy_gives_the_item_back_when_the_receiver_is_gone, lossy_every_capacity
//!
//! That a thread waits is seen in the kernel's word, not guessed from the
//! clock (see `common.rs`): a producer blocked in `send` is asleep, one
//! that spins is not; an `offer` seen asleep has waited.

use crate::chapter_3::bounded::{LossySender, Offered, Progress, spawn_producer};
use crate::common::{Sleeps, diagnose_with, own_tid, plural, run_with, state_of};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle, ThreadId};
use test_support::watchdog_diagnosed;

const SECTION: &str = "book: 3.8.3 A bounded producer";
const CHANNELS: &str = "book: 3.6 Bounded and rendezvous channels";

/// What the test knows about one producer. The progress callback updates
/// it with atomics only: it must not block, or it could be mistaken for a
/// producer blocked in `send`.
#[derive(Default)]
struct Tracker {
    capacity: usize,
    len: usize,
    /// How many `Sending` reports so far: the last was `Sending(announced - 1)`.
    announced: AtomicUsize,
    /// How many `Sent` reports so far.
    sent: AtomicUsize,
    /// Set if the reports did not come as Sending(0), Sent(0), Sending(1), ...
    out_of_order: AtomicBool,
    /// The producer's thread, as Rust knows it.
    thread: OnceLock<ThreadId>,
    /// The producer's thread, as the kernel knows it (Linux; 0 if unknown).
    tid: AtomicU64,
    /// Whether `spawn_producer` has returned.
    returned: AtomicBool,
    /// The item whose send the test waits to see blocked, and how many
    /// items it has received.
    waiting_for: AtomicUsize,
    received: AtomicUsize,
}

/// The producer of the moment, shared with the diagnosis.
#[derive(Clone, Default)]
struct Seen {
    current: Arc<Mutex<Option<Arc<Tracker>>>>,
}

impl Seen {
    /// `spawn_producer(items, capacity, progress)`, watched.
    fn spawn<T: Send + 'static>(
        &self,
        items: Vec<T>,
        capacity: usize,
    ) -> (Arc<Tracker>, Receiver<T>, JoinHandle<()>) {
        let tracker = Arc::new(Tracker {
            capacity,
            len: items.len(),
            waiting_for: AtomicUsize::new(usize::MAX),
            ..Tracker::default()
        });
        *self.current.lock().unwrap() = Some(Arc::clone(&tracker));
        let (rx, producer) = spawn_producer(items, capacity, progress(&tracker));
        tracker.returned.store(true, SeqCst);
        (tracker, rx, producer)
    }

    /// What a stuck test saw. Never blocks.
    fn diagnosis(&self) -> String {
        let Some(t) = self.current.try_lock().ok().and_then(|t| t.clone()) else {
            return format!("the test got stuck ({SECTION}).");
        };
        if !t.returned.load(SeqCst) {
            return format!(
                "spawn_producer has not returned (the producer has reported {} Sending \
                 and {} Sent). It must start the producer's thread and return the \
                 Receiver and the handle at once: the items are sent by that thread, and \
                 with a full channel (or capacity 0) its sends wait for the test to \
                 receive, which the test can do only once spawn_producer has returned \
                 ({CHANNELS}).",
                t.announced.load(SeqCst),
                t.sent.load(SeqCst)
            );
        }
        let (announced, sent) = (t.announced.load(SeqCst), t.sent.load(SeqCst));
        let i = t.waiting_for.load(SeqCst);
        let received = t.received.load(SeqCst);
        let cap = t.capacity;
        let state = state_of(t.tid.load(SeqCst));
        let waits = if i == usize::MAX {
            String::new()
        } else {
            format!(
                "The test waits for the producer to block in the send of item {i} (capacity \
                 {cap}, {received} received). "
            )
        };
        let saw = if announced == 0 {
            "the producer has not reported Sending(0): call progress(Progress::Sending(i)) \
             just before each send, and progress(Progress::Sent(i)) just after, from the \
             producer's thread"
                .to_owned()
        } else if announced > sent {
            let j = announced - 1;
            match state {
                Some('S') if j < i || i == usize::MAX => format!(
                    "the producer is blocked in the send of item {j}, with {} in the \
                     channel: fewer than capacity {cap}. Make the channel with \
                     mpsc::sync_channel(capacity): room for exactly `capacity` items",
                    plural(j - received.min(j), "item")
                ),
                Some('S') => format!("the producer is blocked in the send of item {j}"),
                Some(_) => format!(
                    "the producer said Sending({j}) and not yet Sent({j}), and its thread is \
                     running, not asleep: it spins (try_send in a loop?) instead of waiting \
                     in `send`, which sleeps until there is room"
                ),
                None => format!(
                    "the producer said Sending({j}), and its thread is gone without saying \
                     Sent({j})"
                ),
            }
        } else {
            match state {
                Some('S') => format!(
                    "the producer said Sent({}) and is now asleep, before saying Sending({}): \
                     it waits outside any send. Did it report Sent({}) before its send \
                     returned? Call progress(Progress::Sent(i)) just after the send",
                    sent - 1,
                    sent,
                    sent - 1
                ),
                None if sent < t.len => format!(
                    "the producer's thread has ended after {sent} of its {} items",
                    t.len
                ),
                _ => format!("the producer has reported {sent} items sent"),
            }
        };
        format!("{waits}What the test saw: {saw} ({CHANNELS}).")
    }
}

/// The progress callback that feeds `t`.
fn progress(t: &Arc<Tracker>) -> impl FnMut(Progress) + Send + 'static + use<> {
    let t = Arc::clone(t);
    let mut expected = Progress::Sending(0);
    move |progress: Progress| {
        if t.thread.get().is_none() {
            t.tid.store(own_tid(), SeqCst);
            let _ = t.thread.set(thread::current().id());
        }
        if progress != expected {
            t.out_of_order.store(true, SeqCst);
        }
        match progress {
            Progress::Sending(i) => {
                expected = Progress::Sent(i);
                t.announced.store(i + 1, SeqCst);
            }
            Progress::Sent(i) => {
                expected = Progress::Sending(i + 1);
                t.sent.store(i + 1, SeqCst);
            }
        }
    }
}

fn check_order(t: &Tracker) {
    assert!(
        !t.out_of_order.load(SeqCst),
        "the progress reports must come as Sending(0), Sent(0), Sending(1), Sent(1), \
         ...: Sending(i) just before the send of item i, Sent(i) just after it \
         returned ({SECTION})"
    );
}

/// Whether the producer, which said `Sending(i)` and not yet `Sent(i)`,
/// is asleep.
///
/// On Linux the kernel shows every thread's scheduler state (see
/// `common.rs`). Between `Sending(i)` and `Sent(i)` the producer does
/// nothing but `send`, and `send` on a channel with room never waits for
/// an event: it runs (`R`, also when it is preempted) until it returns. So
/// `S` here means that the send is blocked. No timing is involved: a right
/// answer always passes, and a wrong one fails. (The only other sleep
/// possible there, on a contended lock inside the memory allocator, would
/// have to strike at that very moment in every round of a test for a wrong
/// answer to slip through.)
fn is_asleep(t: &Tracker, i: usize) -> bool {
    let tid = t.tid.load(SeqCst);
    if let Some(state) = state_of(tid) {
        return state == 'S';
    }
    // Elsewhere (or without /proc) there is no portable way to see a
    // thread's state, so give the send a generous time to return. A right
    // answer never returns from it, so it still always passes; a wrong one
    // fails unless its thread is held up for longer than this, which only
    // a badly overloaded machine does.
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_millis(250) {
        if t.sent.load(SeqCst) > i {
            return false;
        }
        thread::yield_now();
    }
    true
}

/// Waits until the producer is blocked in the send of item `i` (it said
/// `Sending(i)` and sleeps in the kernel), or has said `Sent(i)`. Returns
/// whether it was blocked. No timing: a producer that is blocked stays
/// blocked, and one that is not gets to `Sent(i)`.
fn blocked_at(t: &Tracker, i: usize) -> bool {
    t.waiting_for.store(i, SeqCst);
    loop {
        check_order(t);
        let sent = t.sent.load(SeqCst);
        if sent > i {
            t.waiting_for.store(usize::MAX, SeqCst);
            return false;
        }
        if t.announced.load(SeqCst) == i + 1
            && sent == i
            && is_asleep(t, i)
            // Still not sent, now that we know it was asleep.
            && t.sent.load(SeqCst) == i
        {
            t.waiting_for.store(usize::MAX, SeqCst);
            return true;
        }
        thread::yield_now();
    }
}

/// Why a producer did not block at item `i`, once it has gone on: it
/// blocked further on (and where), or sent everything, or said Sent before
/// its send returned.
fn why_not_blocked(t: &Tracker, i: usize, received: usize) -> String {
    let cap = t.capacity;
    let tid = t.tid.load(SeqCst);
    loop {
        let (announced, sent) = (t.announced.load(SeqCst), t.sent.load(SeqCst));
        if sent == t.len {
            let room = t.len - received;
            if room <= cap + 1 {
                return format!(
                    "it never blocked: all {} went into the channel while the test had \
                     received {received}, so the channel had room for at least {}, not \
                     {cap}{}",
                    plural(t.len, "item"),
                    plural(room, "item"),
                    if cap == 0 {
                        ": sync_channel(0) has no room at all, and that is the point"
                    } else {
                        ". A full channel must make `send` wait: make the channel with \
                         mpsc::sync_channel(capacity), exactly"
                    }
                );
            }
            return format!(
                "it never blocked: all {} went into the channel while the test had \
                 received {received}, so the channel has no bound{}",
                plural(t.len, "item"),
                if t.capacity == 0 {
                    ""
                } else {
                    ". A full channel must make `send` wait: make it with \
                     mpsc::sync_channel(capacity), not mpsc::channel()"
                }
            );
        }
        if tid == 0 {
            return "a full channel must make `send` wait. Use \
                    mpsc::sync_channel(capacity), not mpsc::channel()"
                .to_owned();
        }
        let asleep = state_of(tid) == Some('S');
        let still = t.announced.load(SeqCst) == announced && t.sent.load(SeqCst) == sent;
        if asleep && still {
            if announced == sent + 1 {
                let j = announced - 1;
                let room = j - received;
                return format!(
                    "it blocked only in the send of item {j}, so the channel had room for \
                     {}, not {cap}{}",
                    plural(room, "item"),
                    if cap == 0 {
                        ": sync_channel(0) has no room at all, and that is the point"
                    } else if room == cap + 1 {
                        " (one too many). A full channel must make `send` wait: make the \
                         channel with mpsc::sync_channel(capacity), exactly"
                    } else {
                        ". A full channel must make `send` wait: make the channel with \
                         mpsc::sync_channel(capacity), exactly"
                    }
                );
            }
            if announced == sent && sent == i + 1 {
                return format!(
                    "it said Sent({i}) and then blocked: it reported Sent({i}) before its \
                     send of item {i} returned. Call progress(Progress::Sent(i)) just after \
                     the send"
                );
            }
        }
        thread::yield_now();
    }
}

fn assert_blocked_at(t: &Tracker, i: usize, received: usize) {
    t.received.store(received, SeqCst);
    if blocked_at(t, i) {
        return;
    }
    let cap = t.capacity;
    let why = why_not_blocked(t, i, received);
    if cap == 0 {
        panic!(
            "with capacity 0, the send of item {i} must wait until the test receives it: \
             {why}. Use mpsc::sync_channel(0), a rendezvous channel ({CHANNELS})"
        );
    }
    panic!(
        "the producer sent item {i} although the channel already held {} (capacity \
         {cap}, and the test had received {received}): {why} ({CHANNELS})",
        plural(i - received, "item")
    );
}

fn join_quietly(producer: JoinHandle<()>) {
    assert!(
        producer.join().is_ok(),
        "the producer's thread panicked ({SECTION})"
    );
}

#[test]
fn delivers_every_item_in_order_then_closes() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let (t, rx, producer) = seen.spawn((0..200).collect::<Vec<u32>>(), 4);
            let producer_id = producer.thread().id();
            let received: Vec<u32> = rx.iter().collect();
            assert!(
                received == (0..200).collect::<Vec<u32>>(),
                "every item must arrive, in order, and the channel must close after the \
                 last one ({SECTION})"
            );
            join_quietly(producer);
            check_order(&t);
            assert_eq!(
                (t.announced.load(SeqCst), t.sent.load(SeqCst)),
                (200, 200),
                "one Sending and one Sent report per item ({SECTION})"
            );
            assert_ne!(
                producer_id,
                thread::current().id(),
                "the producer must be a thread of its own ({SECTION})"
            );
            assert_eq!(
                t.thread.get(),
                Some(&producer_id),
                "progress must be reported by the producer's thread, the one whose \
                 handle spawn_producer returns ({SECTION})"
            );
        }),
    );
}

#[test]
fn a_full_channel_blocks_the_producer() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            for capacity in [1, 3] {
                let items: Vec<usize> = (0..capacity + 6).collect();
                let (t, rx, producer) = seen.spawn(items, capacity);
                // Nobody has received anything: items 0..capacity fill the
                // channel, and the send of the next one must wait. Each item
                // received makes room for exactly one more.
                for received in 0..4 {
                    assert_blocked_at(&t, capacity + received, received);
                    assert_eq!(
                        rx.recv().ok(),
                        Some(received),
                        "the items must arrive in order ({SECTION})"
                    );
                }
                let rest: Vec<usize> = rx.iter().collect();
                assert_eq!(rest, (4..capacity + 6).collect::<Vec<_>>(), "{SECTION}");
                join_quietly(producer);
            }
        }),
    );
}

#[test]
fn capacity_zero_is_a_rendezvous() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let (t, rx, producer) = seen.spawn(vec!['a', 'b', 'c'], 0);
            for (i, letter) in ['a', 'b', 'c'].into_iter().enumerate() {
                // With no room at all, every send waits for a receiver.
                assert_blocked_at(&t, i, i);
                assert_eq!(rx.recv().ok(), Some(letter), "{SECTION}");
            }
            assert_eq!(rx.recv().ok(), None, "the channel must close ({SECTION})");
            join_quietly(producer);
        }),
    );
}

#[test]
fn every_capacity_and_number_of_items() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            // Every capacity up to 5, with no items, fewer items than
            // room, exactly as many, and more: the producer must block at
            // item `capacity + received` each time there is one.
            for capacity in 0..=5 {
                for len in 0..=capacity + 3 {
                    let (t, rx, producer) = seen.spawn((0..len).collect::<Vec<usize>>(), capacity);
                    for received in 0..len {
                        if capacity + received < len {
                            assert_blocked_at(&t, capacity + received, received);
                        }
                        assert_eq!(
                            rx.recv().ok(),
                            Some(received),
                            "capacity {capacity}, {len} items: item {received} must arrive, \
                             in order ({SECTION})"
                        );
                    }
                    assert_eq!(
                        rx.recv().ok(),
                        None,
                        "capacity {capacity}, {len} items: once every item is sent, the \
                         producer's thread ends and the channel closes ({SECTION})"
                    );
                    join_quietly(producer);
                    check_order(&t);
                    assert_eq!(
                        (t.announced.load(SeqCst), t.sent.load(SeqCst)),
                        (len, len),
                        "capacity {capacity}, {len} items: one Sending and one Sent report \
                         per item, and none more ({SECTION})"
                    );
                }
            }
        }),
    );
}

#[test]
fn the_producer_stops_quietly_when_the_receiver_is_gone() {
    watchdog_diagnosed(
        diagnose_with(Seen::default(), Seen::diagnosis),
        run_with(|seen: Seen| {
            let (t, rx, producer) = seen.spawn((0..10).collect::<Vec<u8>>(), 2);
            assert_blocked_at(&t, 2, 0);
            drop(rx); // the blocked send returns Err
            assert!(
                producer.join().is_ok(),
                "the producer panicked after the receiver was dropped: `send` returns Err \
                 then, and the producer must end instead of unwrapping it \
                 (book: 3.4 How a channel closes)"
            );
            // What was tried after the failed send comes first: it names
            // the cause better than the order of the reports does.
            assert_eq!(
                (t.announced.load(SeqCst), t.sent.load(SeqCst)),
                (3, 2),
                "(Sending reports, Sent reports): after the send of item 2 failed, the \
                 producer must stop: report no Sent(2), and try no more items. A failed \
                 send means that nobody will ever receive: return from the thread \
                 ({SECTION})"
            );
            check_order(&t);
        }),
    );
}

/// What a stuck `offer` test saw.
fn offer_diagnosis(sleeps: &Sleeps) -> String {
    match sleeps.slept_inside() {
        Some(true) => "offer waited: it is asleep inside the call, waiting for room (`send` \
                       blocks when the channel is full, and on a rendezvous channel until \
                       a receiver comes). It must never block: use try_send, which returns \
                       Err(TrySendError::Full(item)) at once when there is no room \
                       (book: 3.6 Bounded and rendezvous channels)."
            .to_owned(),
        _ => "offer waited. It must never block: use try_send, which returns \
              Err(TrySendError::Full(item)) at once when there is no room \
              (book: 3.6 Bounded and rendezvous channels)."
            .to_owned(),
    }
}

/// `lossy.offer(item)`, checked not to have waited.
fn offer<T>(sleeps: &Sleeps, lossy: &mut LossySender<T>, item: T) -> Offered<T> {
    let (outcome, slept) = sleeps.during(|| lossy.offer(item));
    assert!(
        !slept,
        "offer waited: the kernel showed its thread asleep inside offer (a sleep before \
         trying again, a `send`, a wait for room). It must never block: use try_send, \
         which returns Err(TrySendError::Full(item)) at once when there is no room, and \
         drop the item then ({CHANNELS})"
    );
    outcome
}

#[test]
fn lossy_sends_while_there_is_room_then_drops_and_counts() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), offer_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            let (tx, rx) = mpsc::sync_channel(3);
            let mut lossy = LossySender::new(tx);
            let outcomes: Vec<Offered<u32>> =
                (1..=5).map(|n| offer(&sleeps, &mut lossy, n)).collect();
            assert_eq!(
                outcomes,
                [
                    Offered::Sent,
                    Offered::Sent,
                    Offered::Sent,
                    Offered::Dropped,
                    Offered::Dropped
                ],
                "a channel with room for 3 takes 3 items; the next ones are dropped \
                 ({SECTION})"
            );
            assert_eq!(lossy.dropped(), 2, "two items were dropped ({SECTION})");
            assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1, 2, 3], "{SECTION}");

            // Receiving made room again.
            assert_eq!(offer(&sleeps, &mut lossy, 6), Offered::Sent, "{SECTION}");
            assert_eq!(rx.try_recv().ok(), Some(6), "{SECTION}");
            assert_eq!(
                lossy.dropped(),
                2,
                "dropped() counts every item dropped so far, and only those ({SECTION})"
            );
        }),
    );
}

#[test]
fn lossy_never_waits_even_for_a_rendezvous() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), offer_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            let (tx, _rx) = mpsc::sync_channel(0);
            let mut lossy = LossySender::new(tx);
            // Many times: a wait of any length is seen.
            for n in 1..=50 {
                assert_eq!(
                    offer(&sleeps, &mut lossy, "no one is receiving"),
                    Offered::Dropped,
                    "with capacity 0 and no receiver waiting, there is no room ({SECTION})"
                );
                assert_eq!(lossy.dropped(), n, "{SECTION}");
            }
        }),
    );
}

#[test]
fn lossy_every_capacity() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), offer_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            for capacity in 0..=6 {
                let (tx, rx) = mpsc::sync_channel(capacity);
                let mut lossy = LossySender::new(tx);
                let mut dropped = 0;
                for round in 0..3 {
                    let outcomes: Vec<Offered<usize>> = (0..capacity + 3)
                        .map(|n| offer(&sleeps, &mut lossy, n))
                        .collect();
                    let sent = outcomes.iter().filter(|o| **o == Offered::Sent).count();
                    assert_eq!(
                        sent, capacity,
                        "an empty channel with room for {capacity} takes {capacity} offered \
                         items, and drops the rest ({SECTION})"
                    );
                    assert!(
                        outcomes[..capacity].iter().all(|o| *o == Offered::Sent),
                        "the first {capacity} items fit ({SECTION})"
                    );
                    dropped += 3;
                    assert_eq!(
                        lossy.dropped(),
                        dropped,
                        "capacity {capacity}, round {round}: {dropped} items have been \
                         dropped so far ({SECTION})"
                    );
                    assert_eq!(
                        rx.try_iter().collect::<Vec<_>>(),
                        (0..capacity).collect::<Vec<_>>(),
                        "{SECTION}"
                    );
                }
            }
        }),
    );
}

#[test]
fn lossy_gives_the_item_back_when_the_receiver_is_gone() {
    watchdog_diagnosed(
        diagnose_with(Sleeps::new(), offer_diagnosis),
        run_with(|sleeps: Sleeps| {
            sleeps.watch_me();
            for capacity in [0, 1] {
                let (tx, rx) = mpsc::sync_channel(capacity);
                let mut lossy = LossySender::new(tx);
                drop(rx);
                assert_eq!(
                    offer(&sleeps, &mut lossy, String::from("last words")),
                    Offered::Closed(String::from("last words")),
                    "when the receiver is gone, try_send returns \
                     Err(TrySendError::Disconnected(item)): give the item back in \
                     Offered::Closed, it is not a full channel ({CHANNELS})"
                );
                assert_eq!(
                    lossy.dropped(),
                    0,
                    "only items refused by a full channel count as dropped ({SECTION})"
                );
            }
        }),
    );
}
