use std::sync::Barrier;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::thread;

fn main() {
    // ANCHOR: lost
    let count = AtomicU32::new(0);
    let both_have_read = Barrier::new(2);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let seen = count.load(Relaxed); // step 1: read
                // Makes the unlucky timing certain: both threads read
                // before either writes.
                both_have_read.wait();
                count.store(seen + 1, Relaxed); // step 2: write
            });
        }
    });
    println!("load, then store: {}", count.load(Relaxed));
    // ANCHOR_END: lost

    // ANCHOR: fetch_add
    let count = AtomicU32::new(0);
    let both_ready = Barrier::new(2);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                both_ready.wait();
                count.fetch_add(1, Relaxed); // read and write: one step
            });
        }
    });
    println!("fetch_add: {}", count.load(Relaxed));
    // ANCHOR_END: fetch_add
}
