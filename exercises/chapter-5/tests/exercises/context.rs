use crate::chapter_5::context::{ContextGuard, current, enter};
use crate::common::is_send;
use std::thread;
use std::time::Duration;
use test_support::{watchdog, watchdog_for};

const SECTION: &str = "book: 5.8.2 A guard that stays home";
const CANNOT_HANG: &str = "these tests wait only for a thread that pushes and pops a name; \
                           does `enter` or `current` block? (book: 5.8.2 A guard that stays home)";

#[test]
fn enter_and_drop_restore_the_context() {
    watchdog(CANNOT_HANG, || {
        assert!(
            current().is_empty(),
            "a thread that has entered nothing must have an empty context ({SECTION})"
        );
        let request = enter("request 42");
        assert_eq!(
            current(),
            ["request 42"],
            "enter must push the name onto this thread's context ({SECTION})"
        );
        {
            let _parse = enter("parse");
            assert_eq!(
                current(),
                ["request 42", "parse"],
                "current must list the names outermost first ({SECTION})"
            );
        }
        assert_eq!(
            current(),
            ["request 42"],
            "dropping a guard must take its name off again. The guard's Drop truncates \
             the stack to `depth`, so `depth` must be the length before the push ({SECTION})"
        );
        drop(request);
        assert!(
            current().is_empty(),
            "dropping every guard must leave an empty context ({SECTION})"
        );

        // Dropped out of order: the outer guard takes the inner name too.
        let outer = enter("outer");
        let inner = enter("inner");
        drop(outer);
        assert!(
            current().is_empty(),
            "dropping the outer guard must leave the context as it was before it ({SECTION})"
        );
        drop(inner);
        assert!(current().is_empty(), "{SECTION}");
    });
}

#[test]
fn each_thread_has_a_context_of_its_own() {
    watchdog(CANNOT_HANG, || {
        let _main = enter("main");
        // The worker runs while main's guard is alive, and enters and leaves
        // a context of its own with a guard made on its own thread.
        let seen_by_worker = thread::spawn(|| {
            let before = current();
            let guard = enter("worker");
            let during = current();
            drop(guard);
            (before, during, current())
        })
        .join()
        .expect("the worker thread panicked");
        let (before, during, after) = seen_by_worker;
        assert!(
            before.is_empty(),
            "a new thread saw the context {before:?}: every thread must have a context of \
             its own, in the thread_local STACK ({SECTION})"
        );
        assert_eq!(
            during,
            ["worker"],
            "a guard must work on the thread that made it, even a spawned one: every \
             thread must have a context of its own ({SECTION})"
        );
        assert!(after.is_empty(), "{SECTION}");
        assert_eq!(
            current(),
            ["main"],
            "the worker's guards changed main's context: every thread must have a context \
             of its own, and its guards must use only their own thread's stack ({SECTION})"
        );
    });
}

#[test]
fn the_guard_cannot_leave_its_thread() {
    watchdog(CANNOT_HANG, || {
        assert!(
            !is_send!(ContextGuard),
            "ContextGuard is still Send. A guard moved to another thread would truncate \
             that thread's stack when dropped, and leave its own name behind here. Give \
             ContextGuard a field whose type is not Send, so that the compiler keeps it on \
             its thread (book: 5.5 How composition decides)."
        );
    });
}

/// `compile-fail/chapter-5/tasks/context/`: programs that send a guard to
/// another thread, or return one from a thread, must not compile. Checking
/// them runs `cargo check`, which may take a few seconds the first time.
#[test]
fn compile_fail_tasks() {
    watchdog_for(
        Duration::from_secs(120),
        "cargo check of the compile-fail tasks did not finish (book: 5.8.2 A guard that stays home)",
        || test_support::compile_fail_tasks("chapter-5", "context"),
    );
}
