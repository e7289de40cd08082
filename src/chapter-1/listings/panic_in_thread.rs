use std::thread;

fn main() {
    // ANCHOR: panic
    let handle = thread::spawn(|| {
        let readings: Vec<u32> = Vec::new();
        // Indexing an empty vector panics, on this thread only.
        readings[0]
    });

    // The panic does not reach `main`: `join` reports it as an `Err`.
    match handle.join() {
        Ok(first) => println!("first reading: {first}"),
        Err(_) => println!("the worker panicked; main carries on"),
    }
    println!("main is still running");
    // ANCHOR_END: panic
}
