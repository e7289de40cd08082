use std::cell::Cell;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // ANCHOR: cell
    // `Cell<u32>` is Send but not Sync: threads may not share one. Inside a
    // Mutex only one thread at a time can reach it, so that is allowed.
    let visits = Arc::new(Mutex::new(Cell::new(0u32)));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let visits = Arc::clone(&visits);
            thread::spawn(move || {
                let cell = visits.lock().unwrap();
                cell.set(cell.get() + 1);
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    println!("visits: {}", visits.lock().unwrap().get());
    // ANCHOR_END: cell
}
