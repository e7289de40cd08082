//! Stage 3: surviving a panicking job (book: 6.6.3).
// ANSWER

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
// END ANSWER

/// What the pool runs: any closure that can be called once, on another
/// thread, and borrows nothing from the caller.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed number of worker threads that run the jobs given to
/// [`ThreadPool::execute`]. A job that panics ends, but its worker goes on
/// with the next job. Dropping the pool runs every job already queued,
/// then waits for every worker to end.
pub struct ThreadPool {
    // ANSWER: // Your fields, as in stage 2.
    /// `None` once the pool is being dropped: that closes the channel.
    sender: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
    // END ANSWER
}

impl ThreadPool {
    /// Starts `size` worker threads, which wait for jobs.
    ///
    /// # Panics
    ///
    /// If `size` is zero.
    pub fn new(size: usize) -> ThreadPool {
        // ANSWER: todo!("ThreadPool::new: catch each job's panic (book: 6.6.3 Surviving a panicking job)")
        assert!(size > 0, "a thread pool needs at least one worker");
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size)
            .map(|i| {
                let receiver = Arc::clone(&receiver);
                thread::Builder::new()
                    .name(format!("pool-worker-{i}"))
                    .spawn(move || work(&receiver))
                    .expect("the operating system refused to start a worker")
            })
            .collect();
        ThreadPool {
            sender: Some(sender),
            workers,
        }
        // END ANSWER
    }

    /// Queues `job`; the first worker that is free runs it.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // ANSWER: todo!("ThreadPool::execute: box the job and send it (book: 6.3 A thread pool)")
        self.sender
            .as_ref()
            .expect("the sender is only taken in drop")
            .send(Box::new(job))
            .expect("every worker has stopped");
        // END ANSWER
    }
}

impl Drop for ThreadPool {
    /// Closes the channel, lets the workers finish every queued job, and
    /// waits for each of them to end.
    fn drop(&mut self) {
        // ANSWER: // Your code, as in stage 2
        // ANSWER: // (book: 6.4 Shutting down, and surviving a panic).
        drop(self.sender.take());
        for worker in self.workers.drain(..) {
            // Workers catch their jobs' panics, so this is `Ok`.
            let _ = worker.join();
        }
        // END ANSWER
    }
}
// ANSWER

/// A worker's life: take the next job, run it, repeat, until the channel
/// is closed and empty. A panic in a job ends that job only.
fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let next = receiver.lock().unwrap().recv();
        match next {
            // The default panic hook has already printed the message; the
            // payload is dropped, and the worker takes the next job.
            Ok(job) => {
                let _ = panic::catch_unwind(AssertUnwindSafe(job));
            }
            Err(_) => return,
        }
    }
}
// END ANSWER
