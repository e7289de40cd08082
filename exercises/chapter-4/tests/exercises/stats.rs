//! The contract of `Stats` and `run_workers`, sentence by sentence, with the
//! tests that check each sentence:
//!
//! - "Adds `amount` to the counter `name`; a new counter starts at 0.": adds_and_reads_counters, no_update_is_lost
//! - "The counter's value; 0 for a counter that was never added to.": adds_and_reads_counters
//! - "A copy of every counter, sorted by name.": adds_and_reads_counters, a_snapshot_is_a_copy
//! - "Runs every worker on a thread of its own, all at the same time, and gives each one a handle to `stats`.": run_workers_gives_every_worker_the_same_counters, run_workers_runs_them_at_once_on_threads_of_their_own, run_workers_with_any_number_of_workers
//! - "Returns when all of them have finished; if a worker panicked, panics with its payload.": run_workers_returns_only_when_every_worker_has_finished, run_workers_passes_on_a_panic

use crate::chapter_4::stats::{Stats, run_workers};
use crate::common::{BlockedWatch, share, shared};
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;
use test_support::{watchdog, watchdog_diagnosed};

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

/// How far `no_update_is_lost` got, for the diagnosis of a hang.
#[derive(Default)]
struct Adding {
    returned: AtomicU64,
    lost: AtomicBool,
}

fn adding_stuck() -> String {
    let Some(seen) = shared::<Adding>() else {
        return STUCK.to_owned();
    };
    let returned = seen.returned.load(Ordering::SeqCst);
    if seen.lost.load(Ordering::SeqCst) {
        format!(
            "updates were lost (a thread saw the counter below the {returned} adds \
             that had returned), and then the adding threads did not finish in time: \
             add must read and write the counter under one lock. Locking to read, \
             unlocking, then locking again to write lets another thread's update fall in \
             between and be overwritten (book: 4.1 A mutex and its guard)"
        )
    } else {
        format!(
            "{returned} calls of add had returned, and no update had been lost yet, when \
             the time was up: add is very slow, or a thread waits for a lock that is \
             never released (book: 4.1 A mutex and its guard)"
        )
    }
}

#[test]
fn no_update_is_lost() {
    watchdog_diagnosed(adding_stuck, || {
        // Eight threads add 1 to one counter 50 000 times each, all at
        // once. Every 16 adds each checks that no update is missing, and all
        // stop at the first loss: a correct `add` never loses one, so the
        // counter is at least the number of adds that had returned before
        // it was read.
        let (threads, rounds) = (8, 50_000);
        let seen = share(Adding::default());
        let stats = Stats::new();
        let start = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let stats = stats.clone();
                let start = Arc::clone(&start);
                let seen = Arc::clone(&seen);
                thread::spawn(move || {
                    start.wait();
                    for round in 1..=rounds {
                        if seen.lost.load(Ordering::SeqCst) {
                            break;
                        }
                        stats.add("hits", 1);
                        seen.returned.fetch_add(1, Ordering::SeqCst);
                        if round % 16 == 0 {
                            let returned = seen.returned.load(Ordering::SeqCst);
                            if stats.get("hits") < returned {
                                seen.lost.store(true, Ordering::SeqCst);
                            }
                        }
                    }
                    stats.add("threads", 1);
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let (returned, hits) = (seen.returned.load(Ordering::SeqCst), stats.get("hits"));
        let lost = returned.saturating_sub(hits);
        assert_eq!(
            lost, 0,
            "{lost} updates were lost: add must read and write the counter \
             under one lock. Locking to read, unlocking, then locking again \
             to write lets another thread's update fall in between and be \
             overwritten (book: 4.1 A mutex and its guard)"
        );
        assert_eq!(
            hits, returned,
            "{returned} calls of add(\"hits\", 1) made the counter {hits} ({SECTION})"
        );
        assert_eq!(stats.get("threads"), threads as u64, "{SECTION}");
    });
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

/// How many workers of how many have started, for the diagnosis of a hang.
#[derive(Default)]
struct Started {
    workers: AtomicUsize,
    started: AtomicUsize,
}

/// The watchdog's diagnosis when workers that wait for each other hang:
/// how many of them had started.
fn not_all_at_once() -> String {
    let Some(seen) = shared::<Started>() else {
        return format!("the test had not started run_workers yet ({SECTION}).");
    };
    let workers = seen.workers.load(Ordering::SeqCst);
    let started = seen.started.load(Ordering::SeqCst);
    format!(
        "the workers did not all run at the same time: {started} of the {workers} workers \
         had started, and each one here waits (at a barrier) until all {workers} are \
         running. The others were never started while those waited: either \
         run_workers waits for a worker to finish before it starts the next one (a join \
         inside the loop that spawns), or it runs the workers on fewer threads than \
         there are workers (a fixed number of threads, or the caller's thread for one \
         of them). Start every worker on a thread of its own first, then join them all \
         (book: 1.4 Waiting for a thread)."
    )
}

/// Runs `workers` workers that each wait until all of them have started,
/// and returns the snapshot: a counter per thread that ran a worker, and
/// `done`.
fn meeting_workers(workers: usize) -> BTreeMap<String, u64> {
    let seen = share(Started::default());
    seen.workers.store(workers, Ordering::SeqCst);
    let meeting = Arc::new(Barrier::new(workers));
    let caller = thread::current().id();
    let jobs: Vec<_> = (0..workers)
        .map(|_| {
            let meeting = Arc::clone(&meeting);
            let seen = Arc::clone(&seen);
            move |stats: Stats| {
                seen.started.fetch_add(1, Ordering::SeqCst);
                meeting.wait();
                let me = thread::current().id();
                assert_ne!(
                    me, caller,
                    "a worker ran on the caller's thread: every worker needs a thread of \
                     its own ({SECTION})"
                );
                stats.add(&format!("{me:?}"), 1);
                stats.add("done", 1);
            }
        })
        .collect();
    let stats = Stats::new();
    run_workers(&stats, jobs);
    stats.snapshot()
}

fn check_meeting(snapshot: &BTreeMap<String, u64>, workers: usize) {
    assert_eq!(
        snapshot.get("done").copied().unwrap_or(0),
        workers as u64,
        "with {workers} workers, run_workers must return only when every worker is done, \
         and run every worker once ({SECTION})"
    );
    let threads: HashSet<&String> = snapshot.keys().filter(|k| *k != "done").collect();
    assert_eq!(
        threads.len(),
        workers,
        "with {workers} workers, every worker needs a thread of its own ({SECTION})"
    );
}

#[test]
fn run_workers_runs_them_at_once_on_threads_of_their_own() {
    watchdog_diagnosed(not_all_at_once, || {
        let snapshot = meeting_workers(6);
        check_meeting(&snapshot, 6);
    });
}

/// No worker, one worker, and up to eight: more than any fixed number of
/// threads an answer might have in mind.
#[test]
fn run_workers_with_any_number_of_workers() {
    watchdog_diagnosed(not_all_at_once, || {
        for workers in 0..=8 {
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| meeting_workers(workers)));
            let snapshot = outcome.unwrap_or_else(|payload| {
                let text = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                panic!(
                    "with {workers} workers, run_workers panicked ({text}), though none of \
                     them did: it must work for any number of workers, none and one \
                     included ({SECTION})"
                )
            });
            check_meeting(&snapshot, workers);
        }
    });
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

/// Each worker here goes on only once the caller is blocked (in a join,
/// say) or run_workers has returned: so if run_workers returns while a
/// worker is still running, the worker sees it, on every run.
#[test]
fn run_workers_returns_only_when_every_worker_has_finished() {
    watchdog(STUCK, || {
        let workers = 3;
        let caller = BlockedWatch::current();
        let returned = Arc::new(AtomicBool::new(false));
        let early = Arc::new(AtomicUsize::new(0));
        let decided = Arc::new(AtomicUsize::new(0));
        let jobs: Vec<_> = (0..workers)
            .map(|_| {
                let caller = caller.clone();
                let returned = Arc::clone(&returned);
                let early = Arc::clone(&early);
                let decided = Arc::clone(&decided);
                move |_: Stats| {
                    caller.wait_until_blocked_unless(Duration::from_secs(1), || {
                        returned.load(Ordering::SeqCst)
                    });
                    if returned.load(Ordering::SeqCst) {
                        early.fetch_add(1, Ordering::SeqCst);
                    }
                    decided.fetch_add(1, Ordering::SeqCst);
                }
            })
            .collect();
        let stats = Stats::new();
        run_workers(&stats, jobs);
        returned.store(true, Ordering::SeqCst);
        // Workers still running now see `returned`; wait for their verdict.
        let since = std::time::Instant::now();
        while decided.load(Ordering::SeqCst) < workers && since.elapsed() < Duration::from_secs(1) {
            thread::yield_now();
        }
        assert_eq!(
            early.load(Ordering::SeqCst),
            0,
            "run_workers returned while workers were still running: it must return only \
             when all of them have finished. Keep every JoinHandle and join them all \
             before returning (book: 1.4 Waiting for a thread)"
        );
    });
}
