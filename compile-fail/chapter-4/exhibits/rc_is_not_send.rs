use std::rc::Rc;
use std::thread;

fn main() {
    let names = Rc::new(vec!["ada", "grace"]);
    let for_worker = Rc::clone(&names);
    let worker = thread::spawn(move || {
        println!("the worker sees {} names", for_worker.len());
    });
    worker.join().unwrap();
}
