use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// How long a test may run before the watchdog fails it, unless the test
/// asks for another limit with [`watchdog_for`].
///
/// Every test in this course finishes in milliseconds when the code under
/// test is right; the limit only bounds a failure. Set `COURSE_TIMEOUT_SECS`
/// to change it, e.g. on a very slow or heavily loaded machine.
pub fn timeout() -> Duration {
    let secs = std::env::var("COURSE_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(5);
    Duration::from_secs(secs)
}

/// Runs `body` on a thread of its own and waits for it for [`timeout()`].
///
/// If `body` returns, so does `watchdog`. If it panics (a failed assertion,
/// a `todo!()`), the panic is passed on unchanged, so the test fails with
/// the original message. If it does not finish in time, the test fails with
/// `hint`, which should name the likely cause and the book section to read.
/// The stuck thread is left behind; the test binary ends when all tests are
/// done, whatever such threads are doing.
#[track_caller]
pub fn watchdog(hint: &str, body: impl FnOnce() + Send + 'static) {
    watchdog_for(timeout(), hint, body)
}

/// Like [`watchdog`], with an explicit time limit.
#[track_caller]
pub fn watchdog_for(limit: Duration, hint: &str, body: impl FnOnce() + Send + 'static) {
    // Boxed at once, so the thread machinery below is compiled once, here,
    // and not again for every test: that keeps test builds fast.
    let hint = hint.to_owned();
    run_guarded(limit, Box::new(move || hint), Box::new(body));
}

/// Like [`watchdog`], but when the body does not finish in time, the
/// failure says what `diagnose` returns: what the test can observe at that
/// moment (which threads have ended, which locks are held, whether every
/// producer has returned, ...), so that the message names the cause the
/// code has, not a guess fixed in advance. Where two causes are possible,
/// `diagnose` should name both, and say how to tell them apart.
///
/// `diagnose` runs on the watchdog's thread while the body is stuck: it must
/// not wait for anything the body may hold (read atomics, or use
/// `try_lock`).
#[track_caller]
pub fn watchdog_diagnosed(
    diagnose: impl FnOnce() -> String + Send + 'static,
    body: impl FnOnce() + Send + 'static,
) {
    watchdog_diagnosed_for(timeout(), diagnose, body)
}

/// Like [`watchdog_diagnosed`], with an explicit time limit.
#[track_caller]
pub fn watchdog_diagnosed_for(
    limit: Duration,
    diagnose: impl FnOnce() -> String + Send + 'static,
    body: impl FnOnce() + Send + 'static,
) {
    run_guarded(limit, Box::new(diagnose), Box::new(body));
}

#[track_caller]
fn run_guarded(
    limit: Duration,
    diagnose: Box<dyn FnOnce() -> String + Send>,
    body: Box<dyn FnOnce() + Send>,
) {
    let (done_tx, done_rx) = mpsc::channel::<Result<(), Box<dyn Any + Send>>>();
    // The body thread carries the test's name, so a panic inside it is
    // reported as `thread 'chapter::test_name' panicked at ...`.
    let name = thread::current().name().unwrap_or("test body").to_owned();
    thread::Builder::new()
        .name(name)
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(body));
            let _ = done_tx.send(outcome);
        })
        .expect("the watchdog could not start the test's thread");

    match done_rx.recv_timeout(limit) {
        Ok(Ok(())) => {}
        // The panic message was already printed by the body's thread.
        Ok(Err(payload)) => panic::resume_unwind(payload),
        Err(RecvTimeoutError::Timeout) => {
            let cause = diagnose();
            panic!(
                "\n\nThis test did not finish within {limit:?}: something is stuck \
                 (a deadlock, a thread that waits forever, a loop that never ends).\n\
                 Likely cause: {cause}\n"
            )
        }
        Err(RecvTimeoutError::Disconnected) => {
            unreachable!("the test's thread ended without reporting back")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_when_the_body_finishes() {
        let (tx, rx) = mpsc::channel();
        watchdog("unused", move || tx.send(6 * 7).unwrap());
        assert_eq!(rx.try_recv(), Ok(42));
    }

    #[test]
    fn passes_on_a_panic_with_its_original_payload() {
        let n = std::hint::black_box(1);
        let err = panic::catch_unwind(|| watchdog("unused", move || panic!("boom {n}")))
            .expect_err("the body panicked, so the watchdog must panic");
        assert_eq!(
            err.downcast_ref::<String>().map(String::as_str),
            Some("boom 1")
        );
    }

    #[test]
    fn fails_a_body_that_hangs_with_the_hint() {
        let (_keep_open, rx) = mpsc::channel::<()>();
        let err = panic::catch_unwind(|| {
            watchdog_for(
                Duration::from_millis(50),
                "the sender is never dropped",
                move || {
                    let _ = rx.recv();
                },
            )
        })
        .expect_err("a body that never returns must fail");
        let msg = err.downcast_ref::<String>().expect("a formatted message");
        assert!(msg.contains("did not finish within 50ms"), "{msg}");
        assert!(
            msg.contains("Likely cause: the sender is never dropped"),
            "{msg}"
        );
    }

    #[test]
    fn a_diagnosis_says_what_the_test_saw_when_it_hung() {
        let (_keep_open, rx) = mpsc::channel::<()>();
        let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&seen);
        let err = panic::catch_unwind(|| {
            watchdog_diagnosed_for(
                Duration::from_millis(50),
                move || {
                    let n = counter.load(std::sync::atomic::Ordering::SeqCst);
                    format!("{n} of 3 producers returned")
                },
                move || {
                    seen.store(3, std::sync::atomic::Ordering::SeqCst);
                    let _ = rx.recv();
                },
            )
        })
        .expect_err("a body that never returns must fail");
        let msg = err.downcast_ref::<String>().expect("a formatted message");
        assert!(
            msg.contains("Likely cause: 3 of 3 producers returned"),
            "{msg}"
        );
    }

    #[test]
    fn names_the_body_thread_after_the_test() {
        let outer = thread::current().name().map(str::to_owned);
        let (tx, rx) = mpsc::channel();
        watchdog("unused", move || {
            tx.send(thread::current().name().map(str::to_owned))
                .unwrap()
        });
        assert_eq!(rx.recv().unwrap(), outer);
    }
}
