//! The contract of `Cache`, sentence by sentence, with the tests that check
//! each sentence:
//!
//! - "Runs `look` on the value for `key` (`None` if there is none) under a read lock, so that any number of threads can be in here at once.": insert_get_and_read, look_runs_under_the_read_lock, two_readers_hold_the_read_lock_at_once
//! - "A clone of the value for `key`.": insert_get_and_read, two_threads_get_at_once
//! - "Stores `value` for `key`; returns the value it replaces.": insert_get_and_read
//! - "The value for `key`.": a_hit_does_not_call_make, a_miss_stores_what_make_returns
//! - "On a miss, computes one with `make`, with no lock held, and stores it, unless another thread stored a value for `key` in the meantime: then that value stays, and is returned.": a_miss_stores_what_make_returns, make_runs_with_no_lock_held, when_two_threads_miss_at_once_the_first_value_stored_wins, the_second_look_and_the_insert_are_one_step

use crate::chapter_4::cache::Cache;
use crate::common::{BlockedWatch, share, shared};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;
use test_support::{watchdog, watchdog_diagnosed};

const SECTION: &str = "book: 4.9.4 A read-mostly cache";
const STUCK: &str = "a lock that is never released, or a thread that asks for \
     the write lock while it still holds a read guard (a guard in a `match` \
     scrutinee lives until the end of the match), or `make` called with a \
     lock held (book: 4.2 How long a lock is held).";

/// Steps a test has seen, for the diagnosis of a hang.
#[derive(Default)]
struct Seen {
    /// Threads inside `look` (or inside a clone) right now.
    inside: AtomicUsize,
    /// Calls of `make` that started, and that returned.
    make_started: AtomicUsize,
    make_returned: AtomicUsize,
    /// Inside `make`: the cache's `get` returned, the cache's `insert`
    /// returned.
    make_got: AtomicUsize,
    make_inserted: AtomicUsize,
}

fn seen() -> Option<Arc<Seen>> {
    shared::<Seen>()
}

fn load(counter: &AtomicUsize) -> usize {
    counter.load(Ordering::SeqCst)
}

#[test]
fn insert_get_and_read() {
    watchdog(STUCK, || {
        let cache: Cache<String, u32> = Cache::new();
        assert_eq!(cache.get(&"a".to_owned()), None, "{SECTION}");
        assert_eq!(cache.insert("a".to_owned(), 1), None, "{SECTION}");
        assert_eq!(
            cache.insert("a".to_owned(), 2),
            Some(1),
            "insert returns the value it replaces ({SECTION})"
        );
        assert_eq!(cache.insert("b".to_owned(), 3), None, "{SECTION}");
        assert_eq!(cache.get(&"a".to_owned()), Some(2), "{SECTION}");
        assert_eq!(
            cache.get(&"b".to_owned()),
            Some(3),
            "every key keeps its own value ({SECTION})"
        );
        let doubled = cache.read(&"a".to_owned(), |value| value.map(|v| v * 2));
        assert_eq!(
            doubled,
            Some(4),
            "read runs the closure on the value ({SECTION})"
        );
        let missing = cache.read(&"c".to_owned(), |value| value.is_none());
        assert!(missing, "read passes None for a missing key ({SECTION})");
    });
}

/// While one thread is inside `look`, a writer must wait: `look` runs under
/// the lock, on the value in the cache. The test lets the writer start, and
/// only lets `look` return once the writer is blocked (or once it has
/// finished, which is the bug).
#[test]
fn look_runs_under_the_read_lock() {
    watchdog(STUCK, || {
        let cache = Arc::new(Cache::new());
        cache.insert(1, "old");
        let (inside_tx, inside_rx) = mpsc::channel::<()>();
        let (leave_tx, leave_rx) = mpsc::channel::<()>();
        let reader = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || {
                cache.read(&1, |value| {
                    let _ = inside_tx.send(());
                    let _ = leave_rx.recv();
                    value.copied()
                })
            })
        };
        inside_rx
            .recv()
            .expect("read must call look (book: 4.6 Readers and writers: RwLock)");
        let (watch_tx, watch_rx) = mpsc::channel();
        let (wrote_tx, wrote_rx) = mpsc::channel::<()>();
        let writer = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || {
                let _ = watch_tx.send(BlockedWatch::current());
                cache.insert(1, "new");
                let _ = wrote_tx.send(());
            })
        };
        let watch = watch_rx.recv().expect("the writer's thread started");
        // Wait until the writer is blocked (right), or has written (wrong).
        let wrote_while_looking =
            watch.wait_until_blocked_unless(Duration::from_secs(1), || wrote_rx.try_recv().is_ok());
        leave_tx.send(()).expect("the reader waits in look");
        let looked = reader
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        assert!(
            !wrote_while_looking,
            "insert changed the cache while another thread was still inside look: look \
             must run under the read lock, on the value in the cache, so that a writer \
             waits until it returns. Keep the read guard alive while look runs (e.g. \
             `let entries = self.entries.read().unwrap(); look(entries.get(key))`) \
             instead of copying the value out and letting go of the lock first \
             (book: 4.6 Readers and writers: RwLock)"
        );
        assert_eq!(looked, Some("old"), "{SECTION}");
        assert_eq!(cache.get(&1), Some("new"), "{SECTION}");
    });
}

fn two_inside(what: &str) -> String {
    let inside = seen().map_or(0, |s| load(&s.inside));
    format!(
        "two threads could not be inside `{what}` at the same time: {inside} of the 2 got \
         in, and each one here waits, inside, for the other to arrive. That only works \
         if `{what}` takes a shared read lock (RwLock::read), not the write lock, and \
         holds no other lock (book: 4.6 Readers and writers: RwLock)."
    )
}

#[test]
fn two_readers_hold_the_read_lock_at_once() {
    watchdog_diagnosed(
        || two_inside("read"),
        || {
            let seen = share(Seen::default());
            let cache = Arc::new(Cache::new());
            cache.insert(1, "one");
            let inside = Arc::new(Barrier::new(2));
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    let cache = Arc::clone(&cache);
                    let inside = Arc::clone(&inside);
                    let seen = Arc::clone(&seen);
                    thread::spawn(move || {
                        cache.read(&1, |value| {
                            seen.inside.fetch_add(1, Ordering::SeqCst);
                            // Both readers must be in here at once.
                            inside.wait();
                            value.copied()
                        })
                    })
                })
                .collect();
            for reader in readers {
                match reader.join() {
                    Ok(value) => assert_eq!(value, Some("one"), "{SECTION}"),
                    Err(payload) => std::panic::resume_unwind(payload),
                }
            }
        },
    );
}

/// A value whose clones meet: cloning one waits until another thread clones
/// one too. Two `get`s of it can only both return if both clone it at once.
struct Rendezvous(Arc<Barrier>, Arc<Seen>);

impl Clone for Rendezvous {
    fn clone(&self) -> Self {
        self.1.inside.fetch_add(1, Ordering::SeqCst);
        self.0.wait();
        Rendezvous(Arc::clone(&self.0), Arc::clone(&self.1))
    }
}

#[test]
fn two_threads_get_at_once() {
    watchdog_diagnosed(
        || two_inside("get"),
        || {
            let seen = share(Seen::default());
            let cache = Arc::new(Cache::new());
            cache.insert("key", Rendezvous(Arc::new(Barrier::new(2)), seen));
            let getters: Vec<_> = (0..2)
                .map(|_| {
                    let cache = Arc::clone(&cache);
                    thread::spawn(move || cache.get(&"key").is_some())
                })
                .collect();
            for getter in getters {
                match getter.join() {
                    Ok(found) => assert!(found, "the key is in the cache ({SECTION})"),
                    Err(payload) => std::panic::resume_unwind(payload),
                }
            }
        },
    );
}

#[test]
fn a_hit_does_not_call_make() {
    watchdog(STUCK, || {
        let cache = Cache::new();
        cache.insert("key", 7);
        let value = cache.get_or_insert_with("key", || {
            panic!("make was called although the cache had a value ({SECTION})")
        });
        assert_eq!(value, 7, "{SECTION}");
    });
}

fn make_stuck() -> String {
    let Some(s) = seen() else {
        return STUCK.to_owned();
    };
    let (started, returned) = (load(&s.make_started), load(&s.make_returned));
    let (got, inserted) = (load(&s.make_got), load(&s.make_inserted));
    if started == 0 {
        "get_or_insert_with never called make, and never returned: a lock that is \
         never released, or a thread that waits for a lock it holds itself \
         (book: 4.2 How long a lock is held)."
            .to_owned()
    } else if returned == 0 && got == 0 {
        "make started, but its first use of the cache (a get) never returned: \
         get_or_insert_with still held the write lock when it called make. Let go of \
         every guard before calling make (book: 4.2 How long a lock is held)."
            .to_owned()
    } else if returned == 0 && inserted == 0 {
        "make started and read the cache, but its insert never returned: \
         get_or_insert_with still held a read guard when it called make (a guard in a \
         `match` scrutinee lives until the end of the match, and so does one in an `if \
         let` condition up to the end of the `if` block). Let go of every guard before \
         calling make: look in a `let` statement of its own, or with self.get \
         (book: 4.2 How long a lock is held)."
            .to_owned()
    } else {
        "make returned, but get_or_insert_with never did: it asked for the write lock \
         while a read guard of its own was still alive (a guard in a `match` scrutinee \
         lives until the end of the match). Look with a read lock in a `let` statement \
         of its own, or with self.get, so that the guard is gone before you call make \
         and take the write lock (book: 4.2 How long a lock is held)."
            .to_owned()
    }
}

#[test]
fn a_miss_stores_what_make_returns() {
    watchdog_diagnosed(make_stuck, || {
        let seen = share(Seen::default());
        let cache = Cache::new();
        let calls = Arc::clone(&seen);
        let value = cache.get_or_insert_with("key", move || {
            calls.make_started.fetch_add(1, Ordering::SeqCst);
            calls.make_got.fetch_add(1, Ordering::SeqCst);
            calls.make_inserted.fetch_add(1, Ordering::SeqCst);
            calls.make_returned.fetch_add(1, Ordering::SeqCst);
            42
        });
        assert_eq!(value, 42, "{SECTION}");
        assert_eq!(
            load(&seen.make_started),
            1,
            "on a miss with no other thread about, make runs once ({SECTION})"
        );
        assert_eq!(
            cache.get(&"key"),
            Some(42),
            "the value that make returned must be stored ({SECTION})"
        );
        assert_eq!(
            cache.get_or_insert_with("key", || 0),
            42,
            "the second call finds the stored value ({SECTION})"
        );
    });
}

#[test]
fn make_runs_with_no_lock_held() {
    watchdog_diagnosed(make_stuck, || {
        let seen = share(Seen::default());
        let cache = Arc::new(Cache::new());
        cache.insert(1, 10);
        let inner = Arc::clone(&cache);
        let steps = Arc::clone(&seen);
        let value = cache.get_or_insert_with(2, move || {
            steps.make_started.fetch_add(1, Ordering::SeqCst);
            let one = inner.get(&1).expect("key 1 is in the cache");
            steps.make_got.fetch_add(1, Ordering::SeqCst);
            inner.insert(3, 30);
            steps.make_inserted.fetch_add(1, Ordering::SeqCst);
            steps.make_returned.fetch_add(1, Ordering::SeqCst);
            one * 2
        });
        assert_eq!(value, 20, "{SECTION}");
        assert_eq!(cache.get(&3), Some(30), "{SECTION}");
    });
}

fn both_in_make() -> String {
    let Some(s) = seen() else {
        return STUCK.to_owned();
    };
    let (started, returned) = (load(&s.make_started), load(&s.make_returned));
    if started < 2 {
        format!(
            "two threads that missed the same key at the same time could not both run \
             `make`: {started} of the 2 calls of make started, and each waits for the \
             other to be inside make too. make must run with no lock held, so that \
             another thread can miss and make a value meanwhile \
             (book: 4.6 Readers and writers: RwLock)."
        )
    } else if returned > 0 {
        "both threads got into make, and thread 0's make returned, but thread 0's \
         get_or_insert_with never did (thread 1's make waits for it). So it cannot take \
         the write lock: read guards are still alive, its own or thread 1's, kept while \
         make ran (a guard in a `match` scrutinee lives until the end of the match). Let \
         go of every guard before calling make (book: 4.2 How long a lock is held)."
            .to_owned()
    } else {
        "both threads got into make, and neither make returned: a lock that is never \
         released? (book: 4.2 How long a lock is held)"
            .to_owned()
    }
}

/// Two threads miss the same key and are both inside `make` at once. Thread
/// 0's `make` returns first; thread 1's returns only once thread 0's call
/// has returned, so thread 0 stores first, and its value must win.
#[test]
fn when_two_threads_miss_at_once_the_first_value_stored_wins() {
    watchdog_diagnosed(both_in_make, || {
        let seen = share(Seen::default());
        let cache: Arc<Cache<&str, String>> = Arc::new(Cache::new());
        let both_missed = Arc::new(Barrier::new(2));
        let (first_done_tx, first_done_rx) = mpsc::channel::<()>();
        let first = {
            let cache = Arc::clone(&cache);
            let both_missed = Arc::clone(&both_missed);
            let seen = Arc::clone(&seen);
            thread::spawn(move || {
                let got = cache.get_or_insert_with("key", move || {
                    seen.make_started.fetch_add(1, Ordering::SeqCst);
                    both_missed.wait();
                    seen.make_returned.fetch_add(1, Ordering::SeqCst);
                    "made by thread 0".to_owned()
                });
                drop(first_done_tx);
                got
            })
        };
        let second = {
            let cache = Arc::clone(&cache);
            let seen = Arc::clone(&seen);
            thread::spawn(move || {
                cache.get_or_insert_with("key", move || {
                    seen.make_started.fetch_add(1, Ordering::SeqCst);
                    both_missed.wait();
                    // Until thread 0's call has returned (or its thread ended).
                    let _ = first_done_rx.recv();
                    "made by thread 1".to_owned()
                })
            })
        };
        let got: Vec<String> = [first, second]
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        let stored = cache.get(&"key").expect("a value was stored");
        assert_eq!(
            stored, "made by thread 0",
            "both threads missed and made a value; thread 0 stored its value first, then \
             thread 1 replaced it with its own. Thread 0's value must stay: the map may \
             have changed between letting go of the read lock and taking the write lock, \
             so look again under the write lock (e.g. with the entry API) before inserting \
             (book: 4.6 Readers and writers: RwLock)"
        );
        assert!(
            got[0] == stored && got[1] == stored,
            "both threads missed and made a value; the cache kept thread 0's, which was \
             stored first, but they returned {got:?}. Both callers must return the value \
             that ended up in the cache, not the one their own make computed: return \
             what the entry holds after the second look \
             (e.g. `entries.entry(key).or_insert(value).clone()`) \
             (book: 4.6 Readers and writers: RwLock)"
        );
    });
}

/// Where two threads stand, for a value whose first clone waits for the
/// other thread.
#[derive(Default)]
struct Meeting {
    /// Threads that reached the first clone of their own value.
    at_clone: AtomicUsize,
    /// Threads whose get_or_insert_with returned.
    returned: AtomicUsize,
    /// Whose `make` has returned, by thread.
    made: [std::sync::atomic::AtomicBool; 2],
    watches: std::sync::Mutex<Vec<BlockedWatch>>,
}

/// A value made by one of two threads. Its first clone (the one an answer
/// makes to insert it, or to return it) waits until the other thread is
/// also at such a clone, or blocked (on the cache's lock), or done. So two
/// threads that each look again with one lock and insert with another
/// both look before either inserts; an answer that looks again and inserts
/// under one write lock holds it during the clone, and the other thread is
/// blocked on it.
struct Made {
    by: usize,
    first: Arc<std::sync::atomic::AtomicBool>,
    meeting: Arc<Meeting>,
}

impl Clone for Made {
    fn clone(&self) -> Self {
        if !self.first.swap(true, Ordering::SeqCst) {
            let m = &self.meeting;
            m.at_clone.fetch_add(1, Ordering::SeqCst);
            let other = m.watches.lock().unwrap().get(1 - self.by).cloned();
            let there = || load(&m.at_clone) + load(&m.returned) >= 2;
            // First until the other thread's make has returned: before that,
            // it may still be asleep in the barrier inside make.
            let start = std::time::Instant::now();
            while !m.made[1 - self.by].load(Ordering::SeqCst)
                && !there()
                && start.elapsed() < Duration::from_secs(1)
            {
                thread::yield_now();
            }
            if let Some(other) = other {
                other.wait_until_blocked_unless(Duration::from_secs(1), there);
            }
        }
        Made {
            by: self.by,
            first: Arc::clone(&self.first),
            meeting: Arc::clone(&self.meeting),
        }
    }
}

/// Two threads miss the same key and are both inside `make` at once; both
/// makes return at once. Then each thread is held at the first clone of
/// its value until the other is there too or is blocked: an answer that
/// looks again with one lock and inserts under another lets both look,
/// find nothing, and insert.
#[test]
fn the_second_look_and_the_insert_are_one_step() {
    watchdog_diagnosed(both_in_make, || {
        let seen = share(Seen::default());
        let meeting = Arc::new(Meeting::default());
        let cache: Arc<Cache<&str, Made>> = Arc::new(Cache::new());
        let both_missed = Arc::new(Barrier::new(2));
        let (watch_tx, watch_rx) = mpsc::channel();
        // The threads start once the test knows how to watch them.
        let registered = Arc::new(Barrier::new(3));
        let threads: Vec<_> = (0..2)
            .map(|by| {
                let cache = Arc::clone(&cache);
                let both_missed = Arc::clone(&both_missed);
                let seen = Arc::clone(&seen);
                let meeting = Arc::clone(&meeting);
                let watch_tx = watch_tx.clone();
                let registered = Arc::clone(&registered);
                thread::spawn(move || {
                    let _ = watch_tx.send((by, BlockedWatch::current()));
                    drop(watch_tx);
                    registered.wait();
                    let made = Made {
                        by,
                        first: Arc::default(),
                        meeting: Arc::clone(&meeting),
                    };
                    let done = Arc::clone(&meeting);
                    let got = cache.get_or_insert_with("key", move || {
                        seen.make_started.fetch_add(1, Ordering::SeqCst);
                        both_missed.wait();
                        seen.make_returned.fetch_add(1, Ordering::SeqCst);
                        done.made[by].store(true, Ordering::SeqCst);
                        made
                    });
                    meeting.returned.fetch_add(1, Ordering::SeqCst);
                    got.by
                })
            })
            .collect();
        drop(watch_tx);
        let mut watches: Vec<(usize, BlockedWatch)> = watch_rx.iter().collect();
        watches.sort_by_key(|(by, _)| *by);
        *meeting.watches.lock().unwrap() = watches.into_iter().map(|(_, w)| w).collect();
        registered.wait();
        let got: Vec<usize> = threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        let stored = cache
            .read(&"key", |v| v.map(|v| v.by))
            .expect("a value was stored");
        assert!(
            got[0] == stored && got[1] == stored,
            "both threads missed, made a value, and then looked again at the same time: \
             thread 0 returned the value of thread {}, thread 1 that of thread {}, and \
             the cache holds thread {stored}'s. Looking again and inserting must be one \
             step, under one write lock: with a look (self.get) under one lock and an \
             insert under another, both threads can look, find nothing, and insert. \
             Take the write lock once, then look and insert through it (e.g. \
             `entries.entry(key).or_insert(value).clone()`). Or, if you do: return the \
             value the cache holds after that look, not the one your own make computed \
             (book: 4.6 Readers and writers: RwLock)",
            got[0],
            got[1]
        );
    });
}
