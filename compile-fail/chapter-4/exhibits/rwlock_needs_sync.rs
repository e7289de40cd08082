use std::cell::Cell;
use std::sync::{Arc, RwLock};
use std::thread;

fn main() {
    let hits = Arc::new(RwLock::new(Cell::new(0)));
    let for_worker = Arc::clone(&hits);
    let worker = thread::spawn(move || {
        let cell = for_worker.read().unwrap();
        cell.set(cell.get() + 1);
    });
    worker.join().unwrap();
    println!("{} hits", hits.read().unwrap().get());
}
