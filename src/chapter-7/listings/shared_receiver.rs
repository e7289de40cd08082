use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

// ANCHOR: job
type Job = Box<dyn FnOnce() + Send + 'static>;
// ANCHOR_END: job

fn main() {
    // ANCHOR: workers
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(receiver));

    let workers: Vec<_> = (0..3)
        .map(|i| {
            let receiver = Arc::clone(&receiver);
            thread::Builder::new()
                .name(format!("worker-{i}"))
                .spawn(move || {
                    loop {
                        // Lock, take one job, unlock (the guard is a
                        // temporary of this statement)...
                        let next = receiver.lock().unwrap().recv();
                        // ...then run it while the others take theirs.
                        match next {
                            Ok(job) => job(),
                            Err(_) => break, // closed: no Sender is left
                        }
                    }
                })
                .unwrap()
        })
        .collect();
    // ANCHOR_END: workers

    // ANCHOR: send
    // Three jobs that can only finish together: each waits at the barrier
    // until all three have started, so three workers must run them.
    let all_started = Arc::new(Barrier::new(3));
    let (names_tx, names_rx) = mpsc::channel();
    for _ in 0..3 {
        let (all_started, names_tx) = (Arc::clone(&all_started), names_tx.clone());
        sender
            .send(Box::new(move || {
                all_started.wait();
                let me = thread::current();
                names_tx.send(me.name().unwrap().to_owned()).unwrap();
            }))
            .unwrap();
    }
    drop(names_tx);
    let mut names: Vec<String> = names_rx.iter().collect();
    names.sort();
    println!("three jobs ran at once, on {names:?}");
    // ANCHOR_END: send

    drop(sender);
    for worker in workers {
        worker.join().unwrap();
    }
}
