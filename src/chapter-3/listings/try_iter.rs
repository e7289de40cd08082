use std::sync::mpsc;

fn main() {
    // ANCHOR: try_iter
    let (tx, rx) = mpsc::channel();
    for n in 1..=3 {
        tx.send(n).unwrap();
    }
    // Takes what is there now and stops, even though `tx` is still alive.
    let waiting: Vec<i32> = rx.try_iter().collect();
    println!("waiting: {waiting:?}");
    tx.send(4).unwrap();
    println!("later: {:?}", rx.try_iter().collect::<Vec<_>>());
    // ANCHOR_END: try_iter
}
