//! Stage 1: jobs on n workers (book: 7.6.1).
// ANSWER

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
// END ANSWER

/// What the pool runs: any closure that can be called once, on another
/// thread, and borrows nothing from the caller. (Stages 2 and 3 use it too.)
pub(crate) type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed number of worker threads that run the jobs given to
/// [`ThreadPool::execute`], each job on whichever worker is free.
pub struct ThreadPool {
    // ANSWER: // Your fields: what `execute` needs to hand a job to the workers.
    sender: Sender<Job>,
    // END ANSWER
}

impl ThreadPool {
    /// Starts `size` worker threads, which wait for jobs.
    ///
    /// # Panics
    ///
    /// If `size` is zero.
    pub fn new(size: usize) -> ThreadPool {
        // ANSWER: todo!("ThreadPool::new: workers sharing one Receiver (book: 7.3 A thread pool)")
        assert!(size > 0, "a thread pool needs at least one worker");
        let (sender, receiver) = mpsc::channel::<Job>();
        // `Receiver` is not `Sync`, so the workers cannot share it as it is;
        // a `Mutex` around it is `Sync` (the `Receiver` is `Send`).
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..size {
            let receiver = Arc::clone(&receiver);
            thread::Builder::new()
                .name(format!("pool-worker-{i}"))
                .spawn(move || work(&receiver))
                .expect("the operating system refused to start a worker");
        }
        ThreadPool { sender }
        // END ANSWER
    }

    /// Queues `job`; the first worker that is free runs it.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // ANSWER: todo!("ThreadPool::execute: box the job and send it (book: 7.3 A thread pool)")
        self.sender
            .send(Box::new(job))
            .expect("every worker has stopped");
        // END ANSWER
    }
}
// ANSWER

/// A worker's life: take the next job, run it, repeat, until the channel
/// is closed (every `Sender` dropped) and empty. Stage 2's workers live
/// the same life.
pub(crate) fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The guard is a temporary of this `let` statement, so the lock is
        // released here, before the job runs, and the other workers can
        // take jobs meanwhile.
        let next = receiver.lock().unwrap().recv();
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}
// END ANSWER
