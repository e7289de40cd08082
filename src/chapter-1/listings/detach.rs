use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: detach
    // Two channels (Chapter 3): one to tell the worker to go on, one for its answer.
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let (answer_tx, answer_rx) = mpsc::channel();

    let handle = thread::spawn(move || {
        go_rx.recv().unwrap(); // wait until main says "go"
        answer_tx.send("worker: still running").unwrap();
    });

    drop(handle); // detaches the thread; it does not stop it
    go_tx.send(()).unwrap();
    println!("{}", answer_rx.recv().unwrap());
    // ANCHOR_END: detach
}
