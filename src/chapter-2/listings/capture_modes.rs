use std::thread;

fn main() {
    // ANCHOR: by_value
    let name = String::from("ferris");
    // `into_bytes` takes `self`, so the closure must own `name`:
    // it captures it by value, with or without `move`.
    let handle = thread::spawn(|| name.into_bytes().len());
    println!("{} bytes", handle.join().unwrap());
    // ANCHOR_END: by_value

    // ANCHOR: copy
    let limit = 10;
    // `move` on a `Copy` value moves a copy: `main` keeps its own.
    let handle = thread::spawn(move || limit * 2);
    println!("limit {limit}, doubled {}", handle.join().unwrap());
    // ANCHOR_END: copy
}
