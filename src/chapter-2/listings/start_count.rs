use std::thread::{self, JoinHandle};

// ANCHOR: start_count
/// Starts counting the words of `text` and returns at once.
fn start_count(text: String) -> JoinHandle<usize> {
    // `text` belongs to this function's stack frame...
    thread::spawn(move || text.split_whitespace().count())
    // ...which is gone when this function returns. The thread may still be
    // counting then: that is safe only because it owns `text`.
}

fn main() {
    let handle = start_count(String::from("the quick brown fox"));
    // `start_count` has returned; its local variables no longer exist.
    println!("{} words", handle.join().unwrap());
}
// ANCHOR_END: start_count
