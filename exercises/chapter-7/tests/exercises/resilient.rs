use crate::chapter_7::resilient::ThreadPool;
use crate::common::{self, Gate, Pool};
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
// The `still_` tests check that jobs run; they `forget` the pool so that a
// drop that hangs fails only the tests about dropping.
use std::mem::forget;
use test_support::watchdog;

impl Pool for ThreadPool {
    fn with_workers(n: usize) -> Self {
        ThreadPool::new(n)
    }
    fn run(&self, job: impl FnOnce() + Send + 'static) {
        self.execute(job)
    }
}

const STUCK: &str = "jobs given to execute never ran, or not all of them. Start from \
                     your code for 7.6.2 (book: 7.6.3 Surviving a panicking job).";
const WORKER_DIED: &str = "a job that panicked took its worker down, so the jobs after it \
                           never ran. Run each job inside std::panic::catch_unwind, so that \
                           the panic ends the job and not the worker \
                           (book: 7.4 Shutting down, and surviving a panic).";

/// A job that panics on purpose. Its message shows up in the test output
/// only if the test fails.
fn failing_job(i: usize) -> impl FnOnce() + Send + 'static {
    move || panic!("job {i} fails on purpose")
}

#[test]
fn still_runs_every_job_on_the_pool_threads() {
    watchdog(STUCK, || {
        forget(common::runs_every_job_on_the_workers::<ThreadPool>())
    });
}

#[test]
fn still_waits_for_every_job_on_drop() {
    watchdog(
        STUCK,
        common::drop_waits_for_running_and_queued_jobs::<ThreadPool>,
    );
}

#[test]
fn a_panicking_job_does_not_stop_its_worker() {
    watchdog(WORKER_DIED, || {
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
            let (_, id) = rx.recv().expect(WORKER_DIED);
            assert_ne!(id, caller, "the jobs run on the pool's workers");
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

#[test]
fn every_worker_survives_panics() {
    watchdog(
        "after 6 jobs had panicked on a pool of 3, 3 jobs that wait for each other \
         never all ran: a panicking job took its worker down. Run each job inside \
         std::panic::catch_unwind (book: 7.4 Shutting down, and surviving a panic).",
        || {
            let n = 3;
            let pool = ThreadPool::new(n);
            for i in 0..2 * n {
                pool.execute(failing_job(i));
            }
            let meeting = Arc::new(Barrier::new(n));
            let (tx, rx) = mpsc::channel();
            for _ in 0..n {
                let (meeting, tx) = (Arc::clone(&meeting), tx.clone());
                pool.execute(move || {
                    meeting.wait();
                    tx.send(thread::current().id()).unwrap();
                });
            }
            drop(tx);
            let ids: HashSet<_> = (0..n).map(|_| rx.recv().expect(WORKER_DIED)).collect();
            assert_eq!(ids.len(), n, "3 jobs that ran at once ran on 3 threads");
        },
    );
}

#[test]
fn panics_lose_no_other_job() {
    watchdog(WORKER_DIED, || {
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
                    runs[i].fetch_add(1, Ordering::SeqCst);
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
            .filter(|i| i % 10 != 3 && runs[*i].load(Ordering::SeqCst) != 1)
            .collect();
        assert!(
            missing.is_empty(),
            "jobs {missing:?} did not run exactly once, because other jobs panicked: \
             a panic must end only its own job (book: 7.6.3 Surviving a panicking job)"
        );
    });
}
