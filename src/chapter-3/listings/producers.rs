use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: producers
    let (tx, rx) = mpsc::channel();
    for producer in 0..3 {
        let tx = tx.clone(); // one Sender per producer
        thread::spawn(move || {
            for seq in 0..5 {
                tx.send((producer, seq)).unwrap();
            }
        });
    }
    drop(tx); // keep only the producers' clones

    // The arrival order mixes the producers differently on every run...
    let arrived: Vec<(i32, i32)> = rx.iter().collect();
    println!("{} messages", arrived.len());

    // ...but each producer's own messages arrive in the order it sent them.
    for producer in 0..3 {
        let mine: Vec<i32> = arrived
            .iter()
            .filter(|(p, _)| *p == producer)
            .map(|(_, seq)| *seq)
            .collect();
        println!("from producer {producer}: {mine:?}");
    }
    // ANCHOR_END: producers
}
