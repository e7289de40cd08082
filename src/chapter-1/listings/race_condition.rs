use std::sync::Barrier;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

fn main() {
    // ANCHOR: race
    let counter = AtomicU32::new(0);
    let both_have_read = Barrier::new(2);

    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let seen = counter.load(Ordering::SeqCst); // read...
                both_have_read.wait(); // (forces the unlucky timing)
                counter.store(seen + 1, Ordering::SeqCst); // ...then write
            });
        }
    });

    println!(
        "two increments later, the counter is {}",
        counter.load(Ordering::SeqCst)
    );
    // ANCHOR_END: race
}
