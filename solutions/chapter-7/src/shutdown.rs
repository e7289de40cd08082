//! Stage 2: shutting down on drop (book: 7.6.2).

// ANSWER
use super::workers::work;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
// END ANSWER
// The jobs of stage 1: any closure that can be called once, on another
// thread, and borrows nothing from the caller.
use super::workers::Job;

/// A fixed number of worker threads that run the jobs given to
/// [`ThreadPool::execute`]. Dropping the pool runs every job already
/// queued, then waits for every worker to end.
pub struct ThreadPool {
    // ANSWER: // Your fields: the Sender, which drop must be able to drop, and the
    // ANSWER: // workers' JoinHandles.
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
        // ANSWER: todo!("ThreadPool::new: keep the workers' handles (book: 7.6.2 Shutting down on drop)")
        assert!(size > 0, "a thread pool needs at least one worker");
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size)
            .map(|i| {
                let receiver = Arc::clone(&receiver);
                // The workers of stage 1 (`work`), whose handles are kept.
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
        // ANSWER: todo!("ThreadPool::execute: box the job and send it (book: 7.3 A thread pool)")
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
        // ANSWER: // Your code: drop the Sender, then join every worker
        // ANSWER: // (book: 7.4 Shutting down, and surviving a panic).
        // First close the channel: each worker's `recv` then returns `Err`
        // once the queue is empty. Joining first would wait forever.
        drop(self.sender.take());
        for worker in self.workers.drain(..) {
            // A worker ends with `Err` only if a job panicked on it, which
            // stage 3 prevents. Panicking here, in `drop`, would abort the
            // process if the pool is dropped during another panic.
            let _ = worker.join();
        }
        // END ANSWER
    }
}
