//! Helpers shared by Chapter 7's tests: a gate that jobs wait at, a record
//! of which threads have ended, a way for a test to say what it is waiting
//! for (so that a hang is reported with what the test saw), and the checks
//! that every stage of the thread pool must pass.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashSet;
use std::mem::ManuallyDrop;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Barrier, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// How long a test waits for something that must *not* happen (a job that
/// starts although every worker is busy, a `drop` that returns while a job
/// still runs, a worker that ends while the pool is alive) before it
/// concludes that it does not. A right answer always passes, after this
/// pause; a wrong one shows itself in microseconds, so the pause only needs
/// to cover a scheduling hiccup.
pub const GRACE: Duration = Duration::from_millis(100);

/// How long a job runs on after drop has started, in the test that drop
/// waits for it: longer than any grace period a drop that gives up might
/// allow itself, and short enough for a test.
const HOLD: Duration = Duration::from_millis(400);

const POOL: &str = "book: 7.3 A thread pool";
const SHUTDOWN: &str = "book: 7.4 Shutting down, and surviving a panic";

/// The pools of all three stages, as the shared checks below use them.
pub trait Pool: Send + Sync + Sized + 'static {
    fn with_workers(n: usize) -> Self;
    /// `execute`.
    fn execute_job(&self, job: impl FnOnce() + Send + 'static);

    /// `execute`, explaining a panic of `execute` itself.
    fn run(&self, job: impl FnOnce() + Send + 'static) {
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| self.execute_job(job))) {
            let text = panic_text(&*payload);
            panic!(
                "execute panicked: \"{text}\". A send fails (SendError) once the channel's \
                 Receiver is gone, that is, once every worker has ended, although the pool is \
                 alive. A worker must loop, waiting in recv for the next job, and return only \
                 when recv returns Err: try_recv's Err(TryRecvError::Empty) and recv_timeout's \
                 Err(Timeout) do not mean that the channel is closed ({POOL})"
            );
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------
// What a hung test reports.

type Describe = Box<dyn Fn() -> String + Send + Sync>;
type Slot = Arc<Mutex<Option<Describe>>>;

/// What each running test is waiting for, by test name (the watchdog runs
/// a test's body on a thread named after the test).
static WAITING: Mutex<Vec<(String, Slot)>> = Mutex::new(Vec::new());

fn test_name() -> String {
    thread::current().name().unwrap_or_default().to_owned()
}

/// Says what the test is waiting for from now on. If it hangs, the
/// watchdog reports what `describe` returns at that moment. Call it from
/// the test's body; `describe` must not block (read atomics, `try_lock`).
pub fn waiting_for(describe: impl Fn() -> String + Send + Sync + 'static) {
    let name = test_name();
    let mut waiting = lock(&WAITING);
    let describe: Describe = Box::new(describe);
    match waiting.iter().find(|(n, _)| *n == name) {
        Some((_, slot)) => *lock(slot) = Some(describe),
        None => waiting.push((name, Arc::new(Mutex::new(Some(describe))))),
    }
}

/// For `watchdog_diagnosed`: what the test said it was waiting for when it
/// hung (see [`waiting_for`]), or `fallback` if it said nothing.
pub fn diagnosis(fallback: &'static str) -> impl FnOnce() -> String + Send + 'static {
    move || {
        let name = test_name();
        let slot = WAITING.try_lock().ok().and_then(|waiting| {
            waiting
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, slot)| Arc::clone(slot))
        });
        slot.and_then(|slot| {
            let describe = slot.try_lock().ok()?;
            describe.as_ref().map(|d| d())
        })
        .unwrap_or_else(|| fallback.to_owned())
    }
}

// ---------------------------------------------------------------------
// Gates, and threads that end.

/// A gate that jobs wait at until the test opens it.
#[derive(Clone, Default)]
pub struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    pub fn wait(&self) {
        let (open, opened) = &*self.0;
        drop(
            opened
                .wait_while(lock(open), |open| !*open)
                .unwrap_or_else(PoisonError::into_inner),
        );
    }

    /// Waits at most `limit`; whether the gate was open by then.
    pub fn wait_at_most(&self, limit: Duration) -> bool {
        let (open, opened) = &*self.0;
        let (open, _) = opened
            .wait_timeout_while(lock(open), limit, |open| !*open)
            .unwrap_or_else(PoisonError::into_inner);
        *open
    }

    pub fn open(&self) {
        let (open, opened) = &*self.0;
        *lock(open) = true;
        opened.notify_all();
    }

    pub fn is_open(&self) -> bool {
        self.0.0.try_lock().is_ok_and(|open| *open)
    }
}

#[derive(Default)]
struct ExitState {
    watched: Vec<ThreadId>,
    ended: HashSet<ThreadId>,
}

/// The threads that ran certain jobs (each such job calls
/// [`Exits::watch`]), and which of them have ended. A thread counts as
/// ended once its thread-local values have been dropped, which is the last
/// thing it does: `JoinHandle::join` waits for that.
#[derive(Clone, Default)]
pub struct Exits(Arc<(Mutex<ExitState>, Condvar)>);

/// Dropped when its thread ends: reports the end to every `Exits` that
/// watches the thread.
struct ExitReporter(Vec<(ThreadId, Exits, Option<Gate>)>);

impl Drop for ExitReporter {
    fn drop(&mut self) {
        for (id, exits, hold) in &self.0 {
            // A held thread waits at its very end until the test lets it go.
            if let Some(gate) = hold {
                gate.wait();
            }
            let (state, changed) = &*exits.0;
            lock(state).ended.insert(*id);
            changed.notify_all();
        }
    }
}

thread_local! {
    static REPORTER: RefCell<ExitReporter> = const { RefCell::new(ExitReporter(Vec::new())) };
}

impl Exits {
    /// Called from a job: watches the job's thread.
    pub fn watch(&self) {
        self.watch_with(None);
    }

    /// Like `watch`, and holds the thread at its very end (after its
    /// closure has returned, while its thread-local values are dropped)
    /// until `gate` opens. `join` waits for that.
    pub fn watch_held(&self, gate: &Gate) {
        self.watch_with(Some(gate.clone()));
    }

    fn watch_with(&self, hold: Option<Gate>) {
        let me = thread::current().id();
        let mut state = lock(&self.0.0);
        if state.watched.contains(&me) {
            return;
        }
        state.watched.push(me);
        drop(state);
        REPORTER.with_borrow_mut(|r| r.0.push((me, self.clone(), hold)));
    }

    /// (watched, ended), without blocking: for a diagnosis.
    pub fn try_counts(&self) -> Option<(usize, usize)> {
        let state = self.0.0.try_lock().ok()?;
        Some((state.watched.len(), state.ended.len()))
    }

    pub fn ended(&self) -> usize {
        lock(&self.0.0).ended.len()
    }

    pub fn has_ended(&self, id: ThreadId) -> bool {
        lock(&self.0.0).ended.contains(&id)
    }

    /// Waits until the thread `id` has ended.
    pub fn wait_for_end(&self, id: ThreadId) {
        let (state, changed) = &*self.0;
        drop(
            changed
                .wait_while(lock(state), |s| !s.ended.contains(&id))
                .unwrap_or_else(PoisonError::into_inner),
        );
    }

    /// Waits at most `limit` for any watched thread to end; the first one
    /// that has, if any.
    pub fn any_end_within(&self, limit: Duration) -> Option<ThreadId> {
        let (state, changed) = &*self.0;
        let (state, _) = changed
            .wait_timeout_while(lock(state), limit, |s| s.ended.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        state.ended.iter().next().copied()
    }
}

/// The order in which threads were created: `ThreadId`s are handed out
/// from a counter as threads are spawned, and their `Debug` form shows it.
pub fn creation_number(id: ThreadId) -> u64 {
    let text = format!("{id:?}");
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
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

/// The message of the jobs that panic on purpose.
pub fn deliberate(what: &str) -> String {
    format!("{what} panics on purpose: a deliberate panic of this test, not a failure")
}

// ---------------------------------------------------------------------
// Checks that every stage of the pool must pass. Each test module calls
// them with its own `ThreadPool`, inside the watchdog. Those that are not
// about dropping the pool never drop it (`ManuallyDrop`): a `drop` that
// hangs fails only the tests about dropping.

/// Why jobs stopped running: what the test saw.
fn jobs_stuck(ran: usize, total: usize, exits: &Exits, n: usize) -> String {
    let (threads, ended) = exits.try_counts().unwrap_or((0, 0));
    if ended > 0 {
        format!(
            "{ran} of {total} jobs ran, on {threads} threads; {ended} of those threads have \
             ended although the pool is alive, and the rest of the jobs wait for a worker. A \
             worker must loop, taking job after job, until recv returns Err: try_recv's \
             Err(Empty) and recv_timeout's Err(Timeout) do not mean that the channel is \
             closed ({POOL})."
        )
    } else if ran == 0 {
        format!(
            "none of {total} jobs ran on a pool of {n}. Do new's workers take jobs from the \
             Receiver of the channel that execute sends them to? ({POOL})"
        )
    } else {
        format!(
            "{ran} of {total} jobs ran, on {threads} threads, then no more. Do the workers \
             loop, taking job after job from one shared Receiver? ({POOL})"
        )
    }
}

/// 60 jobs on 3 workers all run, once each, on at most 3 threads of the
/// pool, never on the caller's.
pub fn every_job_runs_once_on_the_pools_threads<P: Pool>() {
    let caller = thread::current().id();
    let pool = ManuallyDrop::new(P::with_workers(3));
    let ran = Arc::new(AtomicUsize::new(0));
    let exits = Exits::default();
    {
        let (ran, exits) = (Arc::clone(&ran), exits.clone());
        waiting_for(move || jobs_stuck(ran.load(SeqCst), 60, &exits, 3));
    }
    let (tx, rx) = mpsc::channel();
    for i in 0..60 {
        let (tx, ran, exits) = (tx.clone(), Arc::clone(&ran), exits.clone());
        pool.run(move || {
            exits.watch();
            ran.fetch_add(1, SeqCst);
            let _ = tx.send((i, thread::current().id()));
        });
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
        "every job must run exactly once; runs per job: {seen:?} ({POOL})"
    );
    assert!(
        !threads.contains(&caller),
        "a job ran on the thread that called execute: execute must only send the job to \
         the workers ({POOL})"
    );
    assert!(
        threads.len() <= 3,
        "60 jobs ran on {} different threads, but the pool has 3 workers: start the \
         workers once, in new, and let them take job after job ({POOL})",
        threads.len()
    );
}

/// The pool sizes that [`starts_exactly_size_workers`] tries: from one
/// worker to more than any number an answer might have written in.
pub const SIZES: std::ops::RangeInclusive<usize> = 1..=6;

/// `new(n)` starts exactly `n` workers, for every `n` in [`SIZES`] (the
/// largest first): `n` jobs that each wait until all of them have started
/// do all start, and one more job, given while they wait, does not start
/// until one ends.
pub fn starts_exactly_size_workers<P: Pool>() {
    let caller = thread::current().id();
    let gate = Gate::default();
    let mut pools = Vec::new();
    let (extra_tx, extra_rx) = mpsc::channel();
    for n in SIZES.rev() {
        let pool = ManuallyDrop::new(P::with_workers(n));
        let started = Arc::new(AtomicUsize::new(0));
        let on_caller = Arc::new(AtomicBool::new(false));
        {
            let (started, on_caller) = (Arc::clone(&started), Arc::clone(&on_caller));
            waiting_for(move || {
                format!(
                    "new({n}): {}",
                    too_few_started(n, started.load(SeqCst), on_caller.load(SeqCst))
                )
            });
        }
        let (tx, rx) = mpsc::channel();
        for _ in 0..n {
            let (gate, started, on_caller, tx) = (
                gate.clone(),
                Arc::clone(&started),
                Arc::clone(&on_caller),
                tx.clone(),
            );
            pool.run(move || {
                let me = thread::current().id();
                on_caller.fetch_or(me == caller, SeqCst);
                started.fetch_add(1, SeqCst);
                let _ = tx.send(me);
                gate.wait();
            });
        }
        let ids: HashSet<ThreadId> = (0..n).map(|_| rx.recv().expect(LOST)).collect();
        assert_eq!(
            ids.len(),
            n,
            "{n} jobs running at once on new({n}) must run on {n} threads ({POOL})"
        );
        // Every worker is busy now: one more job must wait in the queue.
        let extra_tx = extra_tx.clone();
        pool.run(move || {
            let _ = extra_tx.send((n, thread::current().id()));
        });
        pools.push(pool);
    }
    let early = extra_rx.recv_timeout(GRACE);
    // Let the jobs go, whatever happened.
    gate.open();
    if let Ok((n, id)) = early {
        panic!(
            "new({n}) ran {} jobs at the same time: a job given while all {n} workers were \
             busy started at once{}. new must start exactly `size` workers, and execute only \
             queue the job ({POOL})",
            n + 1,
            if id == caller {
                ", on the thread that called execute"
            } else {
                ""
            }
        );
    }
    waiting_for(|| {
        format!(
            "the jobs given while every worker was busy never ran, although the workers \
             were free again: do the workers take job after job? ({POOL})"
        )
    });
    let extra: HashSet<usize> = SIZES.map(|_| extra_rx.recv().expect(LOST).0).collect();
    assert_eq!(extra.len(), SIZES.count(), "{LOST}");
}

/// Why only `started` of `n` jobs that wait for each other started on a
/// pool of `n`: what the test saw, and the causes that fit it.
pub fn too_few_started(n: usize, started: usize, on_caller: bool) -> String {
    if on_caller {
        return format!(
            "a job is running on the thread that called execute, so the test cannot go on: \
             execute must send the job to the workers and return, not run it ({POOL})."
        );
    }
    let idle = "a worker that finds the queue empty must wait in recv for the next job: \
                try_recv returns Err(TryRecvError::Empty) at once, and recv_timeout \
                Err(Timeout) after a while, and neither means that the channel is closed";
    if started == 0 {
        return format!(
            "on a pool of {n}, none of {n} jobs started. Either new started no worker; or \
             the workers do not take jobs from the Receiver of the channel that execute \
             sends them to; or they stopped before the jobs came: {idle} ({POOL})."
        );
    }
    let lock = "each worker must let go of the lock on the Receiver before it runs its \
                job: `while let Ok(job) = receiver.lock().unwrap().recv()`, and a `match` \
                on it, keep the guard until the end of the loop body or of the match, so \
                the workers run their jobs one at a time. Take the next job in a `let` \
                statement of its own, then run it";
    if started == 1 {
        format!(
            "on a pool of {n}, {n} jobs that each wait until all {n} have started never all \
             started: only 1 did. Either {lock}; or new started one worker instead of {n}; \
             or the other workers stopped before the jobs came: {idle}. (If exactly one job \
             runs at a time whatever the size, it is the lock.) ({POOL})"
        )
    } else {
        format!(
            "on a pool of {n}, {n} jobs that each wait until all {n} have started never all \
             started: only {started} did, so the pool has {started} workers, not {n}. new \
             must start `size` workers, not a fixed number. (Or some workers stopped \
             before the jobs came: {idle}. Or {lock}.) ({POOL})"
        )
    }
}

/// While one worker is stuck in a long job, the other takes every other
/// job: jobs go to whichever worker is free, not to a fixed worker.
pub fn idle_workers_take_the_next_jobs<P: Pool>() {
    let caller = thread::current().id();
    let pool = ManuallyDrop::new(P::with_workers(2));
    let gate = Gate::default();
    let (started_tx, started_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    let on_caller = Arc::new(AtomicBool::new(false));
    {
        let on_caller = Arc::clone(&on_caller);
        waiting_for(move || {
            if on_caller.load(SeqCst) {
                too_few_started(2, 0, true)
            } else {
                format!(
                    "the first job on a pool of 2 never started: do new's workers take jobs \
                     from the Receiver that execute sends them to, and wait in recv for them? \
                     ({POOL})"
                )
            }
        });
    }
    {
        let (gate, done_tx, on_caller) = (gate.clone(), done_tx.clone(), Arc::clone(&on_caller));
        pool.run(move || {
            on_caller.fetch_or(thread::current().id() == caller, SeqCst);
            let _ = started_tx.send(());
            gate.wait();
            let _ = done_tx.send(usize::MAX);
        });
    }
    started_rx.recv().expect(LOST);
    let ran: Arc<Mutex<Vec<usize>>> = Arc::default();
    {
        let ran = Arc::clone(&ran);
        waiting_for(move || {
            let ran = ran.try_lock().map(|r| r.clone()).unwrap_or_default();
            short_jobs_stuck(&ran)
        });
    }
    for i in 0..10 {
        let (done_tx, ran) = (done_tx.clone(), Arc::clone(&ran));
        pool.run(move || {
            lock(&ran).push(i);
            let _ = done_tx.send(i);
        });
    }
    let mut done: Vec<usize> = (0..10).map(|_| done_rx.recv().expect(LOST)).collect();
    gate.open();
    done.sort();
    assert_eq!(
        done,
        (0..10).collect::<Vec<_>>(),
        "the 10 short jobs ran while the long job held the other worker ({POOL})"
    );
    waiting_for(|| format!("the long job never finished after its gate opened ({POOL})"));
    assert_eq!(
        done_rx.recv().expect(LOST),
        usize::MAX,
        "the long job finished"
    );
}

fn short_jobs_stuck(ran: &[usize]) -> String {
    let every_other = !ran.is_empty()
        && ran.iter().all(|i| i % 2 == ran[0] % 2)
        && ran.len() == (0..10).filter(|i| i % 2 == ran[0] % 2).count();
    if every_other {
        format!(
            "while one worker was busy with a long job, the other ran only the short jobs \
             {ran:?}: every second one. The others wait behind the long job: execute deals \
             the jobs out to the workers in turn, so a job can wait for a busy worker while \
             another is free. All workers must take jobs from one shared Receiver ({POOL})."
        )
    } else if ran.is_empty() {
        format!(
            "while one worker was busy with a long job, none of 10 short jobs ran on the \
             other worker. Either the busy worker holds the lock on the Receiver while its \
             job runs, so the other cannot receive (take the next job in a `let` statement \
             of its own, then run it); or the jobs went to the busy worker (all workers \
             must take jobs from one shared Receiver); or the other worker had stopped when \
             it found the queue empty (it must wait in recv: try_recv's \
             Err(TryRecvError::Empty) does not mean that the channel is closed) ({POOL})."
        )
    } else {
        format!(
            "while one worker was busy with a long job, the other ran only the short jobs \
             {ran:?} of 0 to 9; the rest wait behind the long job. All workers must take \
             jobs from one shared Receiver, the first free one taking the next job ({POOL})."
        )
    }
}

/// A pool of 2 never runs more than 2 jobs at once, and uses 2 threads.
pub fn never_more_than_n_jobs_at_once<P: Pool>() {
    let n = 2;
    let caller = thread::current().id();
    let pool = ManuallyDrop::new(P::with_workers(n));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let exits = Exits::default();
    let ran = Arc::new(AtomicUsize::new(0));
    {
        let (ran, exits) = (Arc::clone(&ran), exits.clone());
        waiting_for(move || jobs_stuck(ran.load(SeqCst), 200, &exits, n));
    }
    let (tx, rx) = mpsc::channel();
    for _ in 0..200 {
        let (in_flight, most, tx) = (Arc::clone(&in_flight), Arc::clone(&most), tx.clone());
        let (ran, exits) = (Arc::clone(&ran), exits.clone());
        pool.run(move || {
            exits.watch();
            let now = in_flight.fetch_add(1, SeqCst) + 1;
            most.fetch_max(now, SeqCst);
            // Stay "in flight" a little, so that jobs overlap if they can.
            for _ in 0..20 {
                thread::yield_now();
            }
            in_flight.fetch_sub(1, SeqCst);
            ran.fetch_add(1, SeqCst);
            let _ = tx.send(thread::current().id());
        });
    }
    drop(tx);
    let threads: HashSet<ThreadId> = (0..200).map(|_| rx.recv().expect(LOST)).collect();
    let most = most.load(SeqCst);
    assert!(
        !threads.contains(&caller),
        "a job ran on the thread that called execute: execute must only queue the job \
         and return, even when every worker is busy ({POOL})"
    );
    assert!(
        most <= n,
        "{most} jobs ran at the same time on a pool of {n} workers, on {} different \
         threads: the pool must start exactly n worker threads, once, in new (not a \
         thread for each job), and nothing else may run jobs ({POOL})",
        threads.len()
    );
    assert!(
        threads.len() <= n,
        "200 jobs ran on {} different threads on a pool of {n} workers: start the workers \
         once, in new, and let each take job after job ({POOL})",
        threads.len()
    );
}

/// With every worker busy, `execute` still returns at once: it queues the
/// job. Here 1000 jobs, more than any other test gives at once, are queued
/// behind two busy workers, then all run.
pub fn execute_queues_without_waiting<P: Pool>() {
    let n = 2;
    let batch = 1000;
    let pool = ManuallyDrop::new(P::with_workers(n));
    let gate = Gate::default();
    let (started_tx, started_rx) = mpsc::channel();
    let started = Arc::new(AtomicUsize::new(0));
    let on_caller = Arc::new(AtomicBool::new(false));
    {
        let (started, on_caller) = (Arc::clone(&started), Arc::clone(&on_caller));
        waiting_for(move || too_few_started(n, started.load(SeqCst), on_caller.load(SeqCst)));
    }
    let caller = thread::current().id();
    for _ in 0..n {
        let (gate, started_tx, started, on_caller) = (
            gate.clone(),
            started_tx.clone(),
            Arc::clone(&started),
            Arc::clone(&on_caller),
        );
        pool.run(move || {
            on_caller.fetch_or(thread::current().id() == caller, SeqCst);
            started.fetch_add(1, SeqCst);
            let _ = started_tx.send(());
            gate.wait();
        });
    }
    for _ in 0..n {
        started_rx.recv().expect(LOST);
    }
    let queued = Arc::new(AtomicUsize::new(0));
    {
        let queued = Arc::clone(&queued);
        waiting_for(move || {
            format!(
                "execute did not return: it had queued {} of {batch} jobs while both \
                 workers were busy, then waited. execute must put the job in the queue and \
                 return at once, whether or not a worker is free: an mpsc::channel, not a \
                 sync_channel with room for a few jobs ({POOL}).",
                queued.load(SeqCst)
            )
        });
    }
    let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..batch).map(|_| AtomicUsize::new(0)).collect());
    let (done_tx, done_rx) = mpsc::channel();
    for i in 0..batch {
        let (runs, done_tx) = (Arc::clone(&runs), done_tx.clone());
        pool.run(move || {
            runs[i].fetch_add(1, SeqCst);
            let _ = done_tx.send(());
        });
        queued.fetch_add(1, SeqCst);
    }
    drop(done_tx);
    gate.open();
    {
        let runs = Arc::clone(&runs);
        waiting_for(move || {
            let ran = runs.iter().filter(|r| r.load(SeqCst) > 0).count();
            format!(
                "only {ran} of {batch} queued jobs ran once the workers were free again: do \
                 the workers take job after job? ({POOL})"
            )
        });
    }
    for _ in 0..batch {
        done_rx.recv().expect(LOST);
    }
    let counts: Vec<usize> = runs.iter().map(|r| r.load(SeqCst)).collect();
    assert!(
        counts.iter().all(|&c| c == 1),
        "each of {batch} queued jobs must run exactly once ({POOL})"
    );
}

/// Several threads give jobs to one pool at the same time, through `&pool`.
pub fn jobs_can_come_from_several_threads<P: Pool>() {
    let pool = ManuallyDrop::new(P::with_workers(2));
    let ran = Arc::new(AtomicUsize::new(0));
    let exits = Exits::default();
    {
        let (ran, exits) = (Arc::clone(&ran), exits.clone());
        waiting_for(move || jobs_stuck(ran.load(SeqCst), 100, &exits, 2));
    }
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for t in 0..4 {
            let (pool, tx, ran, exits) = (&pool, tx.clone(), &ran, &exits);
            s.spawn(move || {
                for i in 0..25 {
                    let (tx, ran, exits) = (tx.clone(), Arc::clone(ran), exits.clone());
                    pool.run(move || {
                        exits.watch();
                        ran.fetch_add(1, SeqCst);
                        let _ = tx.send(t * 25 + i);
                    });
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
        "every job given by any thread runs once ({POOL})"
    );
}

/// A worker that has run its job and found the queue empty waits for the
/// next job: its thread does not end while the pool is alive. The next
/// jobs then run on the same workers.
pub fn idle_workers_wait_for_the_next_job<P: Pool>() {
    let caller = thread::current().id();
    let pool = ManuallyDrop::new(P::with_workers(2));
    let exits = Exits::default();
    let workers: Vec<ThreadId> = mark_workers(&*pool, 2, &exits, false)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    // Both jobs have ended, and nothing is queued: each worker is looking
    // for its next job. None of them may end.
    if let Some(ended) = exits.any_end_within(GRACE) {
        panic!(
            "worker thread {ended:?} ended after its job, while the pool was alive and its \
             channel open: a worker must wait in recv for the next job. try_recv returns \
             Err(TryRecvError::Empty) as soon as the queue is empty, and recv_timeout \
             Err(Timeout) once it has waited a while: neither means that the channel is \
             closed, so the worker must not stop. (Or the job had a thread of its own, \
             started for it: the pool must start its n workers once, in new, and give \
             them jobs through the channel.) ({POOL})"
        );
    }
    waiting_for(|| {
        format!(
            "jobs given after the workers had been idle never ran: a worker must wait in \
             recv for the next job ({POOL})"
        )
    });
    let (tx, rx) = mpsc::channel();
    for i in 0..6 {
        let tx = tx.clone();
        let sent = panic::catch_unwind(AssertUnwindSafe(|| {
            pool.run(move || {
                let _ = tx.send((i, thread::current().id()));
            })
        }));
        assert!(
            sent.is_ok(),
            "execute failed after the workers had been idle: a worker must wait in recv for \
             the next job, not stop when the queue is empty ({POOL})"
        );
    }
    drop(tx);
    for _ in 0..6 {
        let (_, id) = rx.recv().expect(
            "a job given after the workers had been idle never ran: a worker must wait in \
             recv for the next job, not stop when the queue is empty (book: 7.3 A thread pool)",
        );
        assert_ne!(id, caller, "the jobs must run on the workers ({POOL})");
        assert!(
            workers.contains(&id),
            "a job given after the workers had been idle ran on a new thread: the pool's \
             workers must take the next jobs themselves ({POOL})"
        );
    }
}

/// `new(0)` panics, and not with a `todo!()`.
pub fn a_pool_needs_at_least_one_worker<P: Pool>() {
    let outcome = panic::catch_unwind(|| ManuallyDrop::new(P::with_workers(0)));
    let payload = outcome.err().expect(
        "ThreadPool::new(0) must panic: a pool without workers would never run a job \
         (book: 7.6.1 Jobs on n workers)",
    );
    assert_not_todo(&*payload, "ThreadPool::new(0)");
}

// ---------------------------------------------------------------------
// Checks for stages 2 and 3: shutting down when the pool is dropped.

/// Runs one job on each of the pool's `n` workers: the jobs wait for each
/// other, so each runs on a worker of its own. Each watches its thread;
/// with `hold`, each thread is also held at its very end until the test
/// opens the gate returned with it (see [`Exits::watch_held`]). Returns
/// the workers' thread ids and gates, in the order the threads were
/// created.
pub fn mark_workers<P: Pool>(
    pool: &P,
    n: usize,
    exits: &Exits,
    hold: bool,
) -> Vec<(ThreadId, Gate)> {
    let caller = thread::current().id();
    let meeting = Arc::new(Barrier::new(n));
    let arrived = Arc::new(AtomicUsize::new(0));
    let on_caller = Arc::new(AtomicBool::new(false));
    {
        let (arrived, on_caller) = (Arc::clone(&arrived), Arc::clone(&on_caller));
        waiting_for(move || too_few_started(n, arrived.load(SeqCst), on_caller.load(SeqCst)));
    }
    let (tx, rx) = mpsc::channel();
    for _ in 0..n {
        let (meeting, arrived, tx, exits, on_caller) = (
            Arc::clone(&meeting),
            Arc::clone(&arrived),
            tx.clone(),
            exits.clone(),
            Arc::clone(&on_caller),
        );
        pool.run(move || {
            on_caller.fetch_or(thread::current().id() == caller, SeqCst);
            let gate = Gate::default();
            if hold {
                exits.watch_held(&gate);
            } else {
                exits.watch();
            }
            arrived.fetch_add(1, SeqCst);
            meeting.wait();
            let _ = tx.send((thread::current().id(), gate));
        });
    }
    let mut marked: Vec<(ThreadId, Gate)> = (0..n).map(|_| rx.recv().expect(LOST)).collect();
    marked.sort_by_key(|(id, _)| creation_number(*id));
    marked
}

/// Drops the pool (on a thread of its own) while each of the `marked`
/// threads is held at its very end, then lets them end one by one, in
/// `order`, and checks that `drop` has not returned while any of them had
/// not ended yet: it must have joined them all.
pub fn drop_waits_for_the_held_threads<P: Pool>(
    pool: P,
    exits: &Exits,
    marked: Vec<(ThreadId, Gate)>,
    what: &str,
) {
    let n = marked.len();
    let (returned_tx, returned_rx) = mpsc::channel();
    thread::spawn(move || {
        drop(pool);
        let _ = returned_tx.send(());
    });
    {
        let exits = exits.clone();
        waiting_for(move || drop_stuck(&exits, n, None));
    }
    for (k, (id, gate)) in marked.iter().enumerate() {
        // All but the first k threads are still held: drop must not return.
        match returned_rx.recv_timeout(GRACE) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) => {
                let running: Vec<ThreadId> = marked[k..].iter().map(|(id, _)| *id).collect();
                // Let them go, whatever happened.
                marked.iter().for_each(|(_, gate)| gate.open());
                panic!(
                    "drop returned while {} of {n} {what} had not ended yet: {running:?} \
                     were still running (the test holds each thread at its very end, after \
                     its loop, until it lets it go; `join` waits for that). drop must join \
                     every worker: a count of workers that have left their loop, a flag, \
                     or joining only some of them is not enough ({SHUTDOWN})",
                    running.len()
                );
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the thread that dropped the pool panicked ({SHUTDOWN})")
            }
        }
        gate.open();
        exits.wait_for_end(*id);
    }
    returned_rx
        .recv()
        .expect("the thread that dropped the pool panicked");
}

/// What a test saw when `drop` did not return: which workers have ended,
/// and whether every job had run.
fn drop_stuck(exits: &Exits, n: usize, jobs: Option<(usize, usize)>) -> String {
    let (_, ended) = exits.try_counts().unwrap_or((n, 0));
    if let Some((ran, total)) = jobs
        && ran < total
    {
        return format!(
            "drop did not return, and only {ran} of {total} jobs have run; {ended} of {n} \
             worker threads have ended. drop must close the channel, then join the workers, \
             which run every queued job before recv returns Err ({SHUTDOWN})."
        );
    }
    if ended == 0 {
        format!(
            "drop did not return. Every job has run, and all {n} worker threads are alive \
             and idle: they wait in recv on a channel that is still open, because a Sender \
             is still alive. Either drop joins a worker before it drops the pool's Sender \
             (then drop waits for the workers and the workers wait for the Sender, for \
             ever); or the Sender lives on after `take`: `let _sender = \
             self.sender.take();` keeps it until drop returns, so write \
             `drop(self.sender.take());`. If your drop does drop the Sender before its first \
             join, look for a clone of it that something else keeps, such as a worker \
             ({SHUTDOWN})."
        )
    } else if ended < n {
        format!(
            "drop did not return. Every job has run; {ended} of {n} worker threads have \
             ended, and the others are alive and idle, waiting for a message that does not \
             come. If drop stops the workers with a message each, sent and joined in the \
             same loop, a message goes to whichever worker is free, not to the one that \
             drop joins next: that worker may already be gone, and the one drop waits for \
             never gets a message. Send every stop message first, then join every worker \
             (or simply close the channel) ({SHUTDOWN})."
        )
    } else {
        format!(
            "drop did not return, although all {n} worker threads have ended: after joining \
             them, does drop wait for something else, such as a count that never reaches \
             zero? ({SHUTDOWN})"
        )
    }
}

/// Dropping the pool runs every job already given, exactly once, before
/// `drop` returns, and every worker thread has ended by then.
pub fn drop_runs_every_queued_job_exactly_once<P: Pool>() {
    let n = 2;
    let pool = P::with_workers(n);
    let exits = Exits::default();
    mark_workers(&pool, n, &exits, false);
    let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..500).map(|_| AtomicUsize::new(0)).collect());
    for i in 0..500 {
        let runs = Arc::clone(&runs);
        pool.run(move || {
            runs[i].fetch_add(1, SeqCst);
        });
    }
    {
        let (runs, exits) = (Arc::clone(&runs), exits.clone());
        waiting_for(move || {
            let ran = runs.iter().filter(|r| r.load(SeqCst) > 0).count();
            drop_stuck(&exits, n, Some((ran, 500)))
        });
    }
    drop(pool);
    let counts: Vec<usize> = runs.iter().map(|r| r.load(SeqCst)).collect();
    let missing = counts.iter().filter(|&&n| n == 0).count();
    assert_eq!(
        missing, 0,
        "{missing} of 500 jobs had not run when drop returned: drop must close the \
         channel and then join every worker, so that the workers finish the \
         queue first ({SHUTDOWN})"
    );
    assert!(
        counts.iter().all(|&n| n == 1),
        "every job must run exactly once ({SHUTDOWN})"
    );
    assert_eq!(
        exits.ended(),
        n,
        "worker threads were still alive after drop returned: drop must join every \
         worker ({SHUTDOWN})"
    );
}

/// `drop` waits for the job that is running and for those still queued
/// behind it, and for the worker thread to end. Here the running job gives
/// `drop` time to return early: if it does, the job notices.
pub fn drop_waits_for_running_and_queued_jobs<P: Pool>() {
    let pool = P::with_workers(1);
    let exits = Exits::default();
    let returned = Gate::default();
    let dropping = Gate::default();
    let first_saw_drop_return = Arc::new(Mutex::new(None));
    let (started_tx, started) = mpsc::channel();
    {
        let (exits, seen, returned, dropping) = (
            exits.clone(),
            Arc::clone(&first_saw_drop_return),
            returned.clone(),
            dropping.clone(),
        );
        pool.run(move || {
            exits.watch();
            let _ = started_tx.send(());
            // The job runs on from the moment drop starts, for longer than
            // a drop that gives up after a while (a deadline, a few looks
            // at is_finished) would wait. A drop that joins waits it out.
            dropping.wait_at_most(Duration::from_secs(3600));
            let early = returned.wait_at_most(HOLD);
            *lock(&seen) = Some(early);
        });
    }
    let queued = Arc::new(AtomicUsize::new(0));
    for _ in 0..20 {
        let queued = Arc::clone(&queued);
        pool.run(move || {
            queued.fetch_add(1, SeqCst);
        });
    }
    waiting_for(|| format!("the only worker never started the first job ({SHUTDOWN})"));
    // The first job is running (not just queued) when the pool is dropped.
    started.recv().expect(LOST);
    {
        let (queued, exits) = (Arc::clone(&queued), exits.clone());
        waiting_for(move || drop_stuck(&exits, 1, Some((queued.load(SeqCst) + 1, 21))));
    }
    dropping.open();
    drop(pool);
    returned.open();
    let first = *lock(&first_saw_drop_return);
    assert_eq!(
        first,
        Some(false),
        "drop returned while a job was still running (None: it had not finished; \
         Some(true): it finished after drop returned). drop must join every \
         worker, and wait as long as the job runs: a drop that stops waiting \
         after a while (a deadline, a loop over is_finished) returns too early \
         for a long job ({SHUTDOWN})"
    );
    assert_eq!(
        queued.load(SeqCst),
        20,
        "the 20 jobs queued behind a running job must all run before drop returns: \
         close the channel, let the workers empty it, then join them; do not stop \
         the workers with a flag ({SHUTDOWN})"
    );
    assert_eq!(
        exits.ended(),
        1,
        "the worker thread was still alive after drop returned: join it ({SHUTDOWN})"
    );
}

/// Dropping a pool whose workers are all waiting for jobs ends every one
/// of them.
pub fn dropping_an_idle_pool_ends_every_worker<P: Pool>() {
    let n = 3;
    let pool = P::with_workers(n);
    let exits = Exits::default();
    mark_workers(&pool, n, &exits, false);
    {
        let exits = exits.clone();
        waiting_for(move || drop_stuck(&exits, n, None));
    }
    drop(pool);
    assert_eq!(
        exits.ended(),
        n,
        "worker threads were still alive after drop returned: drop must join \
         every worker ({SHUTDOWN})"
    );
}

/// `drop` returns only once every worker thread has ended, not merely
/// left its loop: here each worker is held at its very end until the test
/// lets it go, one after the other, and `drop` must not return while one
/// is still held. Once letting them go in the order they were created,
/// once in the other order.
pub fn drop_waits_until_every_thread_has_ended<P: Pool>() {
    for reverse in [false, true] {
        let n = 2;
        let pool = P::with_workers(n);
        let exits = Exits::default();
        let mut marked = mark_workers(&pool, n, &exits, true);
        if reverse {
            marked.reverse();
        }
        drop_waits_for_the_held_threads(pool, &exits, marked, "worker threads");
    }
}

/// Whichever worker finishes its job first, `drop` ends them all. Here
/// both workers are busy when the pool is dropped, and the test lets one
/// finish, waits until its thread has ended, then lets the other finish;
/// once in each order (by the threads' creation).
pub fn drop_ends_every_worker_whichever_finishes_first<P: Pool>() {
    for later_first in [true, false] {
        let pool = P::with_workers(2);
        let exits = Exits::default();
        let meeting = Arc::new(Barrier::new(2));
        let finished = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel();
        let arrived = Arc::new(AtomicUsize::new(0));
        {
            let arrived = Arc::clone(&arrived);
            waiting_for(move || too_few_started(2, arrived.load(SeqCst), false));
        }
        for _ in 0..2 {
            let (exits, meeting, finished, tx, arrived) = (
                exits.clone(),
                Arc::clone(&meeting),
                Arc::clone(&finished),
                tx.clone(),
                Arc::clone(&arrived),
            );
            pool.run(move || {
                exits.watch();
                arrived.fetch_add(1, SeqCst);
                meeting.wait();
                let gate = Gate::default();
                let _ = tx.send((thread::current().id(), gate.clone()));
                gate.wait();
                finished.fetch_add(1, SeqCst);
            });
        }
        let mut busy: Vec<(ThreadId, Gate)> = (0..2).map(|_| rx.recv().expect(LOST)).collect();
        busy.sort_by_key(|(id, _)| creation_number(*id));
        if later_first {
            busy.reverse();
        }
        let (returned_tx, returned_rx) = mpsc::channel();
        thread::spawn(move || {
            drop(pool);
            let _ = returned_tx.send(());
        });
        let (first, first_gate) = busy[0].clone();
        {
            let exits = exits.clone();
            waiting_for(move || drop_stuck(&exits, 2, None));
        }
        first_gate.open();
        exits.wait_for_end(first);
        busy[1].1.open();
        {
            let (exits, finished) = (exits.clone(), Arc::clone(&finished));
            waiting_for(move || drop_stuck(&exits, 2, Some((finished.load(SeqCst), 2))));
        }
        returned_rx
            .recv()
            .expect("the thread that dropped the pool panicked");
        assert_eq!(
            exits.ended(),
            2,
            "worker threads were still alive after drop returned: drop must join every \
             worker ({SHUTDOWN})"
        );
    }
}

/// A worker ends by returning, not by panicking, when the pool is dropped:
/// `recv` returning `Err` is the normal end of its loop.
pub fn every_worker_ends_without_panicking<P: Pool>() {
    test_support::record_panics();
    let n = 2;
    let pool = P::with_workers(n);
    let exits = Exits::default();
    let workers = mark_workers(&pool, n, &exits, false);
    {
        let exits = exits.clone();
        waiting_for(move || drop_stuck(&exits, n, None));
    }
    drop(pool);
    for (id, _) in workers {
        let panics = test_support::panics_on(id);
        assert!(
            panics.is_empty(),
            "a worker thread ended with a panic when the pool was dropped: {panics:?}. When \
             recv returns Err, the channel is closed and empty: that is the worker's normal \
             end, and it must return, not unwrap the Err ({SHUTDOWN})"
        );
    }
}

/// A job that panicked on a worker does not make dropping the pool panic.
/// (In stage 2, the panic ends the worker, and `join` returns `Err` for
/// it; a panic in `drop` while another panic unwinds would abort the
/// process.)
pub fn drop_does_not_panic_after_a_job_panicked<P: Pool>() {
    let n = 2;
    let pool = P::with_workers(n);
    let exits = Exits::default();
    mark_workers(&pool, n, &exits, false);
    let (started_tx, started_rx) = mpsc::channel();
    let message = deliberate("this job");
    pool.run(move || {
        let _ = started_tx.send(());
        panic!("{message}");
    });
    waiting_for(|| format!("a job never started on a pool of 2 ({SHUTDOWN})"));
    started_rx.recv().expect(LOST);
    {
        let exits = exits.clone();
        waiting_for(move || {
            let (_, ended) = exits.try_counts().unwrap_or((n, 0));
            format!(
                "drop did not return after a job had panicked on one of the {n} workers \
                 ({ended} of {n} worker threads have ended: in this stage, a job's panic \
                 ends its worker's thread). If drop waits for each worker to say that it has \
                 left its loop (a count, a message), the worker whose job panicked never \
                 says so: the panic took it out of its loop. Join the worker threads instead: \
                 `join` returns, with Err, for a thread that panicked. Otherwise: {}",
                drop_stuck(&exits, n, None)
            )
        });
    }
    let dropped = panic::catch_unwind(AssertUnwindSafe(move || drop(pool)));
    if let Err(payload) = dropped {
        panic!(
            "dropping the pool panicked after a job had panicked on one of its workers: \
             {:?}. join returns Err for a worker whose job panicked, and drop must not \
             unwrap it: do not panic in drop when join fails (a panic in drop while \
             another panic unwinds aborts the whole process). Ignore the Err: \
             `let _ = worker.join();` ({SHUTDOWN})",
            panic_text(&*payload)
        );
    }
}
