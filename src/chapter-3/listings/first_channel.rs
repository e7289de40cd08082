use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: first
    // One channel: `tx` is the sending end, `rx` the receiving end.
    let (tx, rx) = mpsc::channel();

    // The worker owns `tx` and sends three results through it.
    let worker = thread::spawn(move || {
        for file in ["notes.txt", "todo.md", "readme"] {
            let words = file.len() * 100; // stands in for real work
            tx.send(format!("{file}: {words} words")).unwrap();
        }
    });

    // `recv` waits until a message is there, then hands it over.
    for _ in 0..3 {
        let line = rx.recv().unwrap();
        println!("main got {line:?}");
    }
    worker.join().unwrap();
    // ANCHOR_END: first
}
