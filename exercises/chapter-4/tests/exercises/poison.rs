use crate::chapter_4::poison::{Inventory, Store};
use std::sync::{Arc, Barrier};
use std::thread;
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
            store.read(|inventory| inventory.total)
        }));
        let total = match outcome {
            Ok(total) => total,
            Err(_) => panic!(
                "read panicked after another thread panicked during an update: the \
                 lock is poisoned, and lock() returns Err(PoisonError). Recover the \
                 guard with PoisonError::into_inner instead of unwrapping \
                 (book: 4.5 Poisoned locks)"
            ),
        };
        assert_eq!(
            total, 12,
            "the total after the crash must be the sum of the stock (5 apples and \
             the 7 pears that the crashed update added): restore the invariant \
             after recovering a poisoned lock, by computing total from stock \
             (book: 4.5 Poisoned locks)"
        );
        assert!(store.read(Inventory::is_consistent), "{SECTION}");
        assert_eq!(
            store.read(|inventory| inventory.stock["apples"]),
            5,
            "{SECTION}"
        );
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
