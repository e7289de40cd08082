//! Stage 1: jobs on n workers (book: 7.6.1).

/// What the pool runs: any closure that can be called once, on another
/// thread, and borrows nothing from the caller. (Stages 2 and 3 use it too.)
pub(crate) type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed number of worker threads that run the jobs given to
/// [`ThreadPool::execute`], each job on whichever worker is free.
pub struct ThreadPool {
    // Your fields: what `execute` needs to hand a job to the workers.
}

impl ThreadPool {
    /// Starts `size` worker threads, which wait for jobs.
    ///
    /// # Panics
    ///
    /// If `size` is zero.
    pub fn new(size: usize) -> ThreadPool {
        todo!("ThreadPool::new: workers sharing one Receiver (book: 7.3 A thread pool)")
    }

    /// Queues `job`; the first worker that is free runs it.
    pub fn execute<F>(&self, job: F)
    where
        F: FnOnce() + Send + 'static,
    {
        todo!("ThreadPool::execute: box the job and send it (book: 7.3 A thread pool)")
    }
}
