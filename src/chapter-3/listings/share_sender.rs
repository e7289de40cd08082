use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: share
    let (tx, rx) = mpsc::channel();

    // `Sender` is `Sync`, so scoped threads can share one by reference.
    thread::scope(|s| {
        for id in 0..3 {
            let tx = &tx;
            s.spawn(move || tx.send(id * 10).unwrap());
        }
    });
    drop(tx); // the threads only borrowed it: main still owns it

    let mut got: Vec<i32> = rx.iter().collect();
    got.sort();
    println!("{got:?}");
    // ANCHOR_END: share
}
