use std::panic;
use std::sync::mpsc::{self, TryRecvError};

fn main() {
    // ANCHOR: states
    let (tx, rx) = mpsc::channel();

    // Nothing sent yet, but `tx` is alive: "nothing yet".
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));

    tx.send("first").unwrap();
    tx.send("second").unwrap();
    drop(tx); // the last (and only) Sender is gone

    // Messages sent before the close still arrive, in order...
    assert_eq!(rx.try_recv(), Ok("first"));
    assert_eq!(rx.try_recv(), Ok("second"));
    // ...and only then does the channel report that it is closed.
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    // ANCHOR_END: states

    // ANCHOR: unwrap
    let (_tx, rx) = mpsc::channel::<&str>();
    let result = rx.try_recv(); // returns at once: Err(Empty)
    println!("try_recv returned {result:?}");

    panic::set_hook(Box::new(|_| {})); // keep stderr quiet
    let payload = panic::catch_unwind(|| result.unwrap()).unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    println!("unwrap panicked: {message}");
    // ANCHOR_END: unwrap
}
