use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

fn main() {
    let hits = Arc::new(RefCell::new(0));
    let for_worker = Arc::clone(&hits);
    let worker = thread::spawn(move || {
        *for_worker.borrow_mut() += 1;
    });
    worker.join().unwrap();
    println!("{} hits", hits.borrow());
}
