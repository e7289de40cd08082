use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

fn main() {
    // ANCHOR: timeout
    let (tx, rx) = mpsc::channel::<u32>();

    // `tx` is alive but never sends: recv_timeout gives up after 50 ms.
    let start = Instant::now();
    let first = rx.recv_timeout(Duration::from_millis(50));
    assert!(start.elapsed() >= Duration::from_millis(50));
    println!("{first:?}");

    // Once every Sender is gone, it does not wait at all.
    drop(tx);
    let start = Instant::now();
    let second = rx.recv_timeout(Duration::from_secs(60));
    assert!(start.elapsed() < Duration::from_secs(60));
    println!("{second:?}");
    // ANCHOR_END: timeout
    assert_eq!(first, Err(RecvTimeoutError::Timeout));
    assert_eq!(second, Err(RecvTimeoutError::Disconnected));
}
