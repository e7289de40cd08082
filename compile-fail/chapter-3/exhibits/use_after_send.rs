// `send` takes its argument by value: once sent, the value is gone from here.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        let report = String::from("all 12 files copied");
        tx.send(report).unwrap();
        // `send` took the String: it belongs to the channel now.
        println!("sent: {report}");
    });

    println!("{}", rx.recv().unwrap());
}
