//! The clauses of `panic_message` and `run_isolated` (every sentence of
//! their doc comments), each with the tests that fail without it:
//!
//! - "The text a panic carried: `panic!("literal")` carries a `&'static
//!   str`, `panic!("{x}")` a `String`; anything else
//!   (`std::panic::panic_any(7)`) gives [`NOT_TEXT`].":
//!   reads_the_message_of_a_literal_panic,
//!   reads_the_message_of_a_formatted_panic, a_payload_that_is_not_text
//! - "Runs every job on a thread of its own, all at the same time, and
//!   reports how each one ended, in the order of the jobs: `Ok` with what it
//!   returned, or `Err` with its panic message.":
//!   run_isolated_reports_how_each_job_ended,
//!   run_isolated_runs_the_jobs_at_once_on_other_threads,
//!   run_isolated_reports_in_the_order_of_the_jobs_not_as_they_finish
//! - "A panicking job does not stop the others.":
//!   run_isolated_goes_on_after_a_job_panicked

use crate::chapter_1::panics::{NOT_TEXT, panic_message, run_isolated};
use crate::common::{Arrival, Meeting, Round, at_thread_end, cores, describe, more_than_cores};
use std::any::Any;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;
use test_support::{watchdog, watchdog_diagnosed, watchdog_diagnosed_for};

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

/// Checks what panic_message made of a payload: `expected`, or fails with
/// `hint`, and names the trap if the payload was printed with `{:?}`.
#[track_caller]
fn check_message(payload: &(dyn Any + Send), expected: &str, hint: &str) {
    let got = panic_message(payload);
    if got == "Any { .. }" {
        panic!(
            "panic_message gave \"Any {{ .. }}\": that is how `{{:?}}` prints a dyn Any, \
             whatever it holds. Ask the payload what it is with downcast_ref::<&str>() and \
             downcast_ref::<String>() (book: 1.5 When a thread panics)"
        );
    }
    assert_eq!(got, expected, "{hint}");
}

#[test]
fn reads_the_message_of_a_literal_panic() {
    watchdog(STUCK, || {
        let payload = payload_of(|| panic!("disk on fire"));
        assert!(
            payload.is::<&str>(),
            "panic!(\"literal\") carries a &'static str"
        );
        check_message(
            &*payload,
            "disk on fire",
            &format!("a &str payload: downcast_ref::<&str>() ({SECTION})"),
        );
    });
}

#[test]
fn reads_the_message_of_a_formatted_panic() {
    watchdog(STUCK, || {
        let disk = 3;
        let payload = payload_of(move || panic!("disk {disk} on fire"));
        assert!(payload.is::<String>(), "panic!(\"{{x}}\") carries a String");
        check_message(
            &*payload,
            "disk 3 on fire",
            &format!("a String payload: downcast_ref::<String>() ({SECTION})"),
        );
    });
}

#[test]
fn a_payload_that_is_not_text() {
    watchdog(STUCK, || {
        for (payload, what) in [
            (payload_of(|| panic::panic_any(42_i32)), "an i32, 42"),
            (payload_of(|| panic::panic_any(7_u64)), "a u64, 7"),
            (payload_of(|| panic::panic_any('x')), "a char, 'x'"),
            (
                payload_of(|| panic::panic_any(vec!["not", "text"])),
                "a Vec<&str>",
            ),
        ] {
            check_message(
                &*payload,
                NOT_TEXT,
                &format!(
                    "the payload is {what}: anything that is neither &str nor String gives \
                     NOT_TEXT, even if it could be printed ({SECTION})"
                ),
            );
        }
        let payload = payload_of(|| panic::panic_any(String::from("sent as a String")));
        check_message(
            &*payload,
            "sent as a String",
            &format!("a String sent with panic_any is text too ({SECTION})"),
        );
    });
}

/// Whether your panic_message reads a real `&str` payload, and a real
/// `String` one: to tell its mistakes from run_isolated's.
fn panic_message_reads_text() -> (bool, bool) {
    let reads_str = panic_message(&*payload_of(|| panic!("a test message"))) == "a test message";
    // A run-time value, so that the payload is a String, not a &str.
    let two = std::hint::black_box(2);
    let reads_string =
        panic_message(&*payload_of(move || panic!("a test message {two}"))) == "a test message 2";
    (reads_str, reads_string)
}

/// What was wrong with `got`, the reports of jobs that should have given
/// `expected`; `None` if nothing.
fn judge_reports(got: &[Result<u32, String>], expected: &[Result<u32, String>]) -> Option<String> {
    if got == expected {
        return None;
    }
    let n = expected.len();
    if got.len() != n {
        return Some(format!(
            "run_isolated returned {} reports for {n} jobs: one report per job, in the \
             order of the jobs; a panicking job does not stop the others ({SECTION})\n  \
             got:      {got:?}\n  expected: {expected:?}",
            got.len()
        ));
    }
    // Every text panic read as NOT_TEXT, and everything else right?
    let lost_text = expected
        .iter()
        .zip(got)
        .filter(|(e, _)| matches!(e, Err(m) if m != NOT_TEXT))
        .count();
    let all_lost = lost_text > 0
        && expected.iter().zip(got).all(|(e, g)| match (e, g) {
            (Err(m), Err(g)) if m != NOT_TEXT => g == NOT_TEXT,
            _ => e == g,
        });
    if all_lost {
        let (reads_str, reads_string) = panic_message_reads_text();
        let reads_text = reads_str && reads_string;
        return Some(if reads_text {
            format!(
                "every panic came back as NOT_TEXT, even those that carried text, though \
                 your panic_message reads text payloads: run_isolated gives it the Box, \
                 not the payload in it. join's Err holds a Box<dyn Any + Send>, and \
                 `&payload` is a reference to the box, which is itself an Any, so no \
                 downcast on it succeeds. Pass `&*payload` (book: 1.5 When a thread panics), \
                 see its \"Two traps\" (src/chapter-1/panics.md#two-traps).\n  \
                 got:      {got:?}\n  expected: {expected:?}"
            )
        } else {
            format!(
                "every panic came back as NOT_TEXT, even those that carried text: your \
                 panic_message does not read {} payloads yet (see its own tests). If it \
                 does and this stays, run_isolated passes `&payload`, the Box, where \
                 `&*payload` is meant (book: 1.5 When a thread panics), see its \"Two \
                 traps\" (src/chapter-1/panics.md#two-traps).\n  got:      {got:?}\n  \
                 expected: {expected:?}",
                if reads_str { "String" } else { "&str" }
            )
        });
    }
    let mut sorted_got: Vec<String> = got.iter().map(|r| format!("{r:?}")).collect();
    let mut sorted_expected: Vec<String> = expected.iter().map(|r| format!("{r:?}")).collect();
    sorted_got.sort();
    sorted_expected.sort();
    if sorted_got == sorted_expected {
        return Some(format!(
            "the reports are right, but not in the order of the jobs: report i must be \
             job i's. Here they come in another order, such as the order in which the \
             jobs finished. Join the handles in the order of the jobs, or put each \
             outcome at its job's place (book: 1.4 Waiting for a thread)\n  \
             got:      {got:?}\n  expected: {expected:?}"
        ));
    }
    let wrong: Vec<usize> = (0..n).filter(|&i| got[i] != expected[i]).collect();
    let messages_differ = wrong
        .iter()
        .any(|&i| matches!((&expected[i], &got[i]), (Err(_), Err(_))));
    let not_text = panic_message(&*payload_of(|| panic::panic_any(7_u8))) == NOT_TEXT;
    let printed_any = got.iter().any(|r| matches!(r, Err(m) if m == "Any { .. }"));
    let because = match panic_message_reads_text() {
        _ if !messages_differ => "",
        _ if printed_any => {
            " Your panic_message prints the payload with `{:?}`, which gives \"Any { .. }\" \
             for every payload: downcast it instead (see its own tests)."
        }
        (true, false) => {
            " Your panic_message does not read String payloads yet (see its own tests)."
        }
        (false, _) => " Your panic_message does not read &str payloads yet (see its own tests).",
        (true, true) if !not_text => {
            " Your panic_message does not give NOT_TEXT for other payloads yet (see its own tests)."
        }
        (true, true) => "",
    };
    Some(format!(
        "Ok with the value, or Err with the panic message, in the order of the jobs; one \
         panicking job must not stop the others. The reports of jobs {wrong:?} are \
         wrong.{because} ({SECTION})\n  got:      {got:?}\n  expected: {expected:?}"
    ))
}

/// Runs `run_isolated` on `jobs` and checks its reports against `expected`.
fn check_reports(jobs: Vec<Box<dyn FnOnce() -> u32 + Send>>, expected: &[Result<u32, String>]) {
    let n = jobs.len();
    let got = match panic::catch_unwind(AssertUnwindSafe(|| run_isolated(jobs))) {
        Ok(got) => got,
        Err(payload) => panic!(
            "run_isolated({n} jobs) panicked, with {}, instead of reporting how each job \
             ended. A panicking job does not stop the others: turn join's Err(payload) \
             into Err(panic_message(&*payload)), and do not pass the panic on (no unwrap, \
             expect or resume_unwind on join) ({SECTION})",
            describe(&*payload)
        ),
    };
    if let Some(problem) = judge_reports(&got, expected) {
        panic!("{problem}");
    }
}

type Job = Box<dyn FnOnce() -> u32 + Send>;

#[test]
fn run_isolated_reports_how_each_job_ended() {
    watchdog(STUCK, || {
        let jobs: Vec<Job> = vec![
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
        check_reports(jobs, &expected);

        // Every number of jobs up to 9, every third one panicking.
        for n in 0..=9u32 {
            let jobs: Vec<Job> = (0..n)
                .map(|i| -> Job {
                    if i % 3 == 2 {
                        Box::new(move || panic!("job {i} failed"))
                    } else {
                        Box::new(move || i * 10)
                    }
                })
                .collect();
            let expected: Vec<Result<u32, String>> = (0..n)
                .map(|i| {
                    if i % 3 == 2 {
                        Err(format!("job {i} failed"))
                    } else {
                        Ok(i * 10)
                    }
                })
                .collect();
            check_reports(jobs, &expected);
        }
    });
}

#[test]
fn run_isolated_goes_on_after_a_job_panicked() {
    watchdog(STUCK, || {
        let jobs: Vec<Job> = vec![
            Box::new(|| panic!("the first job failed")),
            Box::new(|| 1),
            Box::new(|| panic::panic_any(2_u8)),
            Box::new(|| 3),
        ];
        let expected: Vec<Result<u32, String>> = vec![
            Err("the first job failed".into()),
            Ok(1),
            Err(NOT_TEXT.into()),
            Ok(3),
        ];
        check_reports(jobs, &expected);
    });
}

/// What `run_isolated_runs_the_jobs_at_once_on_other_threads` shares with
/// its watchdog.
static ROUND: Round = Round::new();

fn diagnose_round() -> String {
    let Some((meeting, arrivals, Some(caller))) = ROUND.seen() else {
        return STUCK.to_owned();
    };
    let n = meeting.expected();
    if arrivals.iter().any(|a| a.id == caller) {
        return format!(
            "a job ran on the calling thread (run_isolated of {n} jobs), where it \
                 waits for the others, which never come. Run every job on a thread of its \
                 own, with thread::spawn, not with catch_unwind on the caller's thread \
                 (book: 1.5 When a thread panics)."
        );
    }
    let names: Vec<String> = arrivals.iter().map(Arrival::shown).collect();
    let k = arrivals.len();
    let why = if k <= 1 {
        "So run_isolated joins each job right after spawning it, or runs the jobs one \
             after another on one thread."
            .to_owned()
    } else if k == cores() {
        format!(
            "{k} is the number of cores here: run_isolated starts the jobs in waves of \
                 available_parallelism() and waits for each wave, but every job needs a \
                 thread of its own, all at once."
        )
    } else {
        format!("So run_isolated starts the jobs {k} at a time and waits for each batch.")
    };
    format!(
        "the jobs did not run at the same time: each of these {n} jobs waits until \
             all {n} have started, and only {k} had ({}). {why} Spawn every job first, \
             then join them (book: 1.4 Waiting for a thread).",
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    )
}

#[test]
fn run_isolated_runs_the_jobs_at_once_on_other_threads() {
    watchdog_diagnosed(diagnose_round, || {
        let round = &ROUND;
        let caller = thread::current().id();
        round.set_caller(caller);
        for jobs in [4, 1, 2, 9, more_than_cores(9)] {
            let meeting = Arc::new(Meeting::new(jobs));
            round.set_meeting(Arc::clone(&meeting));
            let work: Vec<_> = (0..jobs)
                .map(|_| {
                    let meeting = Arc::clone(&meeting);
                    move || {
                        meeting.arrive();
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
                "a job ran on the calling thread (run_isolated of {jobs} jobs): the jobs \
                     must run on new threads, one each ({SECTION})"
            );
            assert_eq!(
                ids.iter().collect::<HashSet<_>>().len(),
                jobs,
                "{jobs} jobs must run on {jobs} different threads ({SECTION})"
            );
        }
    });
}

/// A payload that says when it is dropped: by run_isolated once it has
/// read the report of its job.
struct Collected(Sender<()>);

impl Drop for Collected {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

/// How long job 0 of
/// `run_isolated_reports_in_the_order_of_the_jobs_not_as_they_finish` goes
/// on after every other job has ended, unless run_isolated reads another
/// job's report first. A job that is slow on purpose: no right answer's
/// verdict depends on this time.
const SLOW: Duration = Duration::from_secs(1);

/// What `run_isolated_reports_in_the_order_of_the_jobs_not_as_they_finish`
/// shares with its watchdog: the calling thread, which jobs have started
/// and on which thread, and how many of jobs 1 to 4 have ended.
static CALLER: Mutex<Option<ThreadId>> = Mutex::new(None);
static STARTED: Mutex<Vec<(usize, ThreadId)>> = Mutex::new(Vec::new());
static ENDED: AtomicUsize = AtomicUsize::new(0);

fn started(job: usize) {
    STARTED.lock().unwrap().push((job, thread::current().id()));
}

fn why_the_order_test_hung() -> String {
    let started = STARTED.try_lock().map(|s| s.clone()).unwrap_or_default();
    let caller = CALLER.try_lock().ok().and_then(|c| *c);
    let mut jobs: Vec<usize> = started.iter().map(|(job, _)| *job).collect();
    jobs.sort();
    if started.iter().any(|(_, t)| Some(*t) == caller) {
        return "a job ran on the calling thread: job 0 waits there until jobs 1 to 4 have \
                ended, and they never start. Run every job on a thread of its own \
                (book: 1.5 When a thread panics)."
            .to_owned();
    }
    let why = if jobs.len() <= 1 {
        "So run_isolated waits for job 0 before it starts the others (a join inside the \
         loop), or runs the jobs one after another."
            .to_owned()
    } else {
        format!(
            "So run_isolated starts the jobs {} at a time and waits for each batch.",
            jobs.len()
        )
    };
    format!(
        "job 0 waits until jobs 1 to 4 have ended; {} of them had, and the jobs that had \
         started were {jobs:?}. {why} Spawn every job first, then join them \
         (book: 1.4 Waiting for a thread).",
        ENDED.load(Ordering::SeqCst)
    )
}

#[test]
fn run_isolated_reports_in_the_order_of_the_jobs_not_as_they_finish() {
    watchdog_diagnosed_for(
        test_support::timeout() + SLOW,
        why_the_order_test_hung,
        || {
            *CALLER.lock().unwrap() = Some(thread::current().id());
            let (ended_tx, ended_rx) = mpsc::channel();
            let (collected_tx, collected_rx) = mpsc::channel();
            let mut jobs: Vec<Job> = Vec::new();
            jobs.push(Box::new(move || {
                started(0);
                // Job 0 ends last: after all the others have ended, and after
                // run_isolated has read one of their reports, or after SLOW.
                for _ in 1..5 {
                    ended_rx.recv().expect("the other jobs end");
                }
                let _ = collected_rx.recv_timeout(SLOW);
                0
            }));
            for job in 1..5 {
                let ended_tx = ended_tx.clone();
                let collected_tx = collected_tx.clone();
                jobs.push(Box::new(move || {
                    started(job);
                    // Counted for the watchdog, and passed on to job 0.
                    at_thread_end(move || {
                        ENDED.fetch_add(1, Ordering::SeqCst);
                        let _ = ended_tx.send(());
                    });
                    match job {
                        1 => panic::panic_any(Collected(collected_tx)),
                        2 => 2,
                        3 => panic!("job 3 failed"),
                        _ => panic!("job {job} failed"),
                    }
                }));
            }
            drop((ended_tx, collected_tx));
            let expected: Vec<Result<u32, String>> = vec![
                Ok(0),
                Err(NOT_TEXT.into()),
                Ok(2),
                Err("job 3 failed".into()),
                Err("job 4 failed".into()),
            ];
            check_reports(jobs, &expected);
        },
    );
}
