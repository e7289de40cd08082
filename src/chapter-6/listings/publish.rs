use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

// ANCHOR: publish
static DATA: AtomicU64 = AtomicU64::new(0);
static READY: AtomicBool = AtomicBool::new(false);

fn writer() {
    DATA.store(42, Ordering::Relaxed);
    READY.store(true, Ordering::Release); // publishes everything above
}

fn reader() -> Option<u64> {
    if READY.load(Ordering::Acquire) {
        // The Acquire load read the Release store: the write of 42
        // happens-before this read.
        Some(DATA.load(Ordering::Relaxed))
    } else {
        None // not published yet
    }
}
// ANCHOR_END: publish

fn main() {
    // ANCHOR: main
    let handle = thread::spawn(writer);
    let early = reader(); // None or Some(42): never Some(0)
    assert!(early.is_none() || early == Some(42));
    handle.join().unwrap();
    println!("after join: {:?}", reader());
    // ANCHOR_END: main
}
