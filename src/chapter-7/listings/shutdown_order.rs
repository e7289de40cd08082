use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

fn main() {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(receiver));
    // ANCHOR: workers
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let receiver = Arc::clone(&receiver);
            thread::spawn(move || {
                let mut ran = 0;
                loop {
                    let next = receiver.lock().unwrap().recv();
                    match next {
                        Ok(job) => {
                            job();
                            ran += 1;
                        }
                        // Only once every Sender is gone *and* the queue
                        // is empty.
                        Err(_) => return ran,
                    }
                }
            })
        })
        .collect();
    // ANCHOR_END: workers

    // ANCHOR: shutdown
    let (results, collected) = mpsc::channel();
    for i in 0..10 {
        let results = results.clone();
        sender
            .send(Box::new(move || results.send(i * i).unwrap()))
            .unwrap();
    }
    drop(results);

    // 1. Close the channel. The jobs already sent stay in it.
    drop(sender);
    // 2. Wait for every worker: each one empties the queue with the other,
    //    then sees the channel closed, and returns.
    let ran: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();

    println!("the workers ran {ran} jobs before they ended");
    println!("sum of the squares: {}", collected.iter().sum::<i32>());
    // ANCHOR_END: shutdown
}
