// A Receiver may move to another thread, but not be shared: two threads may
// not call recv on the same Receiver.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<u32>();
    thread::scope(|s| {
        s.spawn(|| rx.recv());
        s.spawn(|| rx.recv());
        tx.send(1).unwrap();
        tx.send(2).unwrap();
    });
}
