use std::sync::{Condvar, Mutex};
use std::thread;

fn main() {
    // ANCHOR: condvar
    // The state, and a Condvar to announce changes to it.
    let orders: Mutex<Vec<&str>> = Mutex::new(Vec::new());
    let changed = Condvar::new();

    thread::scope(|s| {
        s.spawn(|| {
            let guard = orders.lock().unwrap();
            // Sleeps, without holding the lock, until notified and the
            // condition no longer holds. Spurious wake-ups are handled.
            let mut guard = changed.wait_while(guard, |o| o.len() < 3).unwrap();
            println!("the cook takes {:?}", guard.drain(..).collect::<Vec<_>>());
        });

        for order in ["soup", "bread", "tea"] {
            orders.lock().unwrap().push(order);
            changed.notify_one();
        }
    });
    // ANCHOR_END: condvar
}
