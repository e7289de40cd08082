// Arc shares its value between threads, so Arc<T> is Send only if T is Sync
// (and Send). Arc does not make a Cell safe to share.
use std::cell::Cell;
use std::sync::Arc;
use std::thread;

fn main() {
    let hits = Arc::new(Cell::new(0));
    let for_worker = Arc::clone(&hits);
    let worker = thread::spawn(move || for_worker.set(for_worker.get() + 1));
    worker.join().unwrap();
    println!("{}", hits.get());
}
