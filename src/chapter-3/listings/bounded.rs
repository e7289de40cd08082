use std::sync::mpsc;

fn main() {
    // ANCHOR: try_send
    // Room for two messages.
    let (tx, rx) = mpsc::sync_channel(2);

    println!("{:?}", tx.try_send('a'));
    println!("{:?}", tx.try_send('b'));
    println!("{:?}", tx.try_send('c')); // full: 'c' comes back in the error
    println!("{:?}", rx.recv()); // makes room for one
    println!("{:?}", tx.try_send('c'));

    drop(rx);
    println!("{:?}", tx.try_send('d')); // nobody left to receive
    // ANCHOR_END: try_send
}
