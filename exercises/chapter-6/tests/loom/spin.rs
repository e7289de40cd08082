//! The spin lock's loom models: the same `SpinLock`, with loom's atomics and
//! cell, under every interleaving within the bound in `model.rs`. In loom,
//! `spin_loop` yields to another thread, so a thread that spins lets the
//! holder go on (book: 6.4 How loom works).

use crate::chapter_6::spin::SpinLock;
use crate::model::{self, hold};
use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;

#[test]
fn model_two_lockers() {
    model::check(
        "two threads were inside the lock at once, or one did not see what \
         the other wrote under it. Taking the lock must be one step (a \
         compare_exchange from false to true) with Acquire, and the store \
         in the guard's Drop that unlocks must be Release (book: 6.5 A spin \
         lock)",
        || {
            let lock = hold(Arc::new(SpinLock::new(0_usize)));
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let lock = hold(Arc::clone(&lock));
                    thread::spawn(move || {
                        let mut guard = lock.lock();
                        let seen = *guard;
                        *guard = seen + 1;
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap();
            }
            assert_eq!(*lock.lock(), 2, "an increment under the lock was lost");
        },
    );
}

#[test]
fn model_try_lock_against_lock() {
    model::check(
        "a thread got into the lock while the other held it, or did not see \
         what the other wrote under it. Here one thread calls try_lock and the \
         other lock, so the cause is one of: try_lock, which must take the \
         lock in one step (a compare_exchange from false to true) with Acquire \
         on success; lock, which must do the same; or the store in the guard's \
         Drop that unlocks, which must be Release (book: 6.5 A spin lock)",
        || {
            let lock = hold(Arc::new(SpinLock::new(0_usize)));
            let trier = {
                let lock = hold(Arc::clone(&lock));
                thread::spawn(move || match lock.try_lock() {
                    Some(mut guard) => {
                        *guard += 1;
                        1
                    }
                    None => 0,
                })
            };
            {
                let mut guard = lock.lock();
                *guard += 10;
            }
            let tried = trier.join().unwrap();
            assert_eq!(
                *lock.lock(),
                10 + tried,
                "an update under the lock was lost"
            );
        },
    );
}

#[test]
fn model_try_lock_never_waits() {
    model::check(
        "this model never finished. Here the other thread holds the lock until \
         try_lock has returned. Either try_lock waited for the lock (then the \
         two threads spin, each waiting for the other): try_lock tries once, \
         one compare_exchange from false to true, then Some or None, never a \
         call to lock(), never a loop; or lock() spins without calling \
         spin_loop() from the exercise's `sync` module, and loom runs that \
         thread on and on (book: 6.5 A spin lock)",
        || {
            let lock = hold(Arc::new(SpinLock::new(0_usize)));
            let returned = Arc::new(AtomicBool::new(false));
            let holder = {
                let lock = hold(Arc::clone(&lock));
                let returned = Arc::clone(&returned);
                thread::spawn(move || {
                    let _guard = lock.lock();
                    while !returned.load(Ordering::Acquire) {
                        loom::hint::spin_loop();
                    }
                })
            };
            // Some or None, and the guard (if any) dropped at once.
            drop(lock.try_lock());
            returned.store(true, Ordering::Release);
            holder.join().unwrap();
        },
    );
}
