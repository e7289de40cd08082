use std::sync::mpsc::{Receiver, Sender, SyncSender};

// ANCHOR: checks
// Each function compiles only for types with the trait in its bound.
fn is_send<T: Send>() {}
fn is_sync<T: Sync>() {}

fn main() {
    // Both ends may be moved to another thread...
    is_send::<Sender<String>>();
    is_send::<SyncSender<String>>();
    is_send::<Receiver<String>>();

    // ...and both kinds of sender may be shared by reference (since Rust
    // 1.72 for `Sender`). `is_sync::<Receiver<String>>()` would not compile.
    is_sync::<Sender<String>>();
    is_sync::<SyncSender<String>>();

    println!("checked by the compiler");
}
// ANCHOR_END: checks
