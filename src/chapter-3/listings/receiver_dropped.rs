use std::sync::mpsc::{self, SendError};

// ANCHOR: noisy
/// A message that says when it is dropped.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("dropped {}", self.0);
    }
}
// ANCHOR_END: noisy

fn main() {
    // ANCHOR: drop_rx
    let (tx, rx) = mpsc::channel();
    tx.send(Noisy("queued")).unwrap();

    println!("dropping the receiver");
    drop(rx); // the queued message goes with it
    if let Err(SendError(message)) = tx.send(Noisy("late")) {
        println!("send failed, and gave back {}", message.0);
    }
    println!("main ends");
    // ANCHOR_END: drop_rx
}
