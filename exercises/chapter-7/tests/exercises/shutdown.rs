//! The contract of stage 2 (`src/shutdown.rs`), clause by clause, and the
//! tests that check each one:
//!
//! - "A fixed number of worker threads that run the jobs given to
//!   [`ThreadPool::execute`].": still_runs_every_job_once_on_the_pools_threads,
//!   still_starts_exactly_size_threads
//! - "Dropping the pool runs every job already queued, then waits for every
//!   worker to end.": drop_runs_every_queued_job_exactly_once,
//!   drop_waits_for_running_and_queued_jobs,
//!   dropping_an_idle_pool_ends_every_worker,
//!   drop_waits_until_every_thread_has_ended,
//!   drop_ends_every_worker_whichever_finishes_first
//! - "`None` once the pool is being dropped: that closes the channel.":
//!   drop_runs_every_queued_job_exactly_once,
//!   dropping_an_idle_pool_ends_every_worker
//! - "Starts `size` worker threads, which wait for jobs.":
//!   still_starts_exactly_size_threads
//! - "Panics: If `size` is zero.": still_needs_at_least_one_worker
//! - "Queues `job`; the first worker that is free runs it.":
//!   still_gives_each_job_to_a_free_thread
//! - "Closes the channel, lets the workers finish every queued job, and
//!   waits for each of them to end.": drop_runs_every_queued_job_exactly_once,
//!   drop_waits_for_running_and_queued_jobs,
//!   dropping_an_idle_pool_ends_every_worker,
//!   drop_waits_until_every_thread_has_ended,
//!   drop_ends_every_worker_whichever_finishes_first,
//!   every_worker_ends_without_panicking,
//!   drop_does_not_panic_after_a_job_panicked

use crate::chapter_7::shutdown::ThreadPool;
use crate::common::{self, Pool, diagnosis};
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
                     your code for 7.6.1: workers that loop, taking job after job from \
                     one shared Receiver (book: 7.6.2 Shutting down on drop).";
const DROP_STUCK: &str = "drop never returned. The workers end only when recv returns Err, \
                          and it does so only once every Sender is dropped: drop the \
                          pool's Sender (Option::take) before you join the workers \
                          (book: 7.4 Shutting down, and surviving a panic).";

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
fn drop_runs_every_queued_job_exactly_once() {
    watchdog_diagnosed(
        diagnosis(DROP_STUCK),
        common::drop_runs_every_queued_job_exactly_once::<ThreadPool>,
    );
}

#[test]
fn drop_waits_for_running_and_queued_jobs() {
    watchdog_diagnosed(
        diagnosis(DROP_STUCK),
        common::drop_waits_for_running_and_queued_jobs::<ThreadPool>,
    );
}

#[test]
fn dropping_an_idle_pool_ends_every_worker() {
    watchdog_diagnosed(
        diagnosis(DROP_STUCK),
        common::dropping_an_idle_pool_ends_every_worker::<ThreadPool>,
    );
}

#[test]
fn drop_waits_until_every_thread_has_ended() {
    watchdog_diagnosed(
        diagnosis(DROP_STUCK),
        common::drop_waits_until_every_thread_has_ended::<ThreadPool>,
    );
}

#[test]
fn drop_ends_every_worker_whichever_finishes_first() {
    watchdog_diagnosed(
        diagnosis(DROP_STUCK),
        common::drop_ends_every_worker_whichever_finishes_first::<ThreadPool>,
    );
}

#[test]
fn every_worker_ends_without_panicking() {
    watchdog_diagnosed(
        diagnosis(DROP_STUCK),
        common::every_worker_ends_without_panicking::<ThreadPool>,
    );
}

#[test]
fn drop_does_not_panic_after_a_job_panicked() {
    watchdog_diagnosed(
        diagnosis(DROP_STUCK),
        common::drop_does_not_panic_after_a_job_panicked::<ThreadPool>,
    );
}
