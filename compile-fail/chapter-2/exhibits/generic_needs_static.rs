// A generic function that spawns must pass `spawn`'s bounds on to its callers.
use std::thread::{self, JoinHandle};

fn in_background<T: Send, F: FnOnce() -> T + Send>(job: F) -> JoinHandle<T> {
    thread::spawn(job)
}

fn main() {
    let answer = in_background(|| 6 * 7);
    println!("{}", answer.join().unwrap());
}
