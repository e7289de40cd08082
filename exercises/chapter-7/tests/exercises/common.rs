//! Helpers shared by Chapter 7's tests: a gate that jobs wait at, a way to
//! see whether a pool's worker threads have ended, and the checks that every
//! stage of the thread pool must pass.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

/// How long a test waits for something that must *not* happen (a job that
/// starts although every worker is busy, a `drop` that returns while a job
/// still runs) before it concludes that it does not. A right answer always
/// passes, after this pause; a wrong one shows itself in microseconds, so
/// the pause only needs to cover a scheduling hiccup.
pub const GRACE: Duration = Duration::from_millis(100);

/// The pools of all three stages, as the shared checks below use them.
pub trait Pool: Send + Sync + Sized + 'static {
    fn with_workers(n: usize) -> Self;
    fn run(&self, job: impl FnOnce() + Send + 'static);
}

/// A gate that jobs wait at until the test opens it.
#[derive(Clone, Default)]
pub struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    pub fn wait(&self) {
        let (open, opened) = &*self.0;
        let guard = open.lock().unwrap();
        drop(opened.wait_while(guard, |open| !*open).unwrap());
    }

    pub fn open(&self) {
        let (open, opened) = &*self.0;
        *open.lock().unwrap() = true;
        opened.notify_all();
    }
}

thread_local! {
    static TOKEN: RefCell<Option<Arc<()>>> = const { RefCell::new(None) };
}

/// Tracks the threads that ran certain jobs: each such job leaves a clone
/// of an `Arc` in a thread-local of its thread, which is dropped only when
/// that thread ends. `JoinHandle::join` waits for thread-local destructors,
/// so once a pool has joined its workers, no clone is left.
#[derive(Clone, Default)]
pub struct Liveness(Arc<()>);

impl Liveness {
    /// Called from a job: marks the job's thread as one to watch.
    pub fn mark_this_thread(&self) {
        let token = Arc::clone(&self.0);
        TOKEN.with(|slot| *slot.borrow_mut() = Some(token));
    }

    /// How many of the marked threads have not ended yet.
    pub fn alive(&self) -> usize {
        Arc::strong_count(&self.0) - 1
    }
}

/// The text of a panic payload, if it is text.
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Fails a test that a starter's `todo!()` would otherwise pass.
pub fn assert_not_todo(payload: &(dyn Any + Send), what: &str) {
    let text = panic_text(payload);
    assert!(
        !text.contains("not yet implemented"),
        "{what} panicked with a todo!(): {text}"
    );
}

/// What a test says when a job's channel closed before the job reported.
pub const LOST: &str = "a job was dropped without running: every job given to execute \
                        must run exactly once (book: 7.3 A thread pool)";

// ---------------------------------------------------------------------
// Checks that every stage of the pool must pass. Each test module calls
// them with its own `ThreadPool`, inside the watchdog. They return the pool,
// still running: the tests of stages 2 and 3 check dropping separately.

/// 60 jobs on 3 workers all run, once each, on the pool's threads.
pub fn runs_every_job_on_the_workers<P: Pool>() -> P {
    let caller = thread::current().id();
    let pool = P::with_workers(3);
    let (tx, rx) = mpsc::channel();
    for i in 0..60 {
        let tx = tx.clone();
        pool.run(move || tx.send((i, thread::current().id())).unwrap());
    }
    drop(tx);
    let mut seen = vec![0; 60];
    let mut threads = HashSet::new();
    for _ in 0..60 {
        let (i, id) = rx.recv().expect(LOST);
        seen[i] += 1;
        threads.insert(id);
    }
    assert!(
        seen.iter().all(|&n| n == 1),
        "every job must run exactly once; runs per job: {seen:?} \
         (book: 7.3 A thread pool)"
    );
    assert!(
        !threads.contains(&caller),
        "a job ran on the thread that called execute: execute must only send \
         the job to the workers (book: 7.3 A thread pool)"
    );
    assert!(
        threads.len() <= 3,
        "60 jobs ran on {} different threads, but the pool has 3 workers: start \
         the workers once, in new, and let them take job after job \
         (book: 7.3 A thread pool)",
        threads.len()
    );
    pool
}

/// A pool of `n` workers runs `n` jobs at once: here each of them waits
/// until all `n` have started.
pub fn runs_n_jobs_at_once<P: Pool>() -> P {
    let n = 4;
    let caller = thread::current().id();
    let pool = P::with_workers(n);
    let meeting = Arc::new(Barrier::new(n));
    let (tx, rx) = mpsc::channel();
    for _ in 0..n {
        let meeting = Arc::clone(&meeting);
        let tx = tx.clone();
        pool.run(move || {
            meeting.wait();
            tx.send(thread::current().id()).unwrap();
        });
    }
    drop(tx);
    let ids: HashSet<ThreadId> = (0..n).map(|_| rx.recv().expect(LOST)).collect();
    assert_eq!(ids.len(), n, "{n} jobs that ran at once ran on {n} threads");
    assert!(!ids.contains(&caller), "the jobs must run on the workers");
    pool
}

/// While one worker is stuck in a long job, the others take every other
/// job: jobs go to whichever worker is free, not to a fixed worker.
pub fn idle_workers_take_the_next_jobs<P: Pool>() -> P {
    let pool = P::with_workers(2);
    let gate = Gate::default();
    let (started_tx, started_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    {
        let gate = gate.clone();
        let done_tx = done_tx.clone();
        pool.run(move || {
            started_tx.send(()).unwrap();
            gate.wait();
            done_tx.send(usize::MAX).unwrap();
        });
    }
    started_rx.recv().expect(LOST);
    for i in 0..10 {
        let done_tx = done_tx.clone();
        pool.run(move || done_tx.send(i).unwrap());
    }
    let mut done: Vec<usize> = (0..10).map(|_| done_rx.recv().expect(LOST)).collect();
    done.sort();
    assert_eq!(
        done,
        (0..10).collect::<Vec<_>>(),
        "the 10 short jobs ran while the long job held the other worker"
    );
    gate.open();
    assert_eq!(
        done_rx.recv().expect(LOST),
        usize::MAX,
        "the long job finished"
    );
    pool
}

/// A pool of 2 never runs more than 2 jobs at once, and uses 2 threads.
pub fn never_more_than_n_jobs_at_once<P: Pool>() -> P {
    let n = 2;
    let pool = P::with_workers(n);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    for _ in 0..200 {
        let (in_flight, most, tx) = (Arc::clone(&in_flight), Arc::clone(&most), tx.clone());
        pool.run(move || {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            // Stay "in flight" a little, so that jobs overlap if they can.
            for _ in 0..20 {
                thread::yield_now();
            }
            in_flight.fetch_sub(1, Ordering::SeqCst);
            tx.send(thread::current().id()).unwrap();
        });
    }
    drop(tx);
    let threads: HashSet<ThreadId> = (0..200).map(|_| rx.recv().expect(LOST)).collect();
    let most = most.load(Ordering::SeqCst);
    assert!(
        most <= n,
        "{most} jobs ran at the same time on a pool of {n} workers: the pool must \
         start exactly n worker threads, and nothing else may run jobs \
         (book: 7.3 A thread pool)"
    );
    assert!(
        threads.len() <= n,
        "200 jobs ran on {} different threads on a pool of {n} workers: start \
         the workers once, in new, and let each take job after job \
         (book: 7.3 A thread pool)",
        threads.len()
    );
    pool
}

/// With every worker busy, a new job waits in the queue: it must not start
/// until a worker is free.
pub fn a_job_waits_for_a_free_worker<P: Pool>() -> P {
    let n = 2;
    let pool = P::with_workers(n);
    let gate = Gate::default();
    let (started_tx, started_rx) = mpsc::channel();
    for i in 0..=n {
        let (gate, started_tx) = (gate.clone(), started_tx.clone());
        pool.run(move || {
            started_tx.send(i).unwrap();
            gate.wait();
        });
    }
    let mut first: Vec<usize> = (0..n).map(|_| started_rx.recv().expect(LOST)).collect();
    let early = started_rx.recv_timeout(GRACE);
    // Let the jobs go, whatever happened, so that the pool can be dropped.
    gate.open();
    assert!(
        early.is_err(),
        "{} jobs ran at the same time on a pool of {n} workers: a job must wait \
         in the channel until a worker is free. Does new start exactly n \
         workers, and does execute only send? (book: 7.3 A thread pool)",
        n + 1
    );
    first.push(started_rx.recv().expect(LOST));
    first.sort();
    assert_eq!(
        first,
        [0, 1, 2],
        "once a worker was free, the third job ran"
    );
    pool
}

/// Several threads give jobs to one pool at the same time, through `&pool`.
pub fn jobs_can_come_from_several_threads<P: Pool>() -> P {
    let pool = P::with_workers(2);
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for t in 0..4 {
            let (pool, tx) = (&pool, tx.clone());
            s.spawn(move || {
                for i in 0..25 {
                    let tx = tx.clone();
                    pool.run(move || tx.send(t * 25 + i).unwrap());
                }
            });
        }
    });
    drop(tx);
    let mut done: Vec<usize> = (0..100).map(|_| rx.recv().expect(LOST)).collect();
    done.sort();
    assert_eq!(
        done,
        (0..100).collect::<Vec<_>>(),
        "every job given by any thread runs once (book: 7.3 A thread pool)"
    );
    pool
}

/// Workers that found the queue empty wait for the next job: they do not
/// stop. Here the workers are idle for a while before the jobs come.
pub fn workers_wait_for_jobs_that_come_later<P: Pool>() -> P {
    let caller = thread::current().id();
    let pool = P::with_workers(2);
    // Not synchronisation: a pause long enough for the workers to start,
    // find the queue empty, and, if they stop on an empty queue (try_recv),
    // to stop. Right answers pass anyway.
    thread::sleep(GRACE);
    let (tx, rx) = mpsc::channel();
    for i in 0..6 {
        let tx = tx.clone();
        let sent = panic::catch_unwind(AssertUnwindSafe(|| {
            pool.run(move || tx.send((i, thread::current().id())).unwrap())
        }));
        assert!(
            sent.is_ok(),
            "execute failed after the workers had been idle for {GRACE:?}: a worker \
             must wait in recv for the next job, not stop when the queue is empty \
             (book: 7.3 A thread pool)"
        );
    }
    drop(tx);
    for _ in 0..6 {
        let (_, id) = rx.recv().expect(
            "a job given after the workers had been idle never ran: a worker must \
             wait in recv for the next job, not stop when the queue is empty \
             (book: 7.3 A thread pool)",
        );
        assert_ne!(id, caller, "the jobs must run on the workers");
    }
    pool
}

// ---------------------------------------------------------------------
// Checks for stages 2 and 3: shutting down when the pool is dropped.

/// Dropping the pool runs every job already given, exactly once, before
/// `drop` returns.
pub fn drop_runs_every_queued_job_exactly_once<P: Pool>() {
    let pool = P::with_workers(2);
    let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..500).map(|_| AtomicUsize::new(0)).collect());
    for i in 0..500 {
        let runs = Arc::clone(&runs);
        pool.run(move || {
            runs[i].fetch_add(1, Ordering::SeqCst);
        });
    }
    drop(pool);
    let counts: Vec<usize> = runs.iter().map(|r| r.load(Ordering::SeqCst)).collect();
    let missing = counts.iter().filter(|&&n| n == 0).count();
    assert_eq!(
        missing, 0,
        "{missing} of 500 jobs had not run when drop returned: drop must close the \
         channel and then join every worker, so that the workers finish the \
         queue first (book: 7.4 Shutting down, and surviving a panic)"
    );
    assert!(
        counts.iter().all(|&n| n == 1),
        "every job must run exactly once (book: 7.4 Shutting down, and surviving a panic)"
    );
}

/// `drop` waits for the job that is running and for those still queued
/// behind it, and for the worker thread to end. Here the running job gives
/// `drop` time to return early: if it does, the job notices.
pub fn drop_waits_for_running_and_queued_jobs<P: Pool>() {
    let pool = P::with_workers(1);
    let liveness = Liveness::default();
    let (returned_tx, returned_rx) = mpsc::channel::<()>();
    let first_saw_drop_return = Arc::new(Mutex::new(None));
    let (started_tx, started) = mpsc::channel();
    {
        let (liveness, seen) = (liveness.clone(), Arc::clone(&first_saw_drop_return));
        pool.run(move || {
            liveness.mark_this_thread();
            started_tx.send(()).unwrap();
            let early = returned_rx.recv_timeout(GRACE).is_ok();
            *seen.lock().unwrap() = Some(early);
        });
    }
    let queued = Arc::new(AtomicUsize::new(0));
    for _ in 0..20 {
        let queued = Arc::clone(&queued);
        pool.run(move || {
            queued.fetch_add(1, Ordering::SeqCst);
        });
    }
    // The first job is running (not just queued) when the pool is dropped.
    started.recv().expect(LOST);
    drop(pool);
    let _ = returned_tx.send(());
    let first = *first_saw_drop_return.lock().unwrap();
    assert_eq!(
        first,
        Some(false),
        "drop returned while a job was still running (None: it had not finished; \
         Some(true): it finished after drop returned). drop must join every \
         worker (book: 7.4 Shutting down, and surviving a panic)"
    );
    assert_eq!(
        queued.load(Ordering::SeqCst),
        20,
        "the 20 jobs queued behind a running job must all run before drop returns: \
         close the channel, let the workers empty it, then join them; do not stop \
         the workers with a flag (book: 7.4 Shutting down, and surviving a panic)"
    );
    assert_eq!(
        liveness.alive(),
        0,
        "the worker thread was still alive after drop returned: join it \
         (book: 7.4 Shutting down, and surviving a panic)"
    );
}

/// Dropping a pool whose workers are all waiting for jobs ends every one
/// of them.
pub fn dropping_an_idle_pool_ends_every_worker<P: Pool>() {
    let n = 3;
    let pool = P::with_workers(n);
    let liveness = Liveness::default();
    let meeting = Arc::new(Barrier::new(n));
    let (tx, rx) = mpsc::channel();
    for _ in 0..n {
        let (liveness, meeting, tx) = (liveness.clone(), Arc::clone(&meeting), tx.clone());
        pool.run(move || {
            liveness.mark_this_thread();
            meeting.wait();
            tx.send(()).unwrap();
        });
    }
    for _ in 0..n {
        rx.recv().expect(LOST);
    }
    drop(pool);
    assert_eq!(
        liveness.alive(),
        0,
        "worker threads were still alive after drop returned: drop must join \
         every worker (book: 7.4 Shutting down, and surviving a panic)"
    );
}
