// A MutexGuard must be dropped (and the lock released) on the thread that
// locked it, so it cannot move into a spawned closure.
use std::sync::Mutex;
use std::thread;

fn main() {
    let counter = Mutex::new(0);
    let mut guard = counter.lock().unwrap();
    thread::scope(|s| {
        s.spawn(move || *guard += 1);
    });
    println!("{}", counter.lock().unwrap());
}
