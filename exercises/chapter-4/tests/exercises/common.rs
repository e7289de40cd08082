//! Helpers shared by the chapter's tests.
//!
//! **Lock watching.** The bank and the dining philosophers' table report
//! every lock a thread waits for, takes, misses or lets go. [`Locks`] keeps
//! track of who holds what, keeps a log, and can hold threads back at a gate
//! so that the interleaving a wrong answer cannot survive happens on every
//! run:
//!
//! - [`Locks::gated`] holds each thread right after the *first* lock it
//!   takes, until every thread has either taken a first lock or is waiting
//!   for a lock another thread holds. That is the one interleaving where a
//!   bad lock order deadlocks, so a bad order deadlocks on every run, and a
//!   good one never does.
//! - [`Locks::gated_between`] holds each thread when, having let go of a
//!   lock, it asks for a lock again while it holds none, until every thread
//!   is there or has finished. A correct transfer never gets there (it takes
//!   its locks once); one that checks under one lock and acts under another
//!   is held between the two, and every other transfer checks in the gap.
//!
//! When a test hangs, [`Locks::diagnosis`] says what the observer saw: who
//! holds which lock and waits for which, whether the waiting closes a
//! circle, whether a thread waits for a lock it holds itself, and how many
//! threads never asked for a lock at all (they are blocked on something the
//! observer cannot see, or were never started).
//!
//! **Sharing with the diagnosis.** A watchdog's `diagnose` closure runs on
//! the test's thread, while the body runs on a thread of its own with the
//! same name. [`share`] publishes a value the body made (a lock observer,
//! progress counters) under that name, and [`shared`] finds it again from
//! the diagnosis, without waiting for any lock.
//!
//! **Blocked threads.** [`BlockedWatch`] tells whether a thread is asleep in
//! the kernel (blocked on a lock, say), so that a test can act only once
//! another thread is blocked, without sleeping for a guessed time.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// A lock event, in the words of both exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Waiting(usize),
    Holding(usize),
    Missed(usize),
    Released(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Has asked for this lock (waiting or missed) and holds none yet.
    Asked(usize),
    /// Has held a lock.
    HasHeld,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    None,
    FirstHold,
    BetweenPhases,
}

#[derive(Default)]
struct State {
    open: bool,
    held: HashMap<usize, ThreadId>,
    threads: HashMap<ThreadId, Status>,
    /// Threads in the order they first reported anything.
    order: Vec<ThreadId>,
    names: HashMap<ThreadId, String>,
    /// The lock a thread waits for right now (`Waiting` without `Holding`).
    waiting: HashMap<ThreadId, usize>,
    /// The lock a thread tried last and missed, if it has not got it since.
    missed: HashMap<ThreadId, usize>,
    /// How many times each thread missed a lock.
    misses: HashMap<ThreadId, usize>,
    released_once: HashSet<ThreadId>,
    at_gate: HashSet<ThreadId>,
    finished: HashSet<ThreadId>,
    log: Vec<(ThreadId, Step)>,
}

impl State {
    fn settled(&self, thread: ThreadId, status: Status) -> bool {
        match status {
            Status::HasHeld => true,
            Status::Asked(lock) => self.held.get(&lock).is_some_and(|&t| t != thread),
        }
    }

    fn all_settled(&self, participants: usize) -> bool {
        let settled = self
            .threads
            .iter()
            .filter(|&(&t, &s)| self.finished.contains(&t) || self.settled(t, s))
            .count();
        self.threads.len() >= participants && settled == self.threads.len()
    }

    fn all_between(&self, participants: usize) -> bool {
        self.at_gate.union(&self.finished).count() >= participants
    }

    fn name(&self, thread: ThreadId) -> String {
        self.names
            .get(&thread)
            .cloned()
            .unwrap_or_else(|| "a thread".to_owned())
    }

    fn holds(&self, thread: ThreadId) -> Vec<usize> {
        let mut locks: Vec<usize> = self
            .held
            .iter()
            .filter(|&(_, &t)| t == thread)
            .map(|(&l, _)| l)
            .collect();
        locks.sort_unstable();
        locks
    }

    /// The lock `thread` is stuck on: the one it waits for, or the one it
    /// keeps missing.
    fn wants(&self, thread: ThreadId) -> Option<usize> {
        self.waiting
            .get(&thread)
            .or_else(|| self.missed.get(&thread))
            .copied()
    }
}

/// Watches the locks of one bank or one table.
pub struct Locks {
    participants: usize,
    gate: Gate,
    state: Mutex<State>,
    changed: Condvar,
}

impl Locks {
    /// Keeps track and keeps a log; holds nobody back.
    pub fn watching() -> Arc<Locks> {
        Locks::new(0, Gate::None)
    }

    /// Like [`Locks::watching`], and holds each thread after its first lock
    /// until `participants` threads have all taken a first lock or wait for
    /// a lock that another thread holds (or have called
    /// [`Locks::finished`]).
    pub fn gated(participants: usize) -> Arc<Locks> {
        Locks::new(participants, Gate::FirstHold)
    }

    /// Like [`Locks::watching`], and holds each thread that asks for a lock
    /// while it holds none, after it has let go of one, until
    /// `participants` threads are held there or have called
    /// [`Locks::finished`]. A thread held there holds no lock, so the
    /// others can always get there or finish.
    pub fn gated_between(participants: usize) -> Arc<Locks> {
        Locks::new(participants, Gate::BetweenPhases)
    }

    /// A new observer, shared (see [`share`]) with the test's diagnosis.
    fn new(participants: usize, gate: Gate) -> Arc<Locks> {
        share(Locks {
            participants,
            gate,
            state: Mutex::new(State {
                open: participants == 0 || gate == Gate::None,
                ..State::default()
            }),
            changed: Condvar::new(),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait_for_gate<'a>(&self, mut state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        let me = thread::current().id();
        state.at_gate.insert(me);
        self.update_gate(&mut state);
        while !state.open {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.at_gate.remove(&me);
        state
    }

    fn update_gate(&self, state: &mut State) {
        if !state.open {
            state.open = match self.gate {
                Gate::None => true,
                Gate::FirstHold => state.all_settled(self.participants),
                Gate::BetweenPhases => state.all_between(self.participants),
            };
        }
        self.changed.notify_all();
    }

    /// Called by the bank or the table, on the thread that takes the lock.
    pub fn report(&self, step: Step) {
        let me = thread::current().id();
        let mut state = self.state();
        if !state.names.contains_key(&me) {
            state.order.push(me);
            let name = match thread::current().name() {
                Some(name) => format!("thread '{name}'"),
                None => format!("thread #{}", state.order.len()),
            };
            state.names.insert(me, name);
        }
        state.log.push((me, step));
        let mut first_hold = false;
        let holds_nothing = |state: &State| !state.held.values().any(|&t| t == me);
        let mut between = false;
        match step {
            Step::Waiting(lock) | Step::Missed(lock) => {
                if let Step::Waiting(_) = step {
                    state.waiting.insert(me, lock);
                    state.missed.remove(&me);
                } else {
                    state.missed.insert(me, lock);
                    *state.misses.entry(me).or_insert(0) += 1;
                }
                if state.threads.get(&me) != Some(&Status::HasHeld) {
                    state.threads.insert(me, Status::Asked(lock));
                }
                between = state.released_once.contains(&me) && holds_nothing(&state);
            }
            Step::Holding(lock) => {
                state.held.insert(lock, me);
                state.waiting.remove(&me);
                if state.missed.get(&me) == Some(&lock) {
                    state.missed.remove(&me);
                }
                first_hold = state.threads.insert(me, Status::HasHeld) != Some(Status::HasHeld);
            }
            Step::Released(lock) => {
                state.held.remove(&lock);
                state.released_once.insert(me);
            }
        }
        self.update_gate(&mut state);
        let hold_here = !state.open
            && match self.gate {
                Gate::None => false,
                Gate::FirstHold => first_hold,
                Gate::BetweenPhases => between,
            };
        if hold_here {
            drop(self.wait_for_gate(state));
        }
    }

    /// Called by a test thread whose work with the locks is done: it counts
    /// as settled at either gate.
    pub fn finished(&self) {
        let me = thread::current().id();
        let mut state = self.state();
        state.finished.insert(me);
        self.update_gate(&mut state);
    }

    /// The thread that holds `lock` right now, if any.
    pub fn holder(&self, lock: usize) -> Option<ThreadId> {
        self.state().held.get(&lock).copied()
    }

    /// How many steps have been reported so far.
    pub fn log_len(&self) -> usize {
        self.state().log.len()
    }

    /// Every step reported so far, with the thread that reported it.
    pub fn log(&self) -> Vec<(ThreadId, Step)> {
        self.state().log.clone()
    }

    /// What the observer sees right now, without waiting for its lock (for
    /// a watchdog's diagnosis). `what` names a lock: "account", "fork".
    pub fn diagnosis(&self, what: &str) -> Diagnosis {
        let Ok(state) = self.state.try_lock() else {
            return Diagnosis {
                seen: "(the lock observer was busy and could not be read)".to_owned(),
                ..Diagnosis::default()
            };
        };
        let mut lines = Vec::new();
        let mut self_wait = None;
        for &t in &state.order {
            let name = state.name(t);
            let holds = state.holds(t);
            let mut line = match holds.len() {
                0 => format!("{name} holds no {what}"),
                1 => format!("{name} holds {what} {}", holds[0]),
                _ => format!("{name} holds {what}s {}", list(&holds)),
            };
            match (state.waiting.get(&t), state.missed.get(&t)) {
                (Some(&lock), _) => {
                    line += &format!(" and waits for {what} {lock}");
                    match state.held.get(&lock) {
                        Some(&h) if h == t => {
                            line += ", which it holds itself";
                            self_wait = Some((name.clone(), lock));
                        }
                        Some(&h) => line += &format!(", which {} holds", state.name(h)),
                        None => line += ", which nobody holds",
                    }
                }
                (None, Some(&lock)) => {
                    let misses = state.misses.get(&t).copied().unwrap_or(0);
                    line += &format!(" and keeps trying {what} {lock} ({misses} misses so far)");
                    if let Some(&h) = state.held.get(&lock) {
                        line += &format!(", which {} holds", state.name(h));
                    }
                }
                (None, None) => {}
            }
            if state.at_gate.contains(&t) {
                line += " (the test holds it at its gate until the others get there)";
            }
            if state.finished.contains(&t) {
                line += " (done)";
            }
            lines.push(line);
        }
        // Follow "waits for a lock that X holds" from every thread.
        let mut circle = None;
        for &start in &state.order {
            let mut path = vec![start];
            let mut at = start;
            while let Some(lock) = state.wants(at) {
                let Some(&next) = state.held.get(&lock) else {
                    break;
                };
                if next == at {
                    break;
                }
                if let Some(i) = path.iter().position(|&p| p == next) {
                    circle = Some(path[i..].iter().map(|&p| state.name(p)).collect());
                    break;
                }
                path.push(next);
                at = next;
            }
            if circle.is_some() {
                break;
            }
        }
        let seen = if lines.is_empty() {
            format!("no thread asked for any {what}")
        } else {
            lines.join("; ")
        };
        Diagnosis {
            seen,
            circle,
            self_wait,
            silent: self.participants.saturating_sub(state.order.len()),
            participants: self.participants,
            reported: state.order.len(),
        }
    }
}

/// What [`Locks::diagnosis`] found.
#[derive(Default, Debug)]
pub struct Diagnosis {
    /// Every thread the observer knows, with what it holds and waits for.
    pub seen: String,
    /// The threads of a circle of waiting, if there is one: each waits for
    /// a lock the next one holds.
    pub circle: Option<Vec<String>>,
    /// A thread that waits for a lock it holds itself, and the lock.
    pub self_wait: Option<(String, usize)>,
    /// How many of the test's threads never asked for a lock.
    pub silent: usize,
    pub participants: usize,
    pub reported: usize,
}

/// The diagnosis of the lock observer the test's body made last (see
/// [`share`]), or a note that it made none.
pub fn lock_diagnosis(what: &str) -> Diagnosis {
    match shared::<Locks>() {
        Some(locks) => locks.diagnosis(what),
        None => Diagnosis {
            seen: format!("(the test had not started to watch the {what}s yet)"),
            ..Diagnosis::default()
        },
    }
}

type Shared = Vec<(String, Arc<dyn Any + Send + Sync>)>;

static SHARED: Mutex<Shared> = Mutex::new(Vec::new());

fn test_name() -> String {
    thread::current().name().unwrap_or("test body").to_owned()
}

/// Publishes `value` for the diagnosis of the test whose body runs on this
/// thread (the watchdog names the body's thread after the test), and
/// returns it. A later value of the same type replaces it.
pub fn share<T: Any + Send + Sync>(value: T) -> Arc<T> {
    let value = Arc::new(value);
    let name = test_name();
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    shared.retain(|(n, v)| !(*n == name && v.is::<T>()));
    shared.push((name, value.clone() as Arc<dyn Any + Send + Sync>));
    value
}

/// The value of type `T` that the body of this thread's test published
/// last with [`share`], if any. Does not wait for a lock held elsewhere for
/// long: it gives up after a few tries.
pub fn shared<T: Any + Send + Sync>() -> Option<Arc<T>> {
    let name = test_name();
    for _ in 0..1_000 {
        if let Ok(shared) = SHARED.try_lock() {
            return shared
                .iter()
                .rev()
                .find(|(n, v)| *n == name && v.is::<T>())
                .and_then(|(_, v)| Arc::clone(v).downcast::<T>().ok());
        }
        thread::yield_now();
    }
    None
}

fn list(locks: &[usize]) -> String {
    let words: Vec<String> = locks.iter().map(usize::to_string).collect();
    match words.len() {
        0 => String::new(),
        1 => words[0].clone(),
        n => format!("{} and {}", words[..n - 1].join(", "), words[n - 1]),
    }
}

/// The largest set of locks that `thread` held at the same time during
/// `steps`.
pub fn most_held_at_once(steps: &[(ThreadId, Step)], thread: ThreadId) -> Vec<usize> {
    let mut held: Vec<usize> = Vec::new();
    let mut most = Vec::new();
    for &(t, step) in steps {
        if t != thread {
            continue;
        }
        match step {
            Step::Holding(lock) => held.push(lock),
            Step::Released(lock) => held.retain(|&l| l != lock),
            Step::Waiting(_) | Step::Missed(_) => {}
        }
        if held.len() > most.len() {
            most = held.clone();
        }
    }
    most.sort_unstable();
    most
}

/// Whether a thread is blocked: asleep in the kernel, as a thread is while
/// it waits for a lock that another thread holds. Linux shows it in
/// `/proc`; elsewhere [`BlockedWatch::wait_until_blocked`] falls back to
/// letting the other thread run for a while.
#[derive(Clone)]
pub struct BlockedWatch {
    stat: Option<String>,
}

impl BlockedWatch {
    /// Watches the calling thread. Send it to the thread that waits.
    pub fn current() -> BlockedWatch {
        let stat = std::fs::read_link("/proc/thread-self")
            .ok()
            .map(|task| format!("/proc/{}/stat", task.display()))
            .filter(|path| std::fs::metadata(path).is_ok());
        BlockedWatch { stat }
    }

    fn asleep(&self) -> Option<bool> {
        let text = std::fs::read_to_string(self.stat.as_ref()?).ok()?;
        // `pid (name) S ...`: the state follows the last `)`.
        let state = text.rsplit_once(')')?.1.trim_start().chars().next()?;
        Some(state == 'S')
    }

    /// Waits until the watched thread is asleep (blocked) or `done()` is
    /// true, and returns `done()` as it is then. Where sleep cannot be
    /// seen, or when neither has happened within `limit` (a thread that
    /// spins instead of blocking), it lets other threads run for a while
    /// first.
    pub fn wait_until_blocked_unless(
        &self,
        limit: Duration,
        mut done: impl FnMut() -> bool,
    ) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if done() {
                return true;
            }
            match self.asleep() {
                Some(true) => return done(),
                Some(false) => thread::yield_now(),
                None => break,
            }
        }
        while start.elapsed() < limit.min(Duration::from_millis(50)) {
            if done() {
                return true;
            }
            thread::yield_now();
        }
        done()
    }

    /// Waits until the watched thread is asleep (blocked), and returns
    /// true; or, where that cannot be seen, or when it has not happened
    /// within `limit`, returns false, having let other threads run for a
    /// while.
    pub fn wait_until_blocked(&self, limit: Duration) -> bool {
        let mut blocked = false;
        self.wait_until_blocked_unless(limit, || {
            blocked = blocked || self.asleep() == Some(true);
            blocked
        });
        blocked
    }
}
