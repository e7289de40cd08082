use std::sync::Barrier;
use std::sync::atomic::{AtomicI32, Ordering::SeqCst};
use std::thread;

fn main() {
    // ANCHOR: oversold
    let seats = AtomicI32::new(1);
    let both_have_looked = Barrier::new(2);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let free = seats.load(SeqCst) > 0; // check ...
                both_have_looked.wait();
                if free {
                    seats.fetch_sub(1, SeqCst); // ... then act
                }
            });
        }
    });
    println!("seats left: {}", seats.load(SeqCst));
    // ANCHOR_END: oversold
}
