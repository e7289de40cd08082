use crate::chapter_7::shutdown::ThreadPool;
use crate::common::{self, Pool};
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
                     your code for 7.6.1: workers that loop, taking job after job from \
                     one shared Receiver (book: 7.6.2 Shutting down on drop).";
const DROP_STUCK: &str = "drop never returned. The workers end only when recv returns Err, \
                          and it does so only once every Sender is dropped: drop the \
                          pool's Sender (Option::take) before you join the workers \
                          (book: 7.4 Shutting down, and surviving a panic).";

#[test]
fn still_runs_every_job_on_the_pool_threads() {
    watchdog(STUCK, || {
        forget(common::runs_every_job_on_the_workers::<ThreadPool>())
    });
}

#[test]
fn still_runs_n_jobs_at_once() {
    watchdog(
        "4 jobs that wait for each other never all ran at once on a pool of 4. \
         Does each worker let go of the lock on the Receiver before it runs its \
         job? (book: 7.3 A thread pool)",
        || forget(common::runs_n_jobs_at_once::<ThreadPool>()),
    );
}

#[test]
fn drop_runs_every_queued_job_exactly_once() {
    watchdog(
        DROP_STUCK,
        common::drop_runs_every_queued_job_exactly_once::<ThreadPool>,
    );
}

#[test]
fn drop_waits_for_running_and_queued_jobs() {
    watchdog(
        DROP_STUCK,
        common::drop_waits_for_running_and_queued_jobs::<ThreadPool>,
    );
}

#[test]
fn dropping_an_idle_pool_ends_every_worker() {
    watchdog(
        DROP_STUCK,
        common::dropping_an_idle_pool_ends_every_worker::<ThreadPool>,
    );
}
