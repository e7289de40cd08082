use std::sync::{Arc, RwLock};
use std::thread;

/// Panics on another thread while holding a read or a write guard.
fn panic_holding(lock: &Arc<RwLock<u32>>, write: bool) {
    let lock = Arc::clone(lock);
    let outcome = thread::spawn(move || {
        if write {
            let _guard = lock.write().unwrap();
            panic!("a writer crashed");
        } else {
            let _guard = lock.read().unwrap();
            panic!("a reader crashed");
        }
    })
    .join();
    assert!(outcome.is_err());
}

fn main() {
    // ANCHOR: rwlock
    let lock = Arc::new(RwLock::new(0));
    panic_holding(&lock, false); // a reader panics
    println!("after a reader panicked: poisoned = {}", lock.is_poisoned());
    panic_holding(&lock, true); // a writer panics
    println!("after a writer panicked: poisoned = {}", lock.is_poisoned());
    // ANCHOR_END: rwlock
}
