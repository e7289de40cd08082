//! The contract of stage 1 (`src/workers.rs`), clause by clause, and the
//! tests that check each one:
//!
//! - "A fixed number of worker threads that run the jobs given to
//!   [`ThreadPool::execute`], each job on whichever worker is free.":
//!   runs_every_job_once_on_the_pools_threads, starts_exactly_size_workers,
//!   never_more_than_n_jobs_at_once, idle_workers_take_the_next_jobs
//! - "Starts `size` worker threads, which wait for jobs.":
//!   starts_exactly_size_workers, idle_workers_wait_for_the_next_job
//! - "Panics: If `size` is zero.": a_pool_needs_at_least_one_worker
//! - "Queues `job`; the first worker that is free runs it.":
//!   idle_workers_take_the_next_jobs, execute_queues_jobs_without_waiting,
//!   jobs_can_come_from_several_threads

use crate::chapter_7::workers::ThreadPool;
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

const STUCK: &str = "jobs given to execute never ran, or not all of them. Do new's workers \
                     loop, taking job after job from the one shared Receiver? \
                     (book: 7.6.1 Jobs on n workers)";

#[test]
fn runs_every_job_once_on_the_pools_threads() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::every_job_runs_once_on_the_pools_threads::<ThreadPool>,
    );
}

#[test]
fn starts_exactly_size_workers() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::starts_exactly_size_workers::<ThreadPool>,
    );
}

#[test]
fn idle_workers_take_the_next_jobs() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::idle_workers_take_the_next_jobs::<ThreadPool>,
    );
}

#[test]
fn never_more_than_n_jobs_at_once() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::never_more_than_n_jobs_at_once::<ThreadPool>,
    );
}

#[test]
fn execute_queues_jobs_without_waiting() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::execute_queues_without_waiting::<ThreadPool>,
    );
}

#[test]
fn idle_workers_wait_for_the_next_job() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::idle_workers_wait_for_the_next_job::<ThreadPool>,
    );
}

#[test]
fn jobs_can_come_from_several_threads() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::jobs_can_come_from_several_threads::<ThreadPool>,
    );
}

#[test]
fn a_pool_needs_at_least_one_worker() {
    watchdog_diagnosed(
        diagnosis(STUCK),
        common::a_pool_needs_at_least_one_worker::<ThreadPool>,
    );
}
