use std::sync::mpsc;
use std::thread;
use std::time::Duration;

// ANCHOR: hang
fn sum_of_ids() -> u32 {
    let (tx, rx) = mpsc::channel();
    for id in 1..=3 {
        let tx = tx.clone();
        thread::spawn(move || tx.send(id).unwrap());
    }
    // The three clones are dropped when their threads end, but the
    // original `tx` lives on in this function. The loop below receives
    // 1, 2 and 3, and then waits for `tx`, forever.
    rx.iter().sum()
}
// ANCHOR_END: hang

// ANCHOR: fixed
fn sum_of_ids_fixed() -> u32 {
    let (tx, rx) = mpsc::channel();
    for id in 1..=3 {
        let tx = tx.clone();
        thread::spawn(move || tx.send(id).unwrap());
    }
    drop(tx); // from now on, only the producers keep the channel open
    rx.iter().sum()
}
// ANCHOR_END: fixed

// ANCHOR: watch
/// Runs `version` on a thread of its own and waits two seconds at most.
fn watch(name: &str, version: fn() -> u32) {
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || done_tx.send(version()).unwrap());
    match done_rx.recv_timeout(Duration::from_secs(2)) {
        Ok(sum) => println!("{name}: {sum}"),
        Err(_) => println!("{name}: still waiting after 2 s"),
    }
}

fn main() {
    watch("sum_of_ids", sum_of_ids);
    watch("sum_of_ids_fixed", sum_of_ids_fixed);
}
// ANCHOR_END: watch
