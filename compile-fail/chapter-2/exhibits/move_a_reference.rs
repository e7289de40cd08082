// `move` moves the reference `r`, and a reference still borrows `name`.
use std::thread;

fn main() {
    let name = String::from("ferris");
    let r = &name;
    let handle = thread::spawn(move || r.len());
    println!("{}", handle.join().unwrap());
}
