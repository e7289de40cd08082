use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: shared
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for id in 0..3 {
            // Every thread borrows the same Sender: &Sender<String> is Send
            // because Sender<String> is Sync (since Rust 1.72).
            let tx = &tx;
            s.spawn(move || tx.send(format!("hello from thread {id}")).unwrap());
        }
    });
    drop(tx); // the only Sender: now the channel can close
    let mut got: Vec<String> = rx.iter().collect();
    got.sort();
    println!("{got:#?}");
    // ANCHOR_END: shared
}
