use std::sync::{Mutex, TryLockError};

// ANCHOR: describe
fn try_it(queue: &Mutex<Vec<&str>>) {
    match queue.try_lock() {
        Ok(guard) => println!("got the lock: {} jobs", guard.len()),
        Err(TryLockError::WouldBlock) => println!("busy: somebody holds the lock"),
        Err(TryLockError::Poisoned(_)) => println!("poisoned (section 4.5)"),
    }
}
// ANCHOR_END: describe

fn main() {
    // ANCHOR: main
    let queue = Mutex::new(vec!["backup", "report"]);
    let guard = queue.lock().unwrap();
    try_it(&queue); // the lock is held, here by this very thread
    drop(guard); // unlock now, before the end of the scope
    try_it(&queue);
    // ANCHOR_END: main
}
