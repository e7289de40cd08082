// A MutexGuard must be dropped (and the lock released) on the thread that
// locked it, so it cannot move into a spawned closure.
use std::sync::Mutex;
use std::thread;

static COUNTER: Mutex<i32> = Mutex::new(0);

fn main() {
    let mut guard = COUNTER.lock().unwrap();
    let worker = thread::spawn(move || *guard += 1);
    worker.join().unwrap();
    println!("{}", COUNTER.lock().unwrap());
}
