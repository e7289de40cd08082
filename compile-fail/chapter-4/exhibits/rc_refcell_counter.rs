use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

fn main() {
    let hits = Rc::new(RefCell::new(0));
    let mut workers = Vec::new();
    for _ in 0..4 {
        let hits = Rc::clone(&hits);
        workers.push(thread::spawn(move || {
            *hits.borrow_mut() += 1;
        }));
    }
    for worker in workers {
        worker.join().unwrap();
    }
    println!("{} hits", hits.borrow());
}
