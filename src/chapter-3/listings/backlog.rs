use std::sync::mpsc::{self, TrySendError};
use std::thread;

fn main() {
    // ANCHOR: unbounded
    // A fast producer and a consumer that has not started yet.
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let producer = thread::spawn(move || {
        for _ in 0..10_000 {
            tx.send(vec![0; 1024]).unwrap(); // never blocks
        }
    });
    producer.join().unwrap();

    // Every message is still in the channel, and so is its memory.
    let waiting: Vec<Vec<u8>> = rx.try_iter().collect();
    let bytes: usize = waiting.iter().map(Vec::len).sum();
    println!("{} messages, {} KiB waiting", waiting.len(), bytes / 1024);
    // ANCHOR_END: unbounded

    // ANCHOR: bounded
    let (tx, _rx) = mpsc::sync_channel::<Vec<u8>>(16);
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..10_000 {
        match tx.try_send(vec![0; 1024]) {
            Ok(()) => accepted += 1,
            Err(TrySendError::Full(_message)) => refused += 1,
            Err(TrySendError::Disconnected(_)) => unreachable!("_rx is alive"),
        }
    }
    println!("{accepted} accepted, {refused} refused as Full");
    // ANCHOR_END: bounded
}
