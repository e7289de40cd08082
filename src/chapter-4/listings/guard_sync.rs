use std::sync::Mutex;
use std::thread;

fn main() {
    // ANCHOR: lend
    let config = Mutex::new(String::from("verbose"));
    let guard = config.lock().unwrap();
    thread::scope(|s| {
        // `&MutexGuard<String>` crosses to the scoped thread; the guard stays.
        s.spawn(|| println!("the scoped thread reads {:?}", *guard));
    });
    drop(guard); // unlocked here, by the thread that locked it
    // ANCHOR_END: lend
}
