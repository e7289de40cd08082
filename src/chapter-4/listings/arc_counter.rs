use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // ANCHOR: counter
    let hits = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let hits = Arc::clone(&hits);
            thread::spawn(move || {
                for _ in 0..1_000 {
                    *hits.lock().unwrap() += 1; // locked and unlocked each time
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    println!("hits: {}", hits.lock().unwrap());
    // ANCHOR_END: counter
}
