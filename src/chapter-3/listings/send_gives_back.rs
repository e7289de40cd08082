use std::sync::mpsc;

fn main() {
    // ANCHOR: gives_back
    let (tx, rx) = mpsc::channel::<String>();
    drop(rx); // nobody will ever receive

    let order = String::from("order #1017");
    match tx.send(order) {
        Ok(()) => println!("sent"),
        // The error carries the value that could not be delivered.
        Err(mpsc::SendError(order)) => println!("not delivered, still have {order:?}"),
    }
    // ANCHOR_END: gives_back
}
