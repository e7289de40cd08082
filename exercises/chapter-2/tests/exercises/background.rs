//! The clauses of `run_in_background` (every sentence of its doc comment),
//! each with the tests that fail without it:
//!
//! - "Starts `work(input)` on a new thread named `label` and returns at once
//!   with the thread's handle.": the_job_runs_on_a_new_thread_named_after_the_label,
//!   returns_before_the_job_is_done
//! - "Joining the handle gives back what `work` returned, or the job's panic
//!   as an `Err`.": hands_back_what_the_job_returned,
//!   a_panicking_job_reaches_the_joiner
//! - "The new thread owns `input` and `work`; nothing they hold may borrow
//!   from the caller, who can return, or drop `label`, while the job
//!   runs.": compile_fail_tasks, the_input_and_the_work_move_into_the_job
//! - "Panics: If the operating system cannot start a thread.": not a
//!   behaviour a test can cause (no test can make the operating system
//!   refuse a thread); every answer that compiles meets it, since the
//!   function must return a JoinHandle: `thread::spawn` panics then, and
//!   `Builder::spawn`'s `io::Result` must be unwrapped

use crate::chapter_2::background::run_in_background;
use crate::common::describe;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, ThreadId};
use std::time::Duration;
use test_support::{watchdog, watchdog_diagnosed, watchdog_for};

const SECTION: &str = "book: 2.7.1 A job in the background";
const STUCK: &str = "run_in_background waited for the job. It must start the thread and \
                     return its handle at once; the caller joins it later \
                     (book: 2.1 What spawn asks for).";

/// A value that can be neither cloned nor copied: the job can only get it
/// by taking the caller's own.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Ticket(u32);

/// Reports, when dropped, the thread that dropped it.
struct DropReport(Sender<(ThreadId, Option<String>)>);

impl Drop for DropReport {
    fn drop(&mut self) {
        let me = thread::current();
        let _ = self.0.send((me.id(), me.name().map(str::to_owned)));
    }
}

#[test]
fn hands_back_what_the_job_returned() {
    watchdog(STUCK, || {
        let tickets = vec![Ticket(3), Ticket(1), Ticket(2)];
        let handle = run_in_background("sorter", tickets, |mut tickets: Vec<Ticket>| {
            tickets.sort();
            tickets
        });
        let sorted = handle
            .join()
            .expect("the job did not panic, so joining its handle must give Ok");
        assert_eq!(
            sorted,
            [Ticket(1), Ticket(2), Ticket(3)],
            "joining the handle must give back what `work` returned ({SECTION})"
        );
    });
}

#[test]
fn the_job_runs_on_a_new_thread_named_after_the_label() {
    watchdog(STUCK, || {
        let caller = thread::current().id();
        for label in [
            format!("job-{}", 7),
            String::from("a longer label, with spaces"),
        ] {
            let expected = label.clone();
            let handle = run_in_background(&label, (), |()| {
                let me = thread::current();
                (me.id(), me.name().map(str::to_owned))
            });
            // The caller's label is gone; the thread must have a name of its own.
            drop(label);
            let handle_thread = handle.thread().id();
            let (id, name) = handle.join().expect("the job did not panic");
            assert_ne!(
                id, caller,
                "the job ran on the calling thread: start a new thread for it, and run \
                 `work(input)` there (book: 2.1 What spawn asks for)"
            );
            assert_eq!(
                id, handle_thread,
                "the job did not run on the thread whose handle run_in_background \
                 returned: start `work(input)` on that thread ({SECTION})"
            );
            match name {
                None => panic!(
                    "the job's thread has no name: it must be named {expected:?}, after the \
                     label. thread::spawn cannot name a thread; use std::thread::Builder \
                     (book: 1.6 Naming and configuring threads)"
                ),
                Some(name) if name != expected => panic!(
                    "the job's thread is named {name:?}: it must be named exactly after the \
                     label, {expected:?}, with nothing added \
                     (book: 1.6 Naming and configuring threads)"
                ),
                Some(_) => {}
            }
        }
    });
}

/// What `returns_before_the_job_is_done` shares with its watchdog.
struct Seen {
    caller: Mutex<Option<ThreadId>>,
    /// The thread the job started on, once it has.
    job: Mutex<Option<ThreadId>>,
    returned: AtomicBool,
}

impl Seen {
    fn diagnose(&self) -> String {
        let caller = self.caller.try_lock().ok().and_then(|c| *c);
        let job = self.job.try_lock().ok().and_then(|j| *j);
        match job {
            Some(job) if Some(job) == caller => "the job ran on the calling thread, inside \
                 run_in_background, where it waits for the test's go, which comes only once \
                 run_in_background has returned. Start `work(input)` on the new thread \
                 (book: 2.1 What spawn asks for)."
                .to_owned(),
            Some(_) if !self.returned.load(Ordering::SeqCst) => "run_in_background waited \
                 for the job: the job was running on a thread of its own, and waiting for \
                 the test, but run_in_background had not returned. Return the handle at \
                 once, without joining it (and without a thread::scope, which waits for its \
                 threads before it returns); the caller joins it later \
                 (book: 2.1 What spawn asks for)."
                .to_owned(),
            None if !self.returned.load(Ordering::SeqCst) => "run_in_background had not \
                 returned, and the job had not started: start the thread, with the job, and \
                 return its handle (book: 2.1 What spawn asks for)."
                .to_owned(),
            _ => STUCK.to_owned(),
        }
    }
}

static SEEN: Seen = Seen {
    caller: Mutex::new(None),
    job: Mutex::new(None),
    returned: AtomicBool::new(false),
};

#[test]
fn returns_before_the_job_is_done() {
    watchdog_diagnosed(
        || SEEN.diagnose(),
        || {
            let seen = &SEEN;
            *seen.caller.lock().unwrap() = Some(thread::current().id());
            let (go_tx, go_rx) = mpsc::channel::<()>();
            let job_seen = seen;
            // The job cannot finish before the test says "go", and the test
            // says it only once run_in_background has returned.
            let handle = run_in_background("waits-for-go", go_rx, move |go: Receiver<()>| {
                *job_seen.job.lock().unwrap() = Some(thread::current().id());
                go.recv().expect("the test always says go");
                "done"
            });
            seen.returned.store(true, Ordering::SeqCst);
            go_tx.send(()).expect("the job is still waiting for go");
            assert_eq!(
                handle.join().expect("the job did not panic"),
                "done",
                "{SECTION}"
            );
        },
    );
}

#[test]
fn the_input_and_the_work_move_into_the_job() {
    watchdog(STUCK, || {
        let caller = thread::current().id();
        let (input_tx, input_rx) = mpsc::channel();
        let (work_tx, work_rx) = mpsc::channel();
        let held_by_work = DropReport(work_tx);
        let handle = run_in_background("owner", DropReport(input_tx), move |input: DropReport| {
            // `work` owns `held_by_work`, and is dropped after this call.
            let _keep = &held_by_work;
            drop(input);
        });
        let job_thread = handle.thread().id();
        handle.join().expect("the job did not panic");
        for (what, rx) in [("input", input_rx), ("work", work_rx)] {
            let (dropped_on, name) = rx.recv().expect("it was dropped");
            let name = name.unwrap_or_else(|| "<unnamed>".to_owned());
            assert_ne!(
                dropped_on, caller,
                "`{what}` was dropped on the calling thread ({name}): the job's thread \
                 must own `input` and `work`, so move both into its closure and call \
                 `work(input)` there (book: 2.2 Borrowing closures and move)"
            );
            assert_eq!(
                dropped_on, job_thread,
                "`{what}` was dropped on thread {name}, not on the job's thread, which \
                 must own it (book: 2.2 Borrowing closures and move)"
            );
        }
    });
}

#[test]
fn a_panicking_job_reaches_the_joiner() {
    watchdog(STUCK, || {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            run_in_background("panics on purpose", 0u32, |n: u32| {
                if n == 0 {
                    panic!("nothing to do");
                }
                n
            })
        }));
        let handle = match outcome {
            Ok(handle) => handle,
            Err(payload) if payload.downcast_ref::<&str>() == Some(&"nothing to do") => panic!(
                "run_in_background itself panicked, with the job's own panic: the job ran \
                 on the calling thread (or run_in_background waited for it and passed its \
                 panic on). Run it on the new thread and return the handle at once, so \
                 that its panic stays there and reaches the joiner as an Err \
                 (book: 1.5 When a thread panics)"
            ),
            Err(payload) => panic!(
                "run_in_background itself panicked, with {}, when the job panicked: it \
                 waited for the job and made a new panic of the job's (join, then unwrap \
                 or expect). Return the handle at once, without joining it; the job's \
                 panic reaches the joiner as an Err (book: 1.5 When a thread panics)",
                describe(&*payload)
            ),
        };
        let payload = handle
            .join()
            .expect_err("the job panicked, so joining its handle must give Err");
        assert!(
            payload.downcast_ref::<&str>() == Some(&"nothing to do"),
            "the Err must carry the job's own panic, a &str, \"nothing to do\", but it \
             carried {}: let the job's panic end its thread as it is; do not catch it \
             there and panic again (book: 1.5 When a thread panics)",
            describe(&*payload)
        );
    });
}

/// `compile-fail/chapter-2/tasks/background/`: a job that borrows from its
/// caller must not compile. Checking it runs `cargo check`, which may take a
/// few seconds the first time.
#[test]
fn compile_fail_tasks() {
    watchdog_for(
        Duration::from_secs(120),
        "cargo check of the compile-fail tasks did not finish (book: 2.7.1 A job in the background)",
        || test_support::compile_fail_tasks("chapter-2", "background"),
    );
}
