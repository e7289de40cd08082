use std::thread;

/// A deliberately slow way to count the primes below `limit`.
fn count_primes(limit: u64) -> usize {
    (2..limit)
        .filter(|&n| (2..n).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count()
}

fn main() {
    // ANCHOR: all_then_join
    let limits = [10_000, 20_000, 30_000, 40_000];

    // First start every thread...
    let handles: Vec<_> = limits
        .into_iter()
        .map(|limit| thread::spawn(move || (limit, count_primes(limit))))
        .collect();

    // ...then wait for each one. The threads run at the same time.
    for handle in handles {
        let (limit, primes) = handle.join().unwrap();
        println!("{primes} primes below {limit}");
    }
    // ANCHOR_END: all_then_join

    // ANCHOR: one_at_a_time
    // Joining right after spawning waits for each thread before starting
    // the next: four threads, but only one of them runs at any moment.
    for limit in limits {
        let primes = thread::spawn(move || count_primes(limit)).join().unwrap();
        assert_eq!(primes, count_primes(limit));
    }
    // ANCHOR_END: one_at_a_time
}
