use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: pair
/// Two counters that must always be equal: the invariant.
#[derive(Debug, Default)]
struct Pair {
    sent: u32,
    received: u32,
}
// ANCHOR_END: pair

fn main() {
    // ANCHOR: poison
    let pair = Arc::new(Mutex::new(Pair::default()));
    let worker = {
        let pair = Arc::clone(&pair);
        thread::spawn(move || {
            let mut guard = pair.lock().unwrap();
            guard.sent += 1;
            panic!("crashed between the two updates"); // `received` never changes
        })
    };
    println!("the worker panicked: {}", worker.join().is_err());
    println!("poisoned: {}", pair.is_poisoned());
    // ANCHOR_END: poison

    // ANCHOR: recover
    let mut guard = match pair.lock() {
        Ok(guard) => guard,
        Err(poisoned) => {
            println!("lock: Err({poisoned})");
            poisoned.into_inner() // the guard, lock held, as if Ok
        }
    };
    println!("what the panic left: {:?}", *guard);
    guard.received = guard.sent; // restore the invariant...
    pair.clear_poison(); // ...and say so
    drop(guard);
    println!("poisoned: {}", pair.is_poisoned());
    println!("lock: {:?}", pair.lock().map(|guard| guard.received));
    // ANCHOR_END: recover
}
