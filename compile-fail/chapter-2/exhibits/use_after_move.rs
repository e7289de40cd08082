// After `move`, the vector belongs to the new thread; `main` cannot use it any more.
use std::thread;

fn main() {
    let readings = vec![18, 21, 19];
    let handle = thread::spawn(move || readings.iter().sum::<i32>());
    println!("{} readings", readings.len());
    println!("total: {}", handle.join().unwrap());
}
