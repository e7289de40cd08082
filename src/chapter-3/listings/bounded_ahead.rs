use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: ahead
    const CAPACITY: usize = 2;
    let (tx, rx) = mpsc::sync_channel(CAPACITY);
    let sent = Arc::new(AtomicUsize::new(0)); // sends that have returned

    let counter = Arc::clone(&sent);
    let producer = thread::spawn(move || {
        for item in 0..1000 {
            tx.send(item).unwrap(); // blocks while the channel is full
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });

    let mut received = 0;
    let mut most_ahead = 0;
    for _item in rx {
        received += 1;
        let ahead = sent.load(Ordering::SeqCst).saturating_sub(received);
        most_ahead = most_ahead.max(ahead);
    }
    producer.join().unwrap();
    println!("received {received}");
    let within = most_ahead <= CAPACITY;
    println!("producer ahead by at most {CAPACITY}: {within}");
    // ANCHOR_END: ahead
}
