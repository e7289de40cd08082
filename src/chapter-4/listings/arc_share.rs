use std::sync::Arc;
use std::thread;

fn main() {
    // ANCHOR: share
    let primes = Arc::new(vec![2, 3, 5, 7, 11]);
    println!("owners: {}", Arc::strong_count(&primes));
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let primes = Arc::clone(&primes); // a new pointer, the same vector
            thread::spawn(move || primes[i] * primes[i + 1])
        })
        .collect();
    let products: Vec<i32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    println!("products: {products:?}");
    println!(
        "owners after the threads ended: {}",
        Arc::strong_count(&primes)
    );
    // ANCHOR_END: share
}
