// `spawn` returns a handle to the thread, not the closure's result.
use std::thread;

fn main() {
    let answer: u32 = thread::spawn(|| 6 * 7);
    println!("{answer}");
}
