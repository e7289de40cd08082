use std::rc::Rc;
use std::sync::mpsc;

fn main() {
    // ANCHOR: same_thread
    // Both ends stay on this thread, so `Rc` is fine.
    let (tx, rx) = mpsc::channel();
    let name = Rc::new(String::from("shared name"));
    tx.send(Rc::clone(&name)).unwrap();
    let received = rx.recv().unwrap();
    println!("{received}, {} owners", Rc::strong_count(&name));
    // ANCHOR_END: same_thread
}
