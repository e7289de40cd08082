use crate::chapter_3::bounded::{LossySender, Offered, Progress, spawn_producer};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::thread::{self, ThreadId};
use test_support::watchdog;

const SECTION: &str = "book: 3.8.3 A bounded producer";
const STUCK: &str = "the producer never blocked at the item the test waits for. Did it \
                     block with fewer than `capacity` items in the channel (use \
                     mpsc::sync_channel(capacity)), does it spin on try_send instead of \
                     waiting in send, or does it not report progress (call \
                     progress(Progress::Sending(i)) just before each send and \
                     progress(Progress::Sent(i)) just after)? \
                     (book: 3.6 Bounded and rendezvous channels)";

/// What the test knows about the producer. The progress callback updates
/// it with atomics only: it must not block, or it could be mistaken for a
/// producer blocked in `send`.
#[derive(Default)]
struct Tracker {
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
}

/// A tracker and the progress callback that feeds it.
fn tracker() -> (Arc<Tracker>, impl FnMut(Progress) + Send + 'static) {
    let tracker = Arc::new(Tracker::default());
    let t = Arc::clone(&tracker);
    let mut expected = Progress::Sending(0);
    let callback = move |progress: Progress| {
        if t.thread.get().is_none() {
            t.tid.store(blocking::own_tid(), SeqCst);
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
    };
    (tracker, callback)
}

fn check_order(t: &Tracker) {
    assert!(
        !t.out_of_order.load(SeqCst),
        "the progress reports must come as Sending(0), Sent(0), Sending(1), Sent(1), \
         ...: Sending(i) just before the send of item i, Sent(i) just after it \
         returned ({SECTION})"
    );
}

/// Waits until the producer is blocked in the send of item `i` (it said
/// `Sending(i)` and sleeps in the kernel), or has said `Sent(i)`. Returns
/// whether it was blocked. No timing: a producer that is blocked stays
/// blocked, and one that is not gets to `Sent(i)`.
fn blocked_at(t: &Tracker, i: usize) -> bool {
    loop {
        check_order(t);
        let sent = t.sent.load(SeqCst);
        if sent > i {
            return false;
        }
        if t.announced.load(SeqCst) == i + 1
            && sent == i
            && blocking::is_asleep(t, i)
            // Still not sent, now that we know it was asleep.
            && t.sent.load(SeqCst) == i
        {
            return true;
        }
        thread::yield_now();
    }
}

/// How the test tells that the producer's thread is blocked.
mod blocking {
    use super::Tracker;
    use std::sync::atomic::Ordering::SeqCst;

    /// The calling thread's id in the kernel, or 0 where there is none to
    /// be had.
    pub fn own_tid() -> u64 {
        #[cfg(target_os = "linux")]
        if let Ok(link) = std::fs::read_link("/proc/thread-self") {
            // The link reads "<pid>/task/<tid>".
            if let Some(tid) = link.file_name().and_then(|s| s.to_str()?.parse().ok()) {
                return tid;
            }
        }
        0
    }

    /// Whether the producer, which said `Sending(i)` and not yet `Sent(i)`,
    /// is asleep.
    ///
    /// On Linux the kernel shows every thread's scheduler state in
    /// `/proc/self/task/<tid>/stat`; `S` means asleep, waiting for an
    /// event. Between `Sending(i)` and `Sent(i)` the producer does nothing
    /// but `send`, and `send` on a channel with room never waits for an
    /// event: it runs (`R`, also when it is preempted) until it returns. So
    /// `S` here means that the send is blocked. The answer involves no
    /// timing: a right answer always passes, and a wrong one fails. (The
    /// only other sleep possible there, on a contended lock inside the
    /// memory allocator, would have to strike at that very moment in every
    /// round of a test for a wrong answer to slip through.)
    pub fn is_asleep(t: &Tracker, i: usize) -> bool {
        #[cfg(target_os = "linux")]
        {
            let tid = t.tid.load(SeqCst);
            let path = format!("/proc/self/task/{tid}/stat");
            if let Ok(stat) = std::fs::read_to_string(path) {
                // "<tid> (<name>) <state> ...": the name may hold spaces
                // and parentheses, so look after the last ')'.
                let state = stat
                    .rfind(')')
                    .and_then(|end| stat[end + 1..].trim_start().chars().next());
                return state == Some('S');
            }
        }
        // Elsewhere (or without /proc) there is no portable way to see a
        // thread's state, so give the send a generous time to return. A
        // right answer never returns from it, so it still always passes;
        // a wrong one fails unless its thread is held up for longer than
        // this, which only a badly overloaded machine does.
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_millis(250) {
            if t.sent.load(SeqCst) > i {
                return false;
            }
            std::thread::yield_now();
        }
        true
    }
}

fn assert_blocked_at(t: &Tracker, i: usize, capacity: usize, received: usize) {
    assert!(
        blocked_at(t, i),
        "the producer sent item {i} although the channel already held {capacity} \
         items (capacity {capacity}, and the test had received {received}): a full \
         channel must make `send` wait. Use mpsc::sync_channel(capacity), not \
         mpsc::channel() (book: 3.6 Bounded and rendezvous channels)"
    );
}

#[test]
fn delivers_every_item_in_order_then_closes() {
    watchdog(STUCK, || {
        let (t, progress) = tracker();
        let (rx, producer) = spawn_producer((0..200).collect::<Vec<u32>>(), 4, progress);
        let producer_id = producer.thread().id();
        let received: Vec<u32> = rx.iter().collect();
        assert!(
            received == (0..200).collect::<Vec<u32>>(),
            "every item must arrive, in order, and the channel must close after the \
             last one ({SECTION})"
        );
        assert!(producer.join().is_ok(), "the producer panicked ({SECTION})");
        check_order(&t);
        assert_eq!(
            t.sent.load(SeqCst),
            200,
            "one Sent report per item ({SECTION})"
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
    });
}

#[test]
fn a_full_channel_blocks_the_producer() {
    watchdog(STUCK, || {
        for capacity in [1, 3] {
            let (t, progress) = tracker();
            let items: Vec<usize> = (0..capacity + 6).collect();
            let (rx, producer) = spawn_producer(items, capacity, progress);
            // Nobody has received anything: items 0..capacity fill the
            // channel, and the send of the next one must wait. Each item
            // received makes room for exactly one more.
            for received in 0..4 {
                assert_blocked_at(&t, capacity + received, capacity, received);
                assert_eq!(
                    rx.recv().ok(),
                    Some(received),
                    "the items must arrive in order ({SECTION})"
                );
            }
            let rest: Vec<usize> = rx.iter().collect();
            assert_eq!(rest, (4..capacity + 6).collect::<Vec<_>>(), "{SECTION}");
            assert!(producer.join().is_ok(), "the producer panicked ({SECTION})");
        }
    });
}

#[test]
fn capacity_zero_is_a_rendezvous() {
    watchdog(STUCK, || {
        let (t, progress) = tracker();
        let (rx, producer) = spawn_producer(vec!['a', 'b', 'c'], 0, progress);
        for (i, letter) in ['a', 'b', 'c'].into_iter().enumerate() {
            // With no room at all, every send waits for a receiver.
            assert!(
                blocked_at(&t, i),
                "with capacity 0, the send of item {i} must wait until the test \
                 receives it: use mpsc::sync_channel(0), a rendezvous channel \
                 (book: 3.6 Bounded and rendezvous channels)"
            );
            assert_eq!(rx.recv().ok(), Some(letter), "{SECTION}");
        }
        assert_eq!(rx.recv().ok(), None, "the channel must close ({SECTION})");
        assert!(producer.join().is_ok(), "the producer panicked ({SECTION})");
    });
}

#[test]
fn the_producer_stops_quietly_when_the_receiver_is_gone() {
    watchdog(STUCK, || {
        let (t, progress) = tracker();
        let (rx, producer) = spawn_producer((0..10).collect::<Vec<u8>>(), 2, progress);
        assert_blocked_at(&t, 2, 2, 0);
        drop(rx); // the blocked send returns Err
        assert!(
            producer.join().is_ok(),
            "the producer panicked after the receiver was dropped: `send` returns Err \
             then, and the producer must end instead of unwrapping it \
             (book: 3.4 How a channel closes)"
        );
        check_order(&t);
        assert_eq!(
            (t.announced.load(SeqCst), t.sent.load(SeqCst)),
            (3, 2),
            "after the send of item 2 failed, the producer must stop: report no \
             Sent(2), and try no more items ({SECTION})"
        );
    });
}

const NEVER_WAIT: &str = "offer waited. It must never block: use try_send, which returns \
                          Err(TrySendError::Full(item)) at once when there is no room \
                          (book: 3.6 Bounded and rendezvous channels).";

#[test]
fn lossy_sends_while_there_is_room_then_drops_and_counts() {
    watchdog(NEVER_WAIT, || {
        let (tx, rx) = mpsc::sync_channel(3);
        let mut lossy = LossySender::new(tx);
        let outcomes: Vec<Offered<u32>> = (1..=5).map(|n| lossy.offer(n)).collect();
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
        assert_eq!(lossy.offer(6), Offered::Sent, "{SECTION}");
        assert_eq!(rx.try_recv().ok(), Some(6), "{SECTION}");
        assert_eq!(lossy.dropped(), 2, "{SECTION}");
    });
}

#[test]
fn lossy_never_waits_even_for_a_rendezvous() {
    watchdog(NEVER_WAIT, || {
        let (tx, _rx) = mpsc::sync_channel(0);
        let mut lossy = LossySender::new(tx);
        assert_eq!(
            lossy.offer("no one is receiving"),
            Offered::Dropped,
            "with capacity 0 and no receiver waiting, there is no room ({SECTION})"
        );
        assert_eq!(lossy.dropped(), 1, "{SECTION}");
    });
}

#[test]
fn lossy_gives_the_item_back_when_the_receiver_is_gone() {
    watchdog(NEVER_WAIT, || {
        let (tx, rx) = mpsc::sync_channel(1);
        let mut lossy = LossySender::new(tx);
        drop(rx);
        assert_eq!(
            lossy.offer(String::from("last words")),
            Offered::Closed(String::from("last words")),
            "when the receiver is gone, try_send returns \
             Err(TrySendError::Disconnected(item)): give the item back in \
             Offered::Closed, it is not a full channel (book: 3.6 Bounded and rendezvous channels)"
        );
        assert_eq!(
            lossy.dropped(),
            0,
            "only items refused by a full channel count as dropped ({SECTION})"
        );
    });
}
