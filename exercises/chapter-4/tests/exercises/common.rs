//! A lock watcher shared by the bank and the dining philosophers' tests.
//!
//! The bank and the table report every lock a thread waits for, takes, misses
//! or lets go. [`Locks`] keeps track of who holds what, keeps a log, and, when
//! built with [`Locks::gated`], holds each thread right after the *first* lock
//! it takes, until every thread has either taken a first lock or is waiting
//! for a lock another thread holds. At that moment all the threads move on
//! together. That is the one interleaving where a bad lock order deadlocks,
//! so a bad order deadlocks on every run, and a good one never does.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};

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

#[derive(Default)]
struct State {
    open: bool,
    held: HashMap<usize, ThreadId>,
    threads: HashMap<ThreadId, Status>,
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
        self.threads.len() >= participants && self.threads.iter().all(|(&t, &s)| self.settled(t, s))
    }
}

/// Watches the locks of one bank or one table.
pub struct Locks {
    participants: usize,
    state: Mutex<State>,
    changed: Condvar,
}

impl Locks {
    /// Keeps track and keeps a log; holds nobody back.
    pub fn watching() -> Locks {
        Locks::gated(0)
    }

    /// Like [`Locks::watching`], and holds each thread after its first lock
    /// until `participants` threads have all taken a first lock or wait for
    /// a lock that another thread holds.
    pub fn gated(participants: usize) -> Locks {
        Locks {
            participants,
            state: Mutex::new(State {
                open: participants == 0,
                ..State::default()
            }),
            changed: Condvar::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Called by the bank or the table, on the thread that takes the lock.
    pub fn report(&self, step: Step) {
        let me = thread::current().id();
        let mut state = self.state();
        state.log.push((me, step));
        let mut first_hold = false;
        match step {
            Step::Waiting(lock) | Step::Missed(lock) => {
                if state.threads.get(&me) != Some(&Status::HasHeld) {
                    state.threads.insert(me, Status::Asked(lock));
                }
            }
            Step::Holding(lock) => {
                state.held.insert(lock, me);
                first_hold = state.threads.insert(me, Status::HasHeld) != Some(Status::HasHeld);
            }
            Step::Released(lock) => {
                state.held.remove(&lock);
            }
        }
        if !state.open && state.all_settled(self.participants) {
            state.open = true;
        }
        self.changed.notify_all();
        if first_hold {
            while !state.open {
                state = self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }

    /// The thread that holds `lock` right now, if any.
    pub fn holder(&self, lock: usize) -> Option<ThreadId> {
        self.state().held.get(&lock).copied()
    }

    /// Every step reported so far, with the thread that reported it.
    pub fn log(&self) -> Vec<(ThreadId, Step)> {
        self.state().log.clone()
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
