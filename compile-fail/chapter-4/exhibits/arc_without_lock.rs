use std::sync::Arc;
use std::thread;

fn main() {
    let log = Arc::new(Vec::new());
    let for_worker = Arc::clone(&log);
    let worker = thread::spawn(move || {
        for_worker.push("started");
    });
    worker.join().unwrap();
    println!("{log:?}");
}
