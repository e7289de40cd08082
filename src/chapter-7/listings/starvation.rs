use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send + 'static>;

fn main() {
    // A pool with a single worker, built as in this section.
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    let worker = {
        let receiver: Arc<Mutex<Receiver<Job>>> = Arc::clone(&receiver);
        thread::spawn(move || {
            loop {
                let next = receiver.lock().unwrap().recv();
                match next {
                    Ok(job) => job(),
                    Err(_) => break,
                }
            }
        })
    };

    // ANCHOR: starve
    let (done_tx, done_rx) = mpsc::channel();
    let pool: Sender<Job> = sender.clone();
    sender
        .send(Box::new(move || {
            // Job A gives the pool job B, then waits for B's answer...
            let (answer_tx, answer_rx) = mpsc::channel();
            pool.send(Box::new(move || {
                let _ = answer_tx.send(6 * 7);
                println!("job B ran, but only once job A had given up");
            }))
            .unwrap();
            // ...but B is queued behind A, and A holds the only worker.
            match answer_rx.recv_timeout(Duration::from_secs(1)) {
                Ok(answer) => println!("job A got {answer}"),
                Err(_) => println!("job A waited a second for job B, in vain"),
            }
            done_tx.send(()).unwrap();
        }))
        .unwrap();
    // ANCHOR_END: starve

    done_rx.recv().unwrap();
    drop(sender);
    worker.join().unwrap();
}
