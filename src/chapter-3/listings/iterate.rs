use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: for_loop
    let (tx, rx) = mpsc::channel();
    let producer = thread::spawn(move || {
        for n in [3, 1, 4, 1, 5] {
            tx.send(n).unwrap();
        }
        // `tx` is dropped here, when the closure ends: the channel closes.
    });

    // Blocks for each message; ends once the channel is closed and empty.
    let mut total = 0;
    for n in &rx {
        total += n;
    }
    println!("total {total}");
    producer.join().unwrap();
    // ANCHOR_END: for_loop
}
