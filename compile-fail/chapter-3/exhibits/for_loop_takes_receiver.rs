// `for n in rx` consumes the receiver, so it cannot be used after the loop.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for n in 1..=3 {
            tx.send(n).unwrap();
        }
    });

    for n in rx {
        println!("got {n}");
    }
    // The loop above took `rx` by value.
    println!("anything left? {:?}", rx.try_recv());
}
