//! The clauses of `spawn_all` and `join_all` (every sentence of their doc
//! comments), each with the tests that fail without it:
//!
//! - "Starts every job on a thread of its own and returns the handles, in
//!   the order of the jobs.": spawn_all_gives_one_handle_per_job_in_order,
//!   every_job_runs_on_a_thread_of_its_own, no_jobs_no_threads
//! - "Waits for none of them.": spawn_all_returns_while_the_jobs_are_still_running
//! - "Waits for every thread, in order, and collects what each one
//!   returned.": join_all_returns_every_result_in_order,
//!   join_all_keeps_the_order_when_the_first_job_is_the_slowest
//! - "If a thread panicked, panics with the same payload.":
//!   join_all_passes_on_a_job_panic_with_its_payload

use crate::chapter_1::spawn_all::{join_all, spawn_all};
use crate::common::{cores, describe, more_than_cores, tell_when_this_thread_ends};
use std::any::Any;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError, TryLockError};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::Duration;
use test_support::{watchdog, watchdog_diagnosed, watchdog_for};

const SECTION: &str = "book: 1.7.1 Spawn them all, then join";
const STUCK: &str = "a thread that is never joined, or joined before the others were \
                     started. Start every thread in spawn_all; wait only in join_all \
                     (book: 1.4 Waiting for a thread).";

#[test]
fn spawn_all_gives_one_handle_per_job_in_order() {
    watchdog(STUCK, || {
        let caller = thread::current().id();
        for n in 0..=9 {
            let jobs: Vec<_> = (0..n)
                .map(|i| move || (i, thread::current().id()))
                .collect();
            let handles = spawn_all(jobs);
            assert_eq!(
                handles.len(),
                n,
                "{n} jobs must give {n} handles, one per job ({SECTION})"
            );
            // Joined here with `join`, so that this test does not depend on
            // your join_all.
            for (at, handle) in handles.into_iter().enumerate() {
                let handle_thread = handle.thread().id();
                let (job, ran_on) = handle.join().expect("these jobs do not panic");
                assert_ne!(
                    ran_on, caller,
                    "a job ran on the calling thread (job {job} of {n}, inside spawn_all): \
                     spawn_all must start a new thread for every job with \
                     std::thread::spawn (book: 1.3 Spawning a thread)"
                );
                assert_eq!(
                    job, at,
                    "with {n} jobs, handle {at} is the handle of job {job}: spawn_all must \
                     return the handles in the order of the jobs ({SECTION})"
                );
                assert_eq!(
                    ran_on, handle_thread,
                    "job {job} did not run on the thread of its handle: spawn_all must \
                     start each job on a thread of its own and return that thread's \
                     handle ({SECTION})"
                );
            }
        }
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
        for n in [6, 1] {
            let jobs: Vec<_> = (0..n).map(|_| || thread::current().id()).collect();
            let ids: Vec<ThreadId> = spawn_all(jobs)
                .into_iter()
                .map(|h| h.join().expect("these jobs do not panic"))
                .collect();
            assert_eq!(ids.len(), n, "one handle per job ({SECTION})");
            assert!(
                !ids.contains(&caller),
                "a job ran on the calling thread (with {n} jobs): spawn_all must start a new \
                 thread for every job with std::thread::spawn ({SECTION})"
            );
            let distinct: HashSet<&ThreadId> = ids.iter().collect();
            assert_eq!(
                distinct.len(),
                n,
                "some of the {n} jobs shared a thread: every job needs a thread of its own \
                 ({SECTION})"
            );
        }
    });
}

/// What the jobs of `spawn_all_returns_while_the_jobs_are_still_running`
/// and the test tell each other, and what the watchdog reads if it hangs.
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Clone, Default)]
struct GateState {
    /// The calling thread (the test's).
    caller: Option<ThreadId>,
    /// How many jobs this round has.
    jobs: usize,
    /// The jobs that have started: (job, thread).
    started: Vec<(usize, ThreadId)>,
    /// Whether spawn_all has returned, and how many handles it gave.
    returned: Option<usize>,
    /// Whether the test has let the jobs finish.
    open: bool,
}

impl Gate {
    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn update(&self, change: impl FnOnce(&mut GateState)) {
        change(&mut self.lock());
        self.changed.notify_all();
    }

    fn wait_until(&self, ready: impl Fn(&GateState) -> bool) {
        let mut state = self.lock();
        while !ready(&state) {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The state, without blocking (for the watchdog).
    fn snapshot(&self) -> Option<GateState> {
        for _ in 0..1000 {
            match self.state.try_lock() {
                Ok(state) => return Some(state.clone()),
                Err(TryLockError::Poisoned(p)) => return Some(p.into_inner().clone()),
                Err(TryLockError::WouldBlock) => thread::yield_now(),
            }
        }
        None
    }

    /// What the watchdog saw: why the test is stuck.
    fn diagnose(&self) -> String {
        let Some(s) = self.snapshot() else {
            return STUCK.to_owned();
        };
        let n = s.jobs;
        let k = s.started.len();
        let mut jobs: Vec<usize> = s.started.iter().map(|(job, _)| *job).collect();
        jobs.sort();
        if let Some((job, _)) = s.started.iter().find(|(_, t)| Some(*t) == s.caller) {
            return format!(
                "a job ran on the calling thread: with {n} jobs, job {job} ran inside \
                 spawn_all, where it waits for the test, which can let it go only once \
                 spawn_all has returned. spawn_all must start a new thread for every job \
                 (book: 1.3 Spawning a thread)."
            );
        }
        match s.returned {
            None if k == n => format!(
                "spawn_all waited for a job: all {n} jobs were running, but spawn_all had \
                 not returned. It must start the threads and return their handles at once, \
                 without waiting for any job (no join, no loop until they finish); waiting \
                 is join_all's job (book: 1.4 Waiting for a thread)."
            ),
            None => format!(
                "spawn_all waited for a job: with {n} jobs, only {k} had started (jobs \
                 {jobs:?}) and spawn_all had not returned, so it waits for a job before it \
                 starts the next ({}). Start every thread first and return the handles; \
                 waiting is join_all's job (book: 1.4 Waiting for a thread).",
                if k <= 1 {
                    "a join inside the loop".to_owned()
                } else if k == cores() {
                    format!(
                        "it starts them {k} at a time, as many as there are cores here, and \
                         waits for each batch"
                    )
                } else {
                    format!("it starts them {k} at a time and waits for each batch")
                }
            ),
            Some(handles) if !s.open => format!(
                "spawn_all returned {handles} handles for {n} jobs, but only {k} of the jobs \
                 ever started (jobs {jobs:?}): spawn_all must start every job on a thread \
                 of its own before it returns ({SECTION})."
            ),
            Some(_) => format!(
                "all {n} jobs were let go, but join_all did not return: it must join every \
                 handle once, in order (book: 1.4 Waiting for a thread)."
            ),
        }
    }
}

static GATE: Gate = Gate {
    state: Mutex::new(GateState {
        caller: None,
        jobs: 0,
        started: Vec::new(),
        returned: None,
        open: false,
    }),
    changed: Condvar::new(),
};

#[test]
fn spawn_all_returns_while_the_jobs_are_still_running() {
    watchdog_diagnosed(
        || GATE.diagnose(),
        || {
            let gate = &GATE;
            let caller = thread::current().id();
            // Every job waits until all of them have started *and* spawn_all
            // has returned: only possible if spawn_all waits for none.
            for n in [3, 1, 2, 5, 9, more_than_cores(12)] {
                gate.update(|s| {
                    *s = GateState {
                        caller: Some(caller),
                        jobs: n,
                        ..GateState::default()
                    }
                });
                let work: Vec<_> = (0..n)
                    .map(|i| {
                        move || {
                            gate.update(|s| s.started.push((i, thread::current().id())));
                            gate.wait_until(|s| s.open);
                            i
                        }
                    })
                    .collect();
                let handles = spawn_all(work);
                gate.update(|s| s.returned = Some(handles.len()));
                assert_eq!(handles.len(), n, "one handle per job ({SECTION})");
                gate.wait_until(|s| s.started.len() == n);
                gate.update(|s| s.open = true);
                assert_eq!(join_all(handles), (0..n).collect::<Vec<_>>(), "{SECTION}");
            }
        },
    );
}

#[test]
fn join_all_returns_every_result_in_order() {
    watchdog(STUCK, || {
        for n in 0..=9u64 {
            // Handles made here, so that this test does not depend on your
            // spawn_all.
            let handles: Vec<JoinHandle<u64>> =
                (0..n).map(|i| thread::spawn(move || i * i)).collect();
            let expected: Vec<u64> = (0..n).map(|i| i * i).collect();
            assert_eq!(
                join_all(handles),
                expected,
                "join_all must return what each thread returned, in the order of the \
                 handles ({SECTION})"
            );
        }
    });
}

/// How long the first job of
/// `join_all_keeps_the_order_when_the_first_job_is_the_slowest` goes on
/// after all the others have ended. A job that is slow on purpose: nothing
/// waits for this time to synchronise, and no right answer depends on it.
const SLOW: Duration = Duration::from_secs(1);

#[test]
fn join_all_keeps_the_order_when_the_first_job_is_the_slowest() {
    watchdog_for(test_support::timeout() + SLOW, STUCK, || {
        let n = 5;
        let (ended_tx, ended_rx) = mpsc::channel();
        let mut handles = Vec::new();
        handles.push(thread::spawn(move || {
            // Job 0 ends last: well after every other job has ended.
            for _ in 1..n {
                ended_rx.recv().expect("the other jobs end");
            }
            thread::sleep(SLOW);
            0
        }));
        for i in 1..n {
            let ended_tx = ended_tx.clone();
            handles.push(thread::spawn(move || {
                tell_when_this_thread_ends(ended_tx);
                i
            }));
        }
        let results = join_all(handles);
        assert_eq!(
            results,
            (0..n).collect::<Vec<_>>(),
            "the first job finished last here, on purpose, and join_all returned the \
             results in the order the threads finished, not in the order of the handles. \
             Join the handles one after another, in order: join waits for its thread \
             (book: 1.4 Waiting for a thread)"
        );
    });
}

/// A payload that is neither `&str` nor `String`.
#[derive(Debug, PartialEq)]
struct Token(u32);

/// Makes a payload to panic with.
type MakePayload = fn() -> Box<dyn Any + Send>;
/// Whether a payload is the one that was made.
type IsSame = fn(&(dyn Any + Send)) -> bool;

/// Three threads; the second panics with `payload`. Returns what join_all
/// did with their handles: its results, or its own panic's payload.
fn join_with_a_panic(
    payload: impl FnOnce() -> Box<dyn Any + Send> + Send + 'static,
) -> Result<Vec<u32>, Box<dyn Any + Send>> {
    let handles = vec![
        thread::spawn(|| 1),
        thread::Builder::new()
            .name("panics on purpose".into())
            .spawn(move || -> u32 { panic::resume_unwind(payload()) })
            .expect("a thread for the test"),
        thread::spawn(|| 3),
    ];
    panic::catch_unwind(AssertUnwindSafe(|| join_all(handles)))
}

#[test]
fn join_all_passes_on_a_job_panic_with_its_payload() {
    watchdog(STUCK, || {
        let cases: Vec<(&str, MakePayload, IsSame)> = vec![
            (
                "a &str, \"job 2 gave up\"",
                || Box::new("job 2 gave up"),
                |p| p.downcast_ref::<&str>() == Some(&"job 2 gave up"),
            ),
            (
                "a String, \"job 2 gave up after 3 tries\"",
                || Box::new(format!("job 2 gave up after {} tries", 3)),
                |p| {
                    p.downcast_ref::<String>().map(String::as_str)
                        == Some("job 2 gave up after 3 tries")
                },
            ),
            (
                "a payload that is neither &str nor String (Token(7), sent with panic_any)",
                || Box::new(Token(7)),
                |p| p.downcast_ref::<Token>() == Some(&Token(7)),
            ),
        ];
        for (sent, payload, same) in cases {
            let outcome = join_with_a_panic(payload);
            let got = match outcome {
                Ok(results) => panic!(
                    "job 2 panicked, so join_all must panic too instead of returning \
                     results: {results:?} ({SECTION})"
                ),
                Err(got) => got,
            };
            if same(&*got) {
                continue;
            }
            let how = describe(&*got);
            let why = if how.contains("called `Result::unwrap()`")
                || how.contains("called `Result::expect()`")
            {
                "unwrap or expect on join's Err starts a new panic, and the job's payload \
                 is lost (book: 1.5 When a thread panics)"
            } else {
                "a new panic, made from the job's message, is not the same payload \
                 (book: 1.5 When a thread panics)"
            };
            panic!(
                "join_all must panic with the job's own payload: the job panicked with \
                 {sent}, join_all with {how}. {why}. Pass the Err from join on, unchanged, \
                 with std::panic::resume_unwind"
            );
        }
    });
}
