use std::sync::atomic::{AtomicBool, AtomicU64, Ordering, fence};
use std::thread;

static DATA: AtomicU64 = AtomicU64::new(0);
static READY: AtomicBool = AtomicBool::new(false);

fn main() {
    // ANCHOR: fence
    let writer = thread::spawn(|| {
        DATA.store(42, Ordering::Relaxed);
        fence(Ordering::Release); // a Release fence, then a Relaxed store
        READY.store(true, Ordering::Relaxed);
    });
    while !READY.load(Ordering::Relaxed) {
        std::hint::spin_loop();
    }
    fence(Ordering::Acquire); // a Relaxed load that saw it, then an Acquire fence
    println!("data: {}", DATA.load(Ordering::Relaxed));
    // ANCHOR_END: fence
    writer.join().unwrap();
}
