// Workers that share the Receiver through an `Arc` alone.
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

fn main() {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(receiver);
    for _ in 0..2 {
        let receiver = Arc::clone(&receiver);
        thread::spawn(move || {
            while let Ok(job) = receiver.recv() {
                job();
            }
        });
    }
    drop(sender);
}
