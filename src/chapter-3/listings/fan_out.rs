use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // ANCHOR: fan_out
    let (jobs_tx, jobs_rx) = mpsc::channel::<u64>();
    let (results_tx, results_rx) = mpsc::channel::<(u64, u64)>();

    // One Receiver, shared by every worker behind a lock (Chapter 4).
    let jobs_rx = Arc::new(Mutex::new(jobs_rx));
    let mut workers = Vec::new();
    for _ in 0..3 {
        let jobs_rx = Arc::clone(&jobs_rx);
        let results_tx = results_tx.clone();
        workers.push(thread::spawn(move || {
            loop {
                // The guard is a temporary: the lock is released at the
                // end of this statement, before the work starts.
                let job = jobs_rx.lock().unwrap().recv();
                let Ok(n) = job else { break }; // channel closed: stop
                let sum: u64 = (1..=n).sum();
                results_tx.send((n, sum)).unwrap();
            }
        }));
    }
    drop(results_tx); // the workers hold the only clones

    for n in [10, 100, 1000, 10_000] {
        jobs_tx.send(n).unwrap();
    }
    drop(jobs_tx); // no more jobs: each worker's recv returns Err

    // Fan-in: results arrive in any order; sort them for printing.
    let mut results: Vec<(u64, u64)> = results_rx.iter().collect();
    results.sort();
    for (n, sum) in results {
        println!("1 + ... + {n} = {sum}");
    }
    for worker in workers {
        worker.join().unwrap();
    }
    // ANCHOR_END: fan_out
}
