use crate::chapter_2::background::run_in_background;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;
use test_support::{watchdog, watchdog_for};

const SECTION: &str = "book: 2.7.1 A job in the background";
const STUCK: &str = "run_in_background waited for the job. It must start the thread and \
                     return its handle at once; the caller joins it later \
                     (book: 2.1 What spawn asks for).";

/// A value that can be neither cloned nor copied: the job can only get it
/// by taking the caller's own.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Ticket(u32);

/// Reports, when dropped, the name of the thread that dropped it.
struct DropReport(Sender<Option<String>>);

impl Drop for DropReport {
    fn drop(&mut self) {
        let name = thread::current().name().map(str::to_owned);
        let _ = self.0.send(name);
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
        let label = format!("job-{}", 7);
        let handle = run_in_background(&label, (), |()| {
            let me = thread::current();
            (me.id(), me.name().map(str::to_owned))
        });
        // The caller's label is gone; the thread must have a name of its own.
        drop(label);
        let (id, name) = handle.join().expect("the job did not panic");
        assert_ne!(
            id, caller,
            "the job ran on the calling thread: start a new thread for it \
             (book: 2.1 What spawn asks for)"
        );
        assert_eq!(
            name.as_deref(),
            Some("job-7"),
            "the job's thread must be named after the label: use \
             std::thread::Builder (book: 1.6 Naming and configuring threads)"
        );
    });
}

#[test]
fn returns_before_the_job_is_done() {
    watchdog(STUCK, || {
        let (go_tx, go_rx) = mpsc::channel::<()>();
        // The job cannot finish before the test says "go", and the test says
        // it only once run_in_background has returned.
        let handle = run_in_background("waits-for-go", go_rx, |go: Receiver<()>| {
            go.recv().expect("the test always says go");
            "done"
        });
        go_tx.send(()).expect("the job is still waiting for go");
        assert_eq!(
            handle.join().expect("the job did not panic"),
            "done",
            "{SECTION}"
        );
    });
}

#[test]
fn the_input_moves_into_the_job() {
    watchdog(STUCK, || {
        let (dropped_tx, dropped_rx) = mpsc::channel();
        let handle = run_in_background("owner", DropReport(dropped_tx), |input: DropReport| {
            drop(input);
        });
        handle.join().expect("the job did not panic");
        assert_eq!(
            dropped_rx.recv().expect("the input was dropped"),
            Some("owner".to_owned()),
            "the input must be handed to `work` on the job's thread, which owns \
             it from then on (book: 2.2 Borrowing closures and move)"
        );
    });
}

#[test]
fn a_panicking_job_reaches_the_joiner() {
    watchdog(STUCK, || {
        let handle = run_in_background("panics on purpose", 0u32, |n: u32| {
            if n == 0 {
                panic!("nothing to do");
            }
            n
        });
        let payload = handle
            .join()
            .expect_err("the job panicked, so joining its handle must give Err");
        assert_eq!(
            payload.downcast_ref::<&str>(),
            Some(&"nothing to do"),
            "the Err must carry the job's own panic: the job must run on the \
             thread whose handle you return (book: 1.5 When a thread panics)"
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
