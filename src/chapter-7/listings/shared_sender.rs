use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: shared
    let (sender, receiver) = mpsc::channel();

    // Four threads send through one `&Sender`: no clone, no lock.
    // That compiles because `Sender<T>` is `Sync` (since Rust 1.72).
    thread::scope(|s| {
        for t in 0..4 {
            let sender = &sender;
            s.spawn(move || {
                for i in 0..10 {
                    sender.send(t * 10 + i).unwrap();
                }
            });
        }
    });
    drop(sender);

    let total: u32 = receiver.iter().sum();
    println!("received 0 + 1 + ... + 39 = {total}");
    // ANCHOR_END: shared
}
