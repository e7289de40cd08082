use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::thread;

// ANCHOR: take_ticket
/// Takes one of the tickets left, if any: never goes below zero.
fn take_ticket(left: &AtomicU32) -> bool {
    let mut current = left.load(Relaxed);
    loop {
        if current == 0 {
            return false;
        }
        // Only if nobody changed it since we looked: else look again.
        match left.compare_exchange_weak(current, current - 1, Relaxed, Relaxed) {
            Ok(_) => return true,
            Err(actual) => current = actual,
        }
    }
}
// ANCHOR_END: take_ticket

fn main() {
    // ANCHOR: main
    let left = AtomicU32::new(1000);
    let sold = AtomicU32::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                while take_ticket(&left) {
                    sold.fetch_add(1, Relaxed);
                }
            });
        }
    });
    println!("sold {}, left {}", sold.load(Relaxed), left.load(Relaxed));
    // ANCHOR_END: main
}
