// `to_uppercase` takes `&self`, so the closure borrows `name` from `shout`.
use std::thread::{self, JoinHandle};

fn shout(name: String) -> JoinHandle<String> {
    thread::spawn(|| name.to_uppercase())
}

fn main() {
    let loud = shout(String::from("ferris"));
    println!("{}", loud.join().unwrap());
}
