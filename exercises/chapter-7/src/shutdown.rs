//! Stage 2: shutting down on drop (book: 7.6.2).

// The jobs of stage 1: any closure that can be called once, on another
// thread, and borrows nothing from the caller.
use super::workers::Job;

/// A fixed number of worker threads that run the jobs given to
/// [`ThreadPool::execute`]. Dropping the pool runs every job already
/// queued, then waits for every worker to end.
pub struct ThreadPool {
    // Your fields: the Sender, which drop must be able to drop, and the
    // workers' JoinHandles.
}

impl ThreadPool {
    /// Starts `size` worker threads, which wait for jobs.
    ///
    /// # Panics
    ///
    /// If `size` is zero.
    pub fn new(size: usize) -> ThreadPool {
        todo!("ThreadPool::new: keep the workers' handles (book: 7.6.2 Shutting down on drop)")
    }

    /// Queues `job`; the first worker that is free runs it.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        todo!("ThreadPool::execute: box the job and send it (book: 7.3 A thread pool)")
    }
}

impl Drop for ThreadPool {
    /// Closes the channel, lets the workers finish every queued job, and
    /// waits for each of them to end.
    fn drop(&mut self) {
        // Your code: drop the Sender, then join every worker
        // (book: 7.4 Shutting down, and surviving a panic).
    }
}
