use std::thread::{self, JoinHandle};

// ANCHOR: shout
fn shout(name: String) -> JoinHandle<String> {
    thread::spawn(move || name.to_uppercase())
}
// ANCHOR_END: shout

fn main() {
    let loud = shout(String::from("ferris"));
    println!("{}", loud.join().unwrap());
}
