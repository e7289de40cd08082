use crate::chapter_1::spawn_all::{join_all, spawn_all};
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Barrier};
use std::thread::{self, ThreadId};
use test_support::watchdog;

const SECTION: &str = "book: 1.7.1 Spawn them all, then join";
const STUCK: &str = "a thread that is never joined, or joined before the others were \
                     started. Start every thread in spawn_all; wait only in join_all \
                     (book: 1.4 Waiting for a thread).";

#[test]
fn join_all_returns_every_result_in_order() {
    watchdog(STUCK, || {
        let jobs: Vec<_> = (0..8u64).map(|i| move || i * i).collect();
        let results = join_all(spawn_all(jobs));
        assert_eq!(
            results,
            [0, 1, 4, 9, 16, 25, 36, 49],
            "join_all must return what each thread returned, in the order of the jobs ({SECTION})"
        );
    });
}

#[test]
fn no_jobs_no_threads() {
    watchdog(STUCK, || {
        let jobs: Vec<fn() -> u8> = Vec::new();
        let handles = spawn_all(jobs);
        assert!(handles.is_empty(), "no jobs, so no handles ({SECTION})");
        assert!(
            join_all(handles).is_empty(),
            "no handles, so no results ({SECTION})"
        );
    });
}

#[test]
fn every_job_runs_on_a_thread_of_its_own() {
    watchdog(STUCK, || {
        let caller = thread::current().id();
        let jobs: Vec<_> = (0..6).map(|_| || thread::current().id()).collect();
        let ids: Vec<ThreadId> = join_all(spawn_all(jobs));
        assert_eq!(ids.len(), 6, "one result per job ({SECTION})");
        assert!(
            !ids.contains(&caller),
            "a job ran on the calling thread: spawn_all must start a new thread for \
             every job with std::thread::spawn ({SECTION})"
        );
        let distinct: HashSet<&ThreadId> = ids.iter().collect();
        assert_eq!(
            distinct.len(),
            6,
            "some jobs shared a thread: every job needs a thread of its own ({SECTION})"
        );
    });
}

#[test]
fn spawn_all_returns_while_the_jobs_are_still_running() {
    watchdog(
        "spawn_all waited for a job. Here every job waits until all the jobs \
         have started and the test has its handles, so spawn_all must only start \
         the threads and return; waiting is join_all's job (book: 1.4 Waiting for a thread).",
        || {
            let jobs = 4;
            // The jobs and the test meet here: only possible if all the jobs
            // are running at once and spawn_all has already returned.
            let meeting = Arc::new(Barrier::new(jobs + 1));
            let work: Vec<_> = (0..jobs)
                .map(|i| {
                    let meeting = Arc::clone(&meeting);
                    move || {
                        meeting.wait();
                        i
                    }
                })
                .collect();
            let handles = spawn_all(work);
            meeting.wait();
            assert_eq!(join_all(handles), [0, 1, 2, 3], "{SECTION}");
        },
    );
}

#[test]
fn join_all_passes_on_a_job_panic_with_its_payload() {
    watchdog(STUCK, || {
        let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> = vec![
            Box::new(|| 1),
            Box::new(|| panic!("job 2 gave up")),
            Box::new(|| 3),
        ];
        let handles = spawn_all(jobs);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| join_all(handles)));
        let payload = outcome
            .expect_err("job 2 panicked, so join_all must panic too instead of returning results");
        assert_eq!(
            payload.downcast_ref::<&str>(),
            Some(&"job 2 gave up"),
            "join_all must panic with the job's own payload: pass on the Err from \
             join with std::panic::resume_unwind (book: 1.5 When a thread panics)"
        );
    });
}
