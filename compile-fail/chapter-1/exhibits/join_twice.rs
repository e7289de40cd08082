// `join` takes the handle by value: a thread can be waited for only once.
use std::thread;

fn main() {
    let handle = thread::spawn(|| 6 * 7);
    let first = handle.join().unwrap();
    let again = handle.join().unwrap();
    println!("{first} {again}");
}
