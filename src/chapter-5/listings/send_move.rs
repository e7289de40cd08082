use std::sync::Arc;
use std::thread;

fn main() {
    // ANCHOR: move
    let mut lines = vec![String::from("written by main")];
    // `move` hands the vector to the new thread; main cannot touch it now.
    let worker = thread::spawn(move || {
        lines.push(String::from("written by the worker"));
        lines // and back again, as the thread's result
    });
    let lines = worker.join().unwrap();
    println!("{lines:?}");
    // ANCHOR_END: move

    // ANCHOR: arc
    let config = Arc::new(String::from("verbose"));
    let workers: Vec<_> = (0..3)
        .map(|i| {
            // Each thread gets a clone of the Arc: the count goes up
            // atomically, so clones on different threads are safe.
            let config = Arc::clone(&config);
            thread::spawn(move || format!("worker {i} sees {config}"))
        })
        .collect();
    for worker in workers {
        println!("{}", worker.join().unwrap());
    }
    // Every worker has dropped its clone by the time its join returns.
    println!("clones left: {}", Arc::strong_count(&config));
    // ANCHOR_END: arc
}
