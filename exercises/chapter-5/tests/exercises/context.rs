//! The contract of `src/context.rs`, clause by clause, and the tests that
//! check each one:
//!
//! - "Proof that this thread has entered a context.":
//!   enter_and_drop_restore_the_context, each_thread_has_a_context_of_its_own
//! - "Dropping it leaves the context: this thread's stack goes back to what
//!   `enter` found.": enter_and_drop_restore_the_context
//! - "How many names this thread's stack held before `enter`.":
//!   enter_and_drop_restore_the_context
//! - "Zero-sized, but neither `Send` nor `Sync`, so `ContextGuard` is neither:
//!   a guard cannot reach the stack of another thread.": not a behaviour of
//!   its own: the reference's own field (a marker of any type that is not
//!   Send will do, and a guard may stay Sync); that a guard cannot leave its
//!   thread is checked by the_guard_cannot_leave_its_thread and
//!   compile_fail_tasks
//! - "Pushes `name` onto this thread's context until the guard is dropped.":
//!   enter_and_drop_restore_the_context, each_thread_has_a_context_of_its_own
//! - "This thread's context, outermost name first.":
//!   enter_and_drop_restore_the_context, each_thread_has_a_context_of_its_own

use crate::chapter_5::context::{ContextGuard, current, enter};
use crate::common::is_send;
use std::panic::{self, AssertUnwindSafe};
use std::thread;
use std::time::Duration;
use test_support::{watchdog, watchdog_for};

const SECTION: &str = "book: 5.8.2 A guard that stays home";
const CANNOT_HANG: &str = "these tests wait only for a thread that pushes and pops a name; \
                           does `enter` or `current` block? (book: 5.8.2 A guard that stays home)";

/// `enter(name)`, explaining a panic of `STACK`'s `RefCell`.
fn entered(name: &str) -> ContextGuard {
    explained("enter", || enter(name))
}

/// `current()`, explaining a panic of `STACK`'s `RefCell`.
fn now() -> Vec<String> {
    explained("current", current)
}

/// Runs `f`, a call of `what`. If it panics because `STACK` was borrowed
/// while it was already borrowed, says why that happens.
fn explained<R>(what: &str, f: impl FnOnce() -> R) -> R {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if text.contains("borrowed") {
                panic!(
                    "{what} panicked with \"{text}\": STACK is a RefCell, which allows one \
                     mutable borrow, or any number of shared ones, at a time. Inside \
                     `STACK.with_borrow_mut(|stack| ...)`, use `stack` itself (its `len()`), \
                     and do not call `current()` or borrow STACK again ({SECTION})"
                );
            }
            panic::resume_unwind(payload)
        }
    }
}

#[test]
fn enter_and_drop_restore_the_context() {
    watchdog(CANNOT_HANG, || {
        assert!(
            now().is_empty(),
            "a thread that has entered nothing must have an empty context ({SECTION})"
        );
        let request = entered("request 42");
        let once = now();
        let twice = now();
        assert_eq!(
            once, twice,
            "current must leave this thread's context as it is: two calls in a row gave \
             {once:?}, then {twice:?}. Return a copy of the stack (`clone`); do not take it \
             out of STACK ({SECTION})"
        );
        assert_eq!(
            once,
            ["request 42"],
            "enter must push the name onto this thread's context ({SECTION})"
        );
        {
            let _parse = entered("parse");
            assert_eq!(
                now(),
                ["request 42", "parse"],
                "current must list the names outermost first ({SECTION})"
            );
        }
        assert_eq!(
            now(),
            ["request 42"],
            "dropping a guard must take its name off again. The guard's Drop truncates \
             the stack to `depth`, so `depth` must be the length before the push ({SECTION})"
        );
        drop(request);
        assert!(
            now().is_empty(),
            "dropping every guard must leave an empty context ({SECTION})"
        );

        // Dropped out of order: the outer guard takes the inner name too.
        let outer = entered("outer");
        let inner = entered("inner");
        drop(outer);
        assert!(
            now().is_empty(),
            "dropping the outer guard must leave the context as it was before it ({SECTION})"
        );
        drop(inner);
        assert!(now().is_empty(), "{SECTION}");
    });
}

#[test]
fn each_thread_has_a_context_of_its_own() {
    watchdog(CANNOT_HANG, || {
        let _main = entered("main");
        // The worker runs while main's guard is alive, and enters and leaves
        // a context of its own with a guard made on its own thread.
        let seen_by_worker = thread::spawn(|| {
            let before = now();
            let guard = entered("worker");
            let during = now();
            drop(guard);
            (before, during, now())
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
        assert!(
            after.is_empty(),
            "after the worker dropped its guard, its context was still {after:?}: \
             dropping a guard must take its name off again. Drop truncates the stack to \
             `depth`, so `depth` must be the length before the push ({SECTION})"
        );
        assert_eq!(
            now(),
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
