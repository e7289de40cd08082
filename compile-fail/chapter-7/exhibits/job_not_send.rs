// A job type without `Send`: the worker thread cannot receive it.
use std::sync::mpsc;
use std::thread;

type Job = Box<dyn FnOnce()>;

fn main() {
    let (sender, receiver) = mpsc::channel::<Job>();
    let worker = thread::spawn(move || {
        for job in receiver {
            job();
        }
    });
    sender.send(Box::new(|| println!("hello"))).unwrap();
    drop(sender);
    worker.join().unwrap();
}
