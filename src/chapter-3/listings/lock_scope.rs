use std::sync::mpsc;
use std::sync::{Arc, Mutex};

fn main() {
    let (tx, rx) = mpsc::channel();
    for job in 1..=2 {
        tx.send(job).unwrap();
    }
    drop(tx);
    let shared = Arc::new(Mutex::new(rx));

    // ANCHOR: while_let
    // The guard from `lock()` lives as long as the whole `while let`,
    // body included: the lock is held during the work.
    while let Ok(job) = shared.lock().unwrap().recv() {
        let free = shared.try_lock().is_ok();
        println!("while let: job {job}, lock free while working: {free}");
    }
    // ANCHOR_END: while_let

    let (tx, rx) = mpsc::channel();
    for job in 1..=2 {
        tx.send(job).unwrap();
    }
    drop(tx);
    let shared = Arc::new(Mutex::new(rx));

    // ANCHOR: let_else
    // In a `let` statement the guard is dropped at the `;`.
    loop {
        let next = shared.lock().unwrap().recv();
        let Ok(job) = next else { break };
        let free = shared.try_lock().is_ok();
        println!("let:       job {job}, lock free while working: {free}");
    }
    // ANCHOR_END: let_else
}
