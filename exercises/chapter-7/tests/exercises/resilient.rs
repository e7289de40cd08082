//! The contract of stage 3 (`src/resilient.rs`), clause by clause, and the
//! tests that check each one:
//!
//! - "A fixed number of worker threads that run the jobs given to
//!   [`ThreadPool::execute`].": still_runs_every_job_once_on_the_pools_threads,
//!   still_starts_exactly_size_threads
//! - "A job that panics ends, but its worker goes on with the next job.":
//!   a_panicking_job_does_not_stop_its_worker,
//!   every_worker_survives_many_panics, panics_lose_no_other_job
//! - "Dropping the pool runs every job already queued, then waits for every
//!   worker to end.": still_waits_for_every_job_on_drop,
//!   still_ends_every_worker_whichever_finishes_first,
//!   drop_after_panics_waits_for_every_thread_that_ran_a_job
//! - "Stage 2's pool, which runs every job it is given and shuts down on
//!   drop; this one hands it only jobs that cannot panic.": not a behaviour
//!   of its own: the reference's own field (the starter leaves the fields to
//!   you); what callers see is checked by panics_lose_no_other_job and
//!   still_waits_for_every_job_on_drop
//! - "Starts `size` worker threads, which wait for jobs.":
//!   still_starts_exactly_size_threads
//! - "Panics: If `size` is zero.": still_needs_at_least_one_worker
//! - "Queues `job`; the first worker that is free runs it.":
//!   still_gives_each_job_to_a_free_thread
//! - "Closes the channel, lets the workers finish every queued job, and
//!   waits for each of them to end.": still_waits_for_every_job_on_drop,
//!   still_ends_every_worker_whichever_finishes_first,
//!   still_ends_every_worker_without_panicking,
//!   drop_after_panics_waits_for_every_thread_that_ran_a_job

use crate::chapter_7::resilient::ThreadPool;
use crate::common::{self, Exits, Gate, LOST, Pool, deliberate, diagnosis, waiting_for};
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use test_support::watchdog_diagnosed;

impl Pool for ThreadPool {
    fn with_workers(n: usize) -> Self {
        ThreadPool::new(n)
    }
    fn execute_job(&self, job: impl FnOnce() + Send + 'static) {
        self.execute(job)
    }
}

const STUCK: &str = "jobs given to execute never ran, or not all of them. Start from \
                     your code for 7.6.2 (book: 7.6.3 Surviving a panicking job).";
/// `recv` found every job's Sender gone, and no result: the queued jobs
/// were dropped, not run. Either the only Receiver went with a worker that
/// died, or the jobs are never called: both causes are named.
const DROPPED: &str = "the jobs after the panicking one were dropped without running: every \
                       Sender that they held is gone, and none of them sent. Either a job \
                       that panicked took its worker down, and the queued jobs went with \
                       the worker's Receiver. Run each job inside std::panic::catch_unwind, \
                       inside the worker loop, and after a caught panic go on with the next \
                       job (catch_unwind around the whole loop still ends the loop, and with \
                       it the worker, and a worker that returns after a caught panic is lost \
                       just the same). Or the jobs are never called: `|| job` returns the job \
                       instead of calling it; call it, `job()` \
                       (book: 7.4 Shutting down, and surviving a panic).";
const WORKER_DIED: &str = "a job that panicked took its worker down, so the jobs after it \
                           never ran. Run each job inside std::panic::catch_unwind, inside \
                           the worker loop, and after a caught panic go on with the next job: \
                           catch_unwind around the whole loop still ends the loop, and with \
                           it the worker, and a worker that returns after a caught panic is \
                           lost just the same (book: 7.4 Shutting down, and surviving a panic).";
const SECTION: &str = "book: 7.6.3 Surviving a panicking job";

/// A job that panics on purpose. Its message shows up in the test output
/// only if the test fails.
fn failing_job(i: usize) -> impl FnOnce() + Send + 'static {
    let message = deliberate(&format!("job {i}"));
    move || panic!("{message}")
}

#[test]
fn still_runs_every_job_once_on_the_pools_threads() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::every_job_runs_once_on_the_pools_threads::<ThreadPool>,
    );
}

#[test]
fn still_starts_exactly_size_threads() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::starts_exactly_size_workers::<ThreadPool>,
    );
}

#[test]
fn still_gives_each_job_to_a_free_thread() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::idle_workers_take_the_next_jobs::<ThreadPool>,
    );
}

#[test]
fn still_needs_at_least_one_worker() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::a_pool_needs_at_least_one_worker::<ThreadPool>,
    );
}

#[test]
fn still_waits_for_every_job_on_drop() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::drop_waits_for_running_and_queued_jobs::<ThreadPool>,
    );
}

#[test]
fn still_ends_every_worker_whichever_finishes_first() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::drop_ends_every_worker_whichever_finishes_first::<ThreadPool>,
    );
}

#[test]
fn still_ends_every_worker_without_panicking() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::every_worker_ends_without_panicking::<ThreadPool>,
    );
}

#[test]
fn a_panicking_job_does_not_stop_its_worker() {
    watchdog_diagnosed(diagnosis(WORKER_DIED), || {
        let caller = thread::current().id();
        let pool = ThreadPool::new(1);
        // Everything is queued while the only worker is busy, so execute
        // cannot fail even if the worker dies later.
        let gate = Gate::default();
        {
            let gate = gate.clone();
            pool.execute(move || gate.wait());
        }
        pool.execute(failing_job(1));
        let (tx, rx) = mpsc::channel();
        for i in 2..7 {
            let tx = tx.clone();
            pool.execute(move || tx.send((i, thread::current().id())).unwrap());
        }
        drop(tx);
        gate.open();
        for _ in 2..7 {
            let (_, id) = rx.recv().expect(DROPPED);
            assert_ne!(id, caller, "the jobs run on the pool's workers ({SECTION})");
        }
        let dropped = panic::catch_unwind(AssertUnwindSafe(move || drop(pool)));
        assert!(
            dropped.is_ok(),
            "dropping the pool panicked after a job had panicked: drop must not \
             unwrap the result of join for a worker whose job panicked \
             (book: 7.4 Shutting down, and surviving a panic)"
        );
    });
}

/// Rounds of panicking jobs, one on every worker in each round (they wait
/// for each other before they panic), then jobs that need every worker.
const ROUNDS: usize = 20;

#[test]
fn every_worker_survives_many_panics() {
    watchdog_diagnosed(diagnosis(WORKER_DIED), || {
        let n = 3;
        let pool = ThreadPool::new(n);
        let round = Arc::new(AtomicUsize::new(0));
        let arrived = Arc::new(AtomicUsize::new(0));
        {
            let (round, arrived) = (Arc::clone(&round), Arc::clone(&arrived));
            waiting_for(move || {
                let (r, k) = (round.load(SeqCst), arrived.load(SeqCst));
                if r == 0 {
                    // No job has panicked yet.
                    return common::too_few_started(n, k, false);
                }
                format!(
                    "after {r} rounds of {n} panicking jobs on a pool of {n} (each round one \
                     job on every worker), only {k} of the {n} jobs of the next round \
                     started: {} worker(s) were lost to panics. A job that panics must end \
                     only itself: run each job inside catch_unwind, in every turn of the \
                     worker loop, however many jobs have panicked before ({SECTION}).",
                    n - k
                )
            });
        }
        for r in 0..=ROUNDS {
            round.store(r, SeqCst);
            arrived.store(0, SeqCst);
            let meeting = Arc::new(Barrier::new(n));
            let (tx, rx) = mpsc::channel();
            for i in 0..n {
                let (meeting, arrived, tx) =
                    (Arc::clone(&meeting), Arc::clone(&arrived), tx.clone());
                let message = deliberate(&format!("job {i} of round {r}"));
                let given = panic::catch_unwind(AssertUnwindSafe(|| {
                    pool.execute(move || {
                        arrived.fetch_add(1, SeqCst);
                        meeting.wait();
                        let _ = tx.send(thread::current().id());
                        if r < ROUNDS {
                            panic!("{message}");
                        }
                    })
                }));
                if let Err(payload) = given {
                    panic!(
                        "execute panicked after {r} rounds of {n} panicking jobs on a pool of \
                         {n} (each round one job on every worker): \"{}\". No worker was \
                         left to take jobs: all {n} worker(s) were lost to panics. A job that \
                         panics must end only itself: run each job inside catch_unwind, in \
                         every turn of the worker loop, however many jobs have panicked \
                         before ({SECTION}).",
                        common::panic_text(&*payload)
                    );
                }
            }
            drop(tx);
            let ids: HashSet<_> = (0..n)
                .map(|_| {
                    rx.recv().unwrap_or_else(|_| {
                        panic!(
                            "after {r} rounds of {n} panicking jobs on a pool of {n} (each \
                             round one job on every worker), the jobs of the next round were \
                             dropped without running: the worker(s) were lost to panics, and \
                             the queued jobs went with the last one's Receiver. A job that \
                             panics must end only itself: run each job inside catch_unwind, \
                             in every turn of the worker loop, however many jobs have \
                             panicked before ({SECTION})."
                        )
                    })
                })
                .collect();
            assert_eq!(ids.len(), n, "{n} jobs that ran at once ran on {n} threads");
        }
    });
}

#[test]
fn panics_lose_no_other_job() {
    watchdog_diagnosed(diagnosis(WORKER_DIED), || {
        let pool = ThreadPool::new(2);
        // Both workers wait at the gate while the jobs are queued, so that
        // execute cannot fail even if the workers die later.
        let gate = Gate::default();
        for _ in 0..2 {
            let gate = gate.clone();
            pool.execute(move || gate.wait());
        }
        let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..100).map(|_| AtomicUsize::new(0)).collect());
        for i in 0..100 {
            if i % 10 == 3 {
                pool.execute(failing_job(i));
            } else {
                let runs = Arc::clone(&runs);
                pool.execute(move || {
                    runs[i].fetch_add(1, SeqCst);
                });
            }
        }
        gate.open();
        let dropped = panic::catch_unwind(AssertUnwindSafe(move || drop(pool)));
        assert!(
            dropped.is_ok(),
            "dropping the pool panicked after jobs had panicked \
             (book: 7.4 Shutting down, and surviving a panic)"
        );
        let missing: Vec<usize> = (0..100)
            .filter(|i| i % 10 != 3 && runs[*i].load(SeqCst) != 1)
            .collect();
        assert!(
            missing.is_empty(),
            "jobs {missing:?} did not run exactly once, because other jobs panicked: \
             a panic must end only its own job ({SECTION})"
        );
    });
}

#[test]
fn drop_after_panics_waits_for_every_thread_that_ran_a_job() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let n = 2;
        let pool = ThreadPool::new(n);
        // Panics first: whatever threads run the pool's jobs after them,
        // the test marks them with the next jobs, which need every worker.
        let (tx, rx) = mpsc::channel();
        for i in 0..2 * n {
            let tx = tx.clone();
            let fail = failing_job(i);
            pool.execute(move || {
                let _ = tx.send(());
                fail();
            });
        }
        drop(tx);
        waiting_for(|| format!("the panicking jobs never all started ({SECTION})"));
        for _ in 0..2 * n {
            rx.recv().expect(LOST);
        }
        let exits = Exits::default();
        let marked = common::mark_workers(&pool, n, &exits, true);
        common::drop_waits_for_the_held_threads(
            pool,
            &exits,
            marked,
            "the threads that ran the pool's last jobs, after others had panicked,",
        );
    });
}
