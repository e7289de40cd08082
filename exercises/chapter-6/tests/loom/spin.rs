//! The spin lock's loom models: the same `SpinLock`, with loom's atomics and
//! cell, under every interleaving within the bound in `model.rs`. In loom,
//! `spin_loop` yields to another thread, so a thread that spins lets the
//! holder go on (book: 6.4 How loom works).

use crate::chapter_6::spin::SpinLock;
use crate::model::{self, hold};
use loom::sync::Arc;
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
        "try_lock let a thread in while another held the lock, or without \
         seeing its writes. try_lock must take the lock in one step (a \
         compare_exchange from false to true) with Acquire on success \
         (book: 6.5 A spin lock)",
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
