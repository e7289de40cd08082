use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

fn main() {
    // ANCHOR: ops
    let stock = AtomicU32::new(10);

    stock.store(8, Relaxed); // write
    println!("load: {}", stock.load(Relaxed)); // read

    let before = stock.swap(20, Relaxed); // write, and get the old value
    println!("swap: was {before}, now {}", stock.load(Relaxed));

    let before = stock.fetch_add(5, Relaxed); // add, and get the old value
    println!("fetch_add: was {before}, now {}", stock.load(Relaxed));

    // Change 25 to 24, but only if it is still 25.
    println!(
        "compare_exchange: {:?}",
        stock.compare_exchange(25, 24, Relaxed, Relaxed)
    );
    // It is 24 now, so asking for 25 fails and tells what is there.
    println!(
        "compare_exchange: {:?}",
        stock.compare_exchange(25, 0, Relaxed, Relaxed)
    );
    // ANCHOR_END: ops
}
