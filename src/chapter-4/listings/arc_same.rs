use std::sync::Arc;

fn main() {
    let primes = Arc::new(vec![2, 3, 5, 7, 11]);
    // ANCHOR: main
    let other = Arc::clone(&primes);
    println!("same allocation: {}", Arc::ptr_eq(&primes, &other));
    println!("owners: {}", Arc::strong_count(&primes));
    drop(other);
    println!("owners: {}", Arc::strong_count(&primes));
    // ANCHOR_END: main
}
