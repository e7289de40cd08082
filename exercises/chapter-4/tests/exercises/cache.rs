use crate::chapter_4::cache::Cache;
use std::sync::{Arc, Barrier};
use std::thread;
use test_support::watchdog;

const SECTION: &str = "book: 4.9.4 A read-mostly cache";
const STUCK: &str = "a lock that is never released, or a thread that asks for \
     the write lock while it still holds a read guard (a guard in a `match` \
     scrutinee lives until the end of the match), or `make` called with a \
     lock held (book: 4.2 How long a lock is held).";

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
        assert_eq!(cache.get(&"a".to_owned()), Some(2), "{SECTION}");
        let doubled = cache.read(&"a".to_owned(), |value| value.map(|v| v * 2));
        assert_eq!(
            doubled,
            Some(4),
            "read runs the closure on the value ({SECTION})"
        );
        let missing = cache.read(&"b".to_owned(), |value| value.is_none());
        assert!(missing, "read passes None for a missing key ({SECTION})");
    });
}

#[test]
fn two_readers_hold_the_read_lock_at_once() {
    watchdog(
        "two threads could not be inside `read` at the same time. Each one here \
         waits, inside its closure, for the other to arrive: that only works if \
         `read` takes a shared read lock (RwLock::read), not the write lock \
         (book: 4.6 Readers and writers: RwLock).",
        || {
            let cache = Arc::new(Cache::new());
            cache.insert(1, "one");
            let inside = Arc::new(Barrier::new(2));
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    let cache = Arc::clone(&cache);
                    let inside = Arc::clone(&inside);
                    thread::spawn(move || {
                        cache.read(&1, |value| {
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
struct Rendezvous(Arc<Barrier>);

impl Clone for Rendezvous {
    fn clone(&self) -> Self {
        self.0.wait();
        Rendezvous(Arc::clone(&self.0))
    }
}

#[test]
fn two_threads_get_at_once() {
    watchdog(
        "two threads could not be inside `get` at the same time. The value here \
         can only be cloned by two threads at once; `get` clones it while it \
         holds the lock, so that lock must be a shared read lock \
         (book: 4.6 Readers and writers: RwLock).",
        || {
            let cache = Arc::new(Cache::new());
            cache.insert("key", Rendezvous(Arc::new(Barrier::new(2))));
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

#[test]
fn a_miss_stores_what_make_returns() {
    watchdog(STUCK, || {
        let cache = Cache::new();
        assert_eq!(cache.get_or_insert_with("key", || 42), 42, "{SECTION}");
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
    watchdog(
        "`make` could not use the cache: it was called while get_or_insert_with \
         still held the lock, so the cache's own read and insert inside `make` \
         never got it. Let go of every guard before calling `make` \
         (book: 4.2 How long a lock is held).",
        || {
            let cache = Arc::new(Cache::new());
            cache.insert(1, 10);
            let inner = Arc::clone(&cache);
            let value = cache.get_or_insert_with(2, move || {
                let one = inner.get(&1).expect("key 1 is in the cache");
                inner.insert(3, 30);
                one * 2
            });
            assert_eq!(value, 20, "{SECTION}");
            assert_eq!(cache.get(&3), Some(30), "{SECTION}");
        },
    );
}

#[test]
fn when_two_threads_miss_at_once_the_first_value_stored_wins() {
    watchdog(
        "two threads that missed the same key at the same time could not both run \
         `make`: make must run with no lock held (book: 4.6 Readers and writers: RwLock).",
        || {
            let cache: Arc<Cache<&str, String>> = Arc::new(Cache::new());
            // Both threads are inside make at once, so both have missed.
            let both_missed = Arc::new(Barrier::new(2));
            let threads: Vec<_> = ["made by thread 0", "made by thread 1"]
                .into_iter()
                .map(|made| {
                    let cache = Arc::clone(&cache);
                    let both_missed = Arc::clone(&both_missed);
                    thread::spawn(move || {
                        cache.get_or_insert_with("key", move || {
                            both_missed.wait();
                            made.to_owned()
                        })
                    })
                })
                .collect();
            let got: Vec<String> = threads
                .into_iter()
                .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect();
            let stored = cache.get(&"key").expect("a value was stored");
            assert!(
                got[0] == stored && got[1] == stored,
                "both threads missed and made a value; they returned {got:?}, and the \
                 cache holds {stored:?}. Both callers must get the value that was \
                 stored first: the map may have changed between letting go of the \
                 read lock and taking the write lock, so look again under the write \
                 lock (e.g. with the entry API) before inserting \
                 (book: 4.6 Readers and writers: RwLock)"
            );
        },
    );
}
