// `Receiver` does not implement `Clone`: a std channel has one consumer.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<u32>();

    // Two consumers, each with a receiver of its own? Not with mpsc.
    let rx2 = rx.clone();
    thread::spawn(move || {
        for n in rx2 {
            println!("second consumer got {n}");
        }
    });

    tx.send(1).unwrap();
    println!("first consumer got {}", rx.recv().unwrap());
}
