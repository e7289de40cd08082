//! The contract of `Store`, sentence by sentence, with the tests that check
//! each sentence:
//!
//! - "Runs `change` on the inventory, under the lock.": update_and_read
//! - "If `change` panics, the panic goes on to the caller.": a_panic_in_an_update_reaches_its_thread
//! - "Runs `look` on the inventory, under the lock.": update_and_read, a_panic_in_a_read_is_recovered_from_too
//! - "Locks the inventory.": update_and_read
//! - "If a thread panicked while holding the lock, restores the invariant and clears the poison first.": reads_work_after_a_writer_panicked, the_poison_is_cleared_once_repaired, updates_work_after_a_writer_panicked, a_panic_in_a_read_is_recovered_from_too, a_crash_while_a_reader_waits_for_the_lock, many_threads_some_of_them_crash

use crate::chapter_4::poison::{Inventory, Store};
use crate::common::BlockedWatch;
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;
use test_support::watchdog;

const SECTION: &str = "book: 4.9.3 A store that survives a panic";
const STUCK: &str = "a lock that is never released: the inventory's guard must \
                     be dropped when update or read returns (book: 4.2 How long a lock is held).";

/// Runs an update that panics half-way, on a thread of its own, and returns
/// the message it panicked with.
fn crash_during_update(store: &Arc<Store>, item: &'static str, units: u64) -> String {
    let store = Arc::clone(store);
    let outcome = thread::Builder::new()
        .name("panics on purpose".into())
        .spawn(move || {
            store.update(|inventory: &mut Inventory| {
                // Half of a restock: the stock changes, the total does not.
                *inventory.stock.entry(item.to_owned()).or_insert(0) += units;
                panic!("the update of {item} crashed half-way");
            })
        })
        .expect("a thread for the test")
        .join();
    let payload = outcome.expect_err(
        "the update panicked, so its thread must end with that panic: update must \
         not catch it (book: 4.5 Poisoned locks)",
    );
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn update_and_read() {
    watchdog(STUCK, || {
        let store = Store::new();
        store.update(|inventory| inventory.restock("apples", 5));
        store.update(|inventory| inventory.restock("pears", 2));
        let units = store.update(|inventory| {
            inventory.restock("apples", 1);
            inventory.stock["apples"]
        });
        assert_eq!(
            units, 6,
            "update returns what the change returns ({SECTION})"
        );
        let (total, pears) = store.read(|inventory| (inventory.total, inventory.stock["pears"]));
        assert_eq!((total, pears), (8, 2), "read sees every update ({SECTION})");
    });
}

#[test]
fn a_panic_in_an_update_reaches_its_thread() {
    watchdog(STUCK, || {
        let store = Arc::new(Store::new());
        let message = crash_during_update(&store, "plums", 3);
        assert_eq!(
            message, "the update of plums crashed half-way",
            "the panic must go on unchanged to the thread that called update ({SECTION})"
        );
    });
}

#[test]
fn reads_work_after_a_writer_panicked() {
    watchdog(STUCK, || {
        let store = Arc::new(Store::new());
        store.update(|inventory| inventory.restock("apples", 5));
        crash_during_update(&store, "pears", 7);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.read(|inventory| (inventory.total, inventory.stock.clone()))
        }));
        let (total, stock) = match outcome {
            Ok(seen) => seen,
            Err(_) => panic!(
                "read panicked after another thread panicked during an update: the \
                 lock is poisoned, and lock() returns Err(PoisonError). Recover the \
                 guard with PoisonError::into_inner instead of unwrapping \
                 (book: 4.5 Poisoned locks)"
            ),
        };
        let units = |item: &str| stock.get(item).copied().unwrap_or(0);
        assert_eq!(
            (units("apples"), units("pears")),
            (5, 7),
            "after the crash, the stock must be as the updates left it, 5 apples and \
             the 7 pears that the crashed update added: `stock` is the record of truth. \
             The repair must keep it, and compute `total` from it, not throw the \
             inventory away (book: 4.5 Poisoned locks)"
        );
        assert_eq!(
            total, 12,
            "the total after the crash must be the sum of the stock (5 apples and \
             the 7 pears that the crashed update added): restore the invariant \
             after recovering a poisoned lock, by computing total from stock \
             (book: 4.5 Poisoned locks)"
        );
        assert!(store.read(Inventory::is_consistent), "{SECTION}");
    });
}

#[test]
fn the_poison_is_cleared_once_repaired() {
    watchdog(STUCK, || {
        let store = Arc::new(Store::new());
        crash_during_update(&store, "figs", 4);
        let consistent = store.read(Inventory::is_consistent);
        assert!(
            consistent,
            "read must see a repaired inventory: total equal to the sum of the stock \
             (book: 4.5 Poisoned locks)"
        );
        assert!(
            !store.is_poisoned(),
            "once the inventory is repaired, mark the lock as healthy again with \
             Mutex::clear_poison; otherwise every later lock() reports the old \
             panic (book: 4.5 Poisoned locks)"
        );
    });
}

#[test]
fn updates_work_after_a_writer_panicked() {
    watchdog(STUCK, || {
        let store = Arc::new(Store::new());
        crash_during_update(&store, "figs", 4);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.update(|inventory| {
                let was_consistent = inventory.is_consistent();
                inventory.restock("figs", 1);
                was_consistent
            })
        }));
        let was_consistent = outcome.unwrap_or_else(|_| {
            panic!(
                "update panicked after another thread panicked during an update: \
                 recover from the poisoned lock in update too (book: 4.5 Poisoned locks)"
            )
        });
        assert!(
            was_consistent,
            "the first update after a crash must already see a repaired inventory \
             (book: 4.5 Poisoned locks)"
        );
        assert_eq!(
            store.read(|inventory| (inventory.total, inventory.stock["figs"])),
            (5, 5),
            "{SECTION}"
        );
    });
}

#[test]
fn many_threads_some_of_them_crash() {
    watchdog(STUCK, || {
        let store = Arc::new(Store::new());
        let threads = 6;
        let start = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let store = Arc::clone(&store);
                let start = Arc::clone(&start);
                thread::Builder::new()
                    .name("panics on purpose".into())
                    .spawn(move || {
                        start.wait();
                        for round in 0..40 {
                            let item = ["apples", "pears", "plums"][round % 3];
                            let crash = round % 10 == t;
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                store.update(|inventory| {
                                    *inventory.stock.entry(item.to_owned()).or_insert(0) += 1;
                                    if crash {
                                        panic!("crashed half-way");
                                    }
                                    inventory.total += 1;
                                })
                            }));
                            let consistent = store.read(Inventory::is_consistent);
                            assert!(
                                consistent,
                                "a read saw total different from the sum of the stock \
                                 (book: 4.5 Poisoned locks)"
                            );
                        }
                    })
                    .expect("a thread for the test")
            })
            .collect();
        for handle in handles {
            if let Err(payload) = handle.join() {
                std::panic::resume_unwind(payload);
            }
        }
        let (total, consistent) =
            store.read(|inventory| (inventory.total, inventory.is_consistent()));
        assert!(consistent, "{SECTION}");
        assert_eq!(
            total,
            (threads * 40) as u64,
            "every update changed the stock, even those that crashed ({SECTION})"
        );
        assert!(!store.is_poisoned(), "{SECTION}");
    });
}

#[test]
fn a_panic_in_a_read_is_recovered_from_too() {
    watchdog(STUCK, || {
        let store = Arc::new(Store::new());
        store.update(|inventory| inventory.restock("apples", 3));
        let reader = Arc::clone(&store);
        let outcome = thread::Builder::new()
            .name("panics on purpose".into())
            .spawn(move || {
                reader.read(|inventory| {
                    if inventory.total == 3 {
                        panic!("a reader crashed");
                    }
                })
            })
            .expect("a thread for the test")
            .join();
        assert!(
            outcome.is_err(),
            "the panic of `look` must go on to the thread that called read ({SECTION})"
        );
        let after = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.read(|inventory| (inventory.total, inventory.is_consistent()))
        }));
        let (total, consistent) = after.unwrap_or_else(|_| {
            panic!(
                "read panicked after a `look` of another thread panicked under the lock: a \
                 guard dropped while a panic unwinds poisons the lock, whoever held it, a \
                 reader too. Recover in lock (PoisonError::into_inner, repair, \
                 clear_poison), not only after a crashed update \
                 (book: 4.5 Poisoned locks)"
            )
        });
        assert_eq!(
            (total, consistent),
            (3, true),
            "(total, consistent) after a reader crashed: the crash changed nothing, so the \
             store must hold what it held, 3 apples. The repair restores `total` from \
             `stock`, the record of truth; it never throws the stock away ({SECTION})"
        );
        assert!(
            !store.is_poisoned(),
            "the lock must be healthy again once the store recovered: clear the poison \
             (book: 4.5 Poisoned locks)"
        );
    });
}

/// A thread crashes in an update while another thread waits for the lock:
/// the lock is poisoned while the reader waits. The test lets the update
/// crash only once the reader is blocked in `read`.
#[test]
fn a_crash_while_a_reader_waits_for_the_lock() {
    watchdog(STUCK, || {
        let store = Arc::new(Store::new());
        store.update(|inventory| inventory.restock("apples", 5));
        let (inside_tx, inside_rx) = mpsc::channel::<()>();
        let (crash_tx, crash_rx) = mpsc::channel::<()>();
        let crasher = {
            let store = Arc::clone(&store);
            thread::Builder::new()
                .name("panics on purpose".into())
                .spawn(move || {
                    store.update(|inventory: &mut Inventory| {
                        *inventory.stock.entry("pears".to_owned()).or_insert(0) += 7;
                        let _ = inside_tx.send(());
                        let _ = crash_rx.recv();
                        panic!("the update of pears crashed while a reader waited");
                    })
                })
                .expect("a thread for the test")
        };
        inside_rx
            .recv()
            .expect("update must call change (book: 4.5 Poisoned locks)");
        let (watch_tx, watch_rx) = mpsc::channel();
        let reader = {
            let store = Arc::clone(&store);
            thread::spawn(move || {
                let _ = watch_tx.send(BlockedWatch::current());
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    store.read(|inventory| (inventory.total, inventory.is_consistent()))
                }))
                .ok()
            })
        };
        let watch = watch_rx.recv().expect("the reader's thread started");
        watch.wait_until_blocked(Duration::from_secs(1));
        crash_tx.send(()).expect("the crashing update waits");
        assert!(crasher.join().is_err(), "the update crashed ({SECTION})");
        let seen = reader.join().expect("the reader catches its panic");
        let Some((total, consistent)) = seen else {
            panic!(
                "read panicked: another thread crashed, and poisoned the lock, while read \
                 was waiting for it. Either read unwraps the result of lock() instead of \
                 recovering, or it decided whether to recover before it had the lock: \
                 is_poisoned() was still false when read asked, and the lock was poisoned \
                 between that and lock(). Decide on the Result that lock() returns, which \
                 describes the guard you got (book: 4.5 Poisoned locks). If \
                 reads_work_after_a_writer_panicked passes, it is the second."
            )
        };
        assert!(
            consistent && total == 12,
            "the reader got the lock after the crash and must see it repaired: total 12 \
             (5 apples and 7 pears), equal to the sum of the stock; it saw total {total} \
             (book: 4.5 Poisoned locks)"
        );
        assert!(!store.is_poisoned(), "{SECTION}");
    });
}
