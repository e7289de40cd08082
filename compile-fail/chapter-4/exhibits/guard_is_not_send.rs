use std::sync::Mutex;
use std::thread;

static TOTAL: Mutex<u64> = Mutex::new(0);

fn main() {
    let mut guard = TOTAL.lock().unwrap();
    *guard += 1;
    // Hand the locked guard to another thread, to unlock it there.
    let worker = thread::spawn(move || {
        *guard += 1;
        drop(guard);
    });
    worker.join().unwrap();
}
