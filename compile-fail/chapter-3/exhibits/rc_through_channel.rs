// `Rc` is not `Send`, so neither is a `Sender` of `Rc`s: it cannot go to another thread.
use std::rc::Rc;
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<Rc<String>>();

    thread::spawn(move || {
        tx.send(Rc::new(String::from("shared name"))).unwrap();
    });

    println!("{}", rx.recv().unwrap());
}
