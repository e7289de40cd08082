//! The clauses of `SpinLock`, `lock`, `try_lock` and `SpinGuard` (every
//! sentence of their doc comments), each with the tests and loom models
//! that fail without it:
//!
//! - "`true` while some thread holds the lock.":
//!   try_lock_fails_while_the_lock_is_held, model_try_lock_against_lock
//! - "Reached only through a guard, so only by the thread holding the
//!   lock.": the_guard_reaches_the_value_and_unlocks_when_dropped,
//!   model_two_lockers, compile_fail_tasks
//! - "Waits, spinning, until the lock is free, takes it, and returns the
//!   guard that holds it.": lock_waits_until_the_holder_lets_go,
//!   model_two_lockers
//! - "Takes the lock if it is free, without waiting.":
//!   try_lock_fails_while_the_lock_is_held, model_try_lock_against_lock
//! - "Holds a `SpinLock` locked; gives access to its value; unlocks when
//!   dropped.": the_guard_reaches_the_value_and_unlocks_when_dropped,
//!   a_panic_under_the_lock_still_unlocks,
//!   locks_and_guards_cross_threads_when_their_values_can
//!
//! The spin lock's ordinary tests. They check what `lock`, `try_lock` and
//! the guard do, on one thread and between threads that take turns. They
//! never make two threads race for the lock: such a test passes or fails by
//! luck. The loom models (`loom/spin.rs`) race them, under every
//! interleaving (book: 6.3 A test that passes and is wrong).

use crate::chapter_6::spin::{SpinGuard, SpinLock};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;
use test_support::{watchdog, watchdog_for};

const STUCK: &str = "a lock that is never released (does the guard's `Drop` \
                     store `false`?), or a `lock` that spins on a lock \
                     nobody holds (book: 6.5 A spin lock)";

#[test]
fn the_guard_reaches_the_value_and_unlocks_when_dropped() {
    watchdog(STUCK, || {
        let lock = SpinLock::new(vec![1, 2]);
        {
            let mut guard = lock.lock();
            guard.push(3);
            assert_eq!(guard.len(), 3, "the guard derefs to the value");
        }
        lock.lock().push(4);
        assert_eq!(
            lock.into_inner(),
            [1, 2, 3, 4],
            "the second lock must see what the first changed \
             (book: 6.6.2 A spin lock with a guard)"
        );
    });
}

#[test]
fn try_lock_fails_while_the_lock_is_held() {
    watchdog(STUCK, || {
        let lock = SpinLock::new(0);
        let mut guard = lock.try_lock().expect(
            "try_lock on a free lock must take it \
             (book: 6.6.2 A spin lock with a guard)",
        );
        *guard += 1;
        assert!(
            lock.try_lock().is_none(),
            "try_lock must fail while a guard holds the lock: lock and try_lock \
             must set `locked` (book: 6.5 A spin lock)"
        );
        drop(guard);
        let guard = lock.try_lock().expect(
            "dropping the guard must unlock: store `false` in its Drop \
             (book: 6.5 A spin lock)",
        );
        assert_eq!(*guard, 1);
        drop(guard);
        let guard = lock.lock();
        assert!(lock.try_lock().is_none(), "lock must take the lock too");
        drop(guard);
    });
}

#[test]
fn lock_waits_until_the_holder_lets_go() {
    watchdog(STUCK, || {
        let lock = Arc::new(SpinLock::new(0));
        let entered = Arc::new(AtomicBool::new(false));
        let mut guard = lock.lock();
        let (starting_tx, starting_rx) = mpsc::channel();
        let waiter = {
            let lock = Arc::clone(&lock);
            let entered = Arc::clone(&entered);
            thread::spawn(move || {
                starting_tx.send(()).unwrap();
                let mut guard = lock.lock();
                entered.store(true, Ordering::SeqCst);
                assert_eq!(
                    *guard, 1,
                    "the waiter must see what the holder wrote before unlocking"
                );
                *guard = 2;
            })
        };
        starting_rx.recv().unwrap();
        assert!(
            lock.try_lock().is_none(),
            "the lock is held here: try_lock must fail"
        );
        assert!(
            !entered.load(Ordering::SeqCst),
            "another thread got past lock() while this one held the lock \
             (book: 6.5 A spin lock)"
        );
        *guard = 1;
        drop(guard);
        waiter.join().unwrap();
        assert!(entered.load(Ordering::SeqCst));
        assert_eq!(*lock.lock(), 2, "the waiter's write must be there");
    });
}

#[test]
fn a_panic_under_the_lock_still_unlocks() {
    watchdog(STUCK, || {
        let lock = Arc::new(SpinLock::new(String::from("before")));
        let theirs = Arc::clone(&lock);
        let outcome = thread::spawn(move || {
            let mut guard = theirs.lock();
            guard.push_str(" and after");
            panic!("a panic while holding the lock");
        })
        .join();
        assert!(outcome.is_err());
        let guard = lock.try_lock().expect(
            "a guard dropped while its thread unwinds must still unlock: \
             the unlock belongs in Drop (book: 6.5 A spin lock)",
        );
        assert_eq!(
            *guard, "before and after",
            "a spin lock has no poisoning: the value is as the panicking \
             thread left it"
        );
    });
}

#[test]
fn locks_and_guards_cross_threads_when_their_values_can() {
    watchdog(STUCK, || {
        fn shared_by_threads<S: Sync + Send>() {}
        fn shared<S: Sync>() {}
        // A lock hands its value to one thread at a time: `T: Send` is
        // enough for it to be shared, like `Mutex<T>`.
        shared_by_threads::<SpinLock<Vec<u8>>>();
        shared_by_threads::<SpinLock<Cell<i32>>>();
        // A guard hands out `&T`, so it may be shared when `T: Sync`.
        // Whether it may be sent is your choice: `MutexGuard` may not be;
        // a spin lock's unlock is an atomic store, which any thread may make.
        shared::<SpinGuard<'static, Vec<u8>>>();
        // Each thread in turn, through a shared reference.
        let lock = SpinLock::new(Cell::new(0));
        for n in 1..=4 {
            thread::scope(|s| {
                s.spawn(|| {
                    let guard = lock.lock();
                    guard.set(guard.get() + n);
                });
            });
        }
        assert_eq!(lock.into_inner().get(), 10);
    });
}

/// `compile-fail/chapter-6/tasks/spin/`: sharing a lock of a `!Send` value,
/// or a guard of a `!Sync` one, between threads must not compile. Checking
/// them runs `cargo check`, which may take a few seconds the first time.
#[test]
fn compile_fail_tasks() {
    watchdog_for(
        Duration::from_secs(120),
        "cargo check of the compile-fail tasks did not finish (book: 6.6.2 A spin lock with a guard)",
        || test_support::compile_fail_tasks("chapter-6", "spin"),
    );
}
