use crate::chapter_1::panics::{NOT_TEXT, panic_message, run_isolated};
use std::any::Any;
use std::collections::HashSet;
use std::panic;
use std::sync::{Arc, Barrier};
use std::thread::{self, ThreadId};
use test_support::watchdog;

const SECTION: &str = "book: 1.7.3 Catching a thread's panic";
const STUCK: &str = "a thread that is never joined, or joined before the others were \
                     started (book: 1.4 Waiting for a thread).";

/// The payload of a real panic, on a thread named so that its message in
/// the test output is not mistaken for a failure.
fn payload_of(job: impl FnOnce() + Send + 'static) -> Box<dyn Any + Send> {
    thread::Builder::new()
        .name("panics on purpose".into())
        .spawn(job)
        .expect("a thread for the test")
        .join()
        .expect_err("the job was written to panic")
}

#[test]
fn reads_the_message_of_a_literal_panic() {
    watchdog(STUCK, || {
        let payload = payload_of(|| panic!("disk on fire"));
        assert!(
            payload.is::<&str>(),
            "panic!(\"literal\") carries a &'static str"
        );
        assert_eq!(
            panic_message(&*payload),
            "disk on fire",
            "a &str payload: downcast_ref::<&str>() ({SECTION})"
        );
    });
}

#[test]
fn reads_the_message_of_a_formatted_panic() {
    watchdog(STUCK, || {
        let disk = 3;
        let payload = payload_of(move || panic!("disk {disk} on fire"));
        assert!(payload.is::<String>(), "panic!(\"{{x}}\") carries a String");
        assert_eq!(
            panic_message(&*payload),
            "disk 3 on fire",
            "a String payload: downcast_ref::<String>() ({SECTION})"
        );
    });
}

#[test]
fn a_payload_that_is_not_text() {
    watchdog(STUCK, || {
        let payload = payload_of(|| panic::panic_any(42_i32));
        assert_eq!(
            panic_message(&*payload),
            NOT_TEXT,
            "a payload that is neither &str nor String gives NOT_TEXT ({SECTION})"
        );
        let payload = payload_of(|| panic::panic_any(String::from("sent as a String")));
        assert_eq!(panic_message(&*payload), "sent as a String", "{SECTION}");
    });
}

#[test]
fn run_isolated_reports_how_each_job_ended() {
    watchdog(STUCK, || {
        let jobs: Vec<Box<dyn FnOnce() -> u32 + Send>> = vec![
            Box::new(|| 1),
            Box::new(|| panic!("two went wrong")),
            Box::new(|| 3),
            Box::new(|| panic!("four went wrong {}", 4)),
            Box::new(|| panic::panic_any(5_u8)),
        ];
        let expected: Vec<Result<u32, String>> = vec![
            Ok(1),
            Err("two went wrong".into()),
            Ok(3),
            Err("four went wrong 4".into()),
            Err(NOT_TEXT.into()),
        ];
        assert_eq!(
            run_isolated(jobs),
            expected,
            "Ok with the value, or Err with the panic message, in the order of the \
             jobs; one panicking job must not stop the others ({SECTION})"
        );
    });
}

#[test]
fn run_isolated_runs_the_jobs_at_once_on_other_threads() {
    watchdog(
        "the jobs did not run at the same time: each one here waits until all of \
         them have started. Spawn every job first, then join them \
         (book: 1.4 Waiting for a thread).",
        || {
            let caller = thread::current().id();
            let jobs = 4;
            let meeting = Arc::new(Barrier::new(jobs));
            let work: Vec<_> = (0..jobs)
                .map(|_| {
                    let meeting = Arc::clone(&meeting);
                    move || {
                        meeting.wait();
                        thread::current().id()
                    }
                })
                .collect();
            let ids: Vec<ThreadId> = run_isolated(work)
                .into_iter()
                .map(|r| r.expect("no job panicked"))
                .collect();
            assert!(
                !ids.contains(&caller),
                "the jobs must run on new threads ({SECTION})"
            );
            assert_eq!(ids.iter().collect::<HashSet<_>>().len(), jobs, "{SECTION}");
        },
    );
}
