use std::thread;

fn main() {
    // ANCHOR: join
    let numbers: Vec<u64> = (1..=1_000).collect();

    // The closure owns `numbers` (more on `move` in Chapter 2) and returns a u64,
    // so `spawn` gives back a JoinHandle<u64>.
    let handle: thread::JoinHandle<u64> = thread::spawn(move || numbers.iter().sum());

    println!("main: the sum is being computed on another thread");
    let total: u64 = handle.join().expect("the summing thread panicked");
    println!("main: the sum is {total}");
    // ANCHOR_END: join
}
