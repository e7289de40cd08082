use crate::chapter_4::stats::{Stats, run_workers};
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Barrier};
use std::thread;
use test_support::watchdog;

const SECTION: &str = "book: 4.9.1 A shared statistics registry";
const STUCK: &str = "a lock that is never released, or a worker that waits for \
                     the others while they wait for it. Start every worker \
                     before joining any (book: 4.4 Sharing ownership with Arc).";

#[test]
fn adds_and_reads_counters() {
    watchdog(STUCK, || {
        let stats = Stats::new();
        stats.add("requests", 2);
        stats.add("errors", 1);
        stats.add("requests", 3);
        assert_eq!(
            stats.get("requests"),
            5,
            "add must add to what is there ({SECTION})"
        );
        assert_eq!(stats.get("errors"), 1, "{SECTION}");
        assert_eq!(
            stats.get("timeouts"),
            0,
            "a counter never added to reads 0 ({SECTION})"
        );
        let expected = BTreeMap::from([("errors".to_owned(), 1), ("requests".to_owned(), 5)]);
        assert_eq!(
            stats.snapshot(),
            expected,
            "snapshot copies every counter, and only those that were added to: \
             get must not create counters ({SECTION})"
        );
    });
}

#[test]
fn a_clone_shares_the_counters() {
    watchdog(STUCK, || {
        let stats = Stats::new();
        let other = stats.clone();
        other.add("hits", 4);
        assert_eq!(
            stats.get("hits"),
            4,
            "a clone of Stats is another handle to the same counters, like a \
             clone of an Arc (book: 4.4 Sharing ownership with Arc)"
        );
    });
}

#[test]
fn a_snapshot_is_a_copy() {
    watchdog(STUCK, || {
        let stats = Stats::new();
        stats.add("hits", 1);
        let before = stats.snapshot();
        stats.add("hits", 1);
        assert_eq!(
            before.get("hits"),
            Some(&1),
            "a snapshot must not change afterwards ({SECTION})"
        );
        assert_eq!(stats.get("hits"), 2, "{SECTION}");
    });
}

#[test]
fn no_update_is_lost() {
    watchdog(
        "updates from many threads took too long, or never finished: a lock \
         that is never released? (book: 4.4 Sharing ownership with Arc)",
        || {
            let threads = 8;
            let rounds = 50_000;
            let stats = Stats::new();
            let start = Arc::new(Barrier::new(threads));
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let stats = stats.clone();
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..rounds {
                            stats.add("hits", 1);
                        }
                        stats.add("threads", 1);
                    })
                })
                .collect();
            for handle in handles {
                handle.join().unwrap();
            }
            let lost = (threads * rounds) as u64 - stats.get("hits");
            assert_eq!(
                lost, 0,
                "{lost} updates were lost: add must read and write the counter \
                 under one lock. Locking to read, unlocking, then locking again \
                 to write lets another thread's update fall in between and be \
                 overwritten (book: 4.1 A mutex and its guard)"
            );
            assert_eq!(stats.get("threads"), threads as u64, "{SECTION}");
        },
    );
}

#[test]
fn run_workers_gives_every_worker_the_same_counters() {
    watchdog(STUCK, || {
        let stats = Stats::new();
        stats.add("before", 1);
        let workers: Vec<_> = (1..=4u64)
            .map(|i| {
                move |stats: Stats| {
                    stats.add("sum", i);
                    assert_eq!(
                        stats.get("before"),
                        1,
                        "a worker's handle must share the caller's counters ({SECTION})"
                    );
                }
            })
            .collect();
        run_workers(&stats, workers);
        assert_eq!(
            stats.get("sum"),
            10,
            "every worker's counts must land in the caller's Stats: give each \
             worker a clone of it, not a new one, and join every worker before \
             returning ({SECTION})"
        );
    });
}

#[test]
fn run_workers_runs_them_at_once_on_threads_of_their_own() {
    watchdog(
        "the workers did not run at the same time: each one here waits until \
         all of them have started. Spawn every worker first, then join them \
         (book: 1.4 Waiting for a thread).",
        || {
            let workers = 6;
            let meeting = Arc::new(Barrier::new(workers));
            let caller = thread::current().id();
            let jobs: Vec<_> = (0..workers)
                .map(|_| {
                    let meeting = Arc::clone(&meeting);
                    move |stats: Stats| {
                        meeting.wait();
                        let me = thread::current().id();
                        assert_ne!(me, caller, "a worker ran on the caller's thread");
                        stats.add(&format!("{me:?}"), 1);
                        stats.add("done", 1);
                    }
                })
                .collect();
            let stats = Stats::new();
            run_workers(&stats, jobs);
            let snapshot = stats.snapshot();
            assert_eq!(
                snapshot.get("done"),
                Some(&(workers as u64)),
                "run_workers must return only when every worker is done ({SECTION})"
            );
            let threads: HashSet<&String> = snapshot.keys().filter(|k| *k != "done").collect();
            assert_eq!(
                threads.len(),
                workers,
                "every worker needs a thread of its own ({SECTION})"
            );
        },
    );
}

#[test]
fn run_workers_passes_on_a_panic() {
    watchdog(STUCK, || {
        let stats = Stats::new();
        let workers: Vec<Box<dyn FnOnce(Stats) + Send>> = vec![
            Box::new(|s: Stats| s.add("ok", 1)),
            Box::new(|_| panic!("worker 2 gave up")),
        ];
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_workers(&stats, workers)
        }));
        let payload = outcome.expect_err("a worker panicked, so run_workers must panic too");
        assert_eq!(
            payload.downcast_ref::<&str>(),
            Some(&"worker 2 gave up"),
            "run_workers must panic with the worker's own payload: pass the Err \
             from join on with std::panic::resume_unwind (book: 1.5 When a thread panics)"
        );
        assert_eq!(
            stats.get("ok"),
            1,
            "the other workers still run to the end ({SECTION})"
        );
    });
}
