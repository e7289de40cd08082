//! Stage 3: surviving a panicking job (book: 7.6.3).

// ANSWER
use super::shutdown;
use std::panic::{self, AssertUnwindSafe};
// END ANSWER
// The jobs of stage 1: any closure that can be called once, on another
// thread, and borrows nothing from the caller.
use super::workers::Job;

/// A fixed number of worker threads that run the jobs given to
/// [`ThreadPool::execute`]. A job that panics ends, but its worker goes on
/// with the next job. Dropping the pool runs every job already queued,
/// then waits for every worker to end.
pub struct ThreadPool {
    // ANSWER: // Your fields, as in stage 2.
    /// Stage 2's pool, which runs every job it is given and shuts down on
    /// drop; this one hands it only jobs that cannot panic.
    inner: shutdown::ThreadPool,
    // END ANSWER
}

impl ThreadPool {
    /// Starts `size` worker threads, which wait for jobs.
    ///
    /// # Panics
    ///
    /// If `size` is zero.
    pub fn new(size: usize) -> ThreadPool {
        // ANSWER: todo!("ThreadPool::new: catch each job's panic (book: 7.6.3 Surviving a panicking job)")
        ThreadPool {
            inner: shutdown::ThreadPool::new(size),
        }
        // END ANSWER
    }

    /// Queues `job`; the first worker that is free runs it.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        // ANSWER: todo!("ThreadPool::execute: box the job and send it (book: 7.3 A thread pool)")
        let job: Job = Box::new(job);
        // The worker runs the job inside `catch_unwind`: a panic ends the
        // job, the default panic hook prints its message, the payload is
        // dropped, and the worker takes the next job.
        self.inner.execute(move || {
            let _ = panic::catch_unwind(AssertUnwindSafe(job));
        });
        // END ANSWER
    }
}

impl Drop for ThreadPool {
    /// Closes the channel, lets the workers finish every queued job, and
    /// waits for each of them to end.
    fn drop(&mut self) {
        // ANSWER: // Your code, as in stage 2
        // ANSWER: // (book: 7.4 Shutting down, and surviving a panic).
        // Nothing to do here: `inner` is dropped right after this, and its
        // `drop` closes the channel and joins the workers. No job can have
        // panicked on them, so every join is `Ok`.
        // END ANSWER
    }
}
