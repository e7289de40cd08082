use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

fn main() {
    // ANCHOR: share
    let words = vec!["send", "sync", "share"]; // Vec<&str>: Sync, read by all
    let letters = AtomicUsize::new(0); // Sync: changed with atomic instructions
    let seen = Mutex::new(Vec::new()); // Sync: changed under a lock

    thread::scope(|s| {
        for word in &words {
            // Each thread gets three shared references: &&str, &AtomicUsize
            // and &Mutex<Vec<&str>>. All three are Send, because the types
            // behind them are Sync.
            s.spawn(|| {
                letters.fetch_add(word.len(), Ordering::Relaxed);
                seen.lock().unwrap().push(*word);
            });
        }
    });

    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    println!("letters: {}", letters.into_inner());
    println!("seen: {seen:?}");
    // ANCHOR_END: share
}
