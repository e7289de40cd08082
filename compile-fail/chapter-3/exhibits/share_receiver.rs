// `Receiver` is not `Sync`: two threads may not share one through a reference.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<u32>();
    for n in 0..4 {
        tx.send(n).unwrap();
    }
    drop(tx);

    // Two scoped workers that both borrow the one receiver.
    thread::scope(|s| {
        for worker in 0..2 {
            let rx = &rx;
            s.spawn(move || {
                for n in rx.iter() {
                    println!("worker {worker} got {n}");
                }
            });
        }
    });
}
