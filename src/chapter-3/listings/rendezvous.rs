use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: rendezvous
    // Capacity 0: no room at all. A message passes only hand to hand.
    let (tx, rx) = mpsc::sync_channel(0);

    // Nobody is waiting in `recv`, so there is no one to hand it to.
    println!("{:?}", tx.try_send("early"));

    let consumer = thread::spawn(move || rx.recv().unwrap());
    // Blocks until the consumer is there to take it.
    tx.send("hand-off").unwrap();
    println!("{}", consumer.join().unwrap());
    // ANCHOR_END: rendezvous
}
