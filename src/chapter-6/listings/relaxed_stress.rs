//! Publishes a value with a `Relaxed` flag, a million times, and counts how
//! often the reader saw the flag but not the value. The orderings are
//! wrong; on x86-64 it still never fails.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::thread;

const ROUNDS: u64 = 1_000_000;

// ANCHOR: stress
static DATA: AtomicU64 = AtomicU64::new(0);
static READY: AtomicBool = AtomicBool::new(false);

fn writer() {
    for round in 1..=ROUNDS {
        while READY.load(Relaxed) {
            thread::yield_now(); // wait until the reader took the last one
        }
        DATA.store(round, Relaxed);
        READY.store(true, Relaxed); // wrong: should be Release
    }
}

fn reader() -> u64 {
    let mut failures = 0;
    for round in 1..=ROUNDS {
        while !READY.load(Relaxed) {
            // wrong: should be Acquire
            thread::yield_now();
        }
        if DATA.load(Relaxed) != round {
            failures += 1; // saw the flag, but not the data
        }
        READY.store(false, Relaxed);
    }
    failures
}
// ANCHOR_END: stress

fn main() {
    let handle = thread::spawn(writer);
    let failures = reader();
    handle.join().unwrap();
    println!("{failures} failures in {ROUNDS} rounds");
}
