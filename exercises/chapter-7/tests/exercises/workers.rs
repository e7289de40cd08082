use crate::chapter_7::workers::ThreadPool;
use crate::common::{self, Pool};
use std::panic;
use test_support::watchdog;

impl Pool for ThreadPool {
    fn with_workers(n: usize) -> Self {
        ThreadPool::new(n)
    }
    fn run(&self, job: impl FnOnce() + Send + 'static) {
        self.execute(job)
    }
}

const STUCK: &str = "jobs given to execute never ran, or not all of them. Do new's workers \
                     loop, taking job after job from the one shared Receiver? \
                     (book: 7.6.1 Jobs on n workers)";

#[test]
fn runs_every_job_on_the_workers() {
    watchdog(STUCK, || {
        drop(common::runs_every_job_on_the_workers::<ThreadPool>())
    });
}

#[test]
fn runs_n_jobs_at_once() {
    watchdog(
        "4 jobs that wait for each other never all ran at once on a pool of 4. \
         Does execute only send the job, and does each worker let go of the lock \
         on the Receiver before it runs its job? `while let Ok(job) = receiver.lock().unwrap().recv()` keeps the \
         lock for the whole loop body (book: 7.3 A thread pool).",
        || drop(common::runs_n_jobs_at_once::<ThreadPool>()),
    );
}

#[test]
fn idle_workers_take_the_next_jobs() {
    watchdog(
        "while one worker was busy with a long job, the short jobs did not run on \
         the other worker. All workers must take jobs from one shared Receiver, \
         and hold its lock only while they call recv (book: 7.3 A thread pool).",
        || drop(common::idle_workers_take_the_next_jobs::<ThreadPool>()),
    );
}

#[test]
fn never_more_than_n_jobs_at_once() {
    watchdog(STUCK, || {
        drop(common::never_more_than_n_jobs_at_once::<ThreadPool>())
    });
}

#[test]
fn a_job_waits_for_a_free_worker() {
    watchdog(
        "the first two jobs on a pool of 2 never both started. Does each worker \
         let go of the lock on the Receiver before it runs its job? \
         (book: 7.3 A thread pool)",
        || drop(common::a_job_waits_for_a_free_worker::<ThreadPool>()),
    );
}

#[test]
fn workers_wait_for_jobs_that_come_later() {
    watchdog(
        "the jobs given after the workers had been idle a while never ran. A worker \
         must block in recv until the next job comes (book: 7.3 A thread pool).",
        || drop(common::workers_wait_for_jobs_that_come_later::<ThreadPool>()),
    );
}

#[test]
fn jobs_can_come_from_several_threads() {
    watchdog(STUCK, || {
        drop(common::jobs_can_come_from_several_threads::<ThreadPool>())
    });
}

#[test]
fn a_pool_needs_at_least_one_worker() {
    watchdog(STUCK, || {
        let outcome = panic::catch_unwind(|| ThreadPool::new(0));
        let payload = outcome
            .err()
            .expect("ThreadPool::new(0) must panic: a pool without workers would never run a job (book: 7.6.1 Jobs on n workers)");
        common::assert_not_todo(&*payload, "ThreadPool::new(0)");
    });
}
