use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

fn main() {
    // ANCHOR: counter
    let hits = AtomicU64::new(0);

    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    // Read, add and write in one indivisible step.
                    hits.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });

    println!("4 threads counted {} hits", hits.load(Ordering::Relaxed));
    // ANCHOR_END: counter
}
