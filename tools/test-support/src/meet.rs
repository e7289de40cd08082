//! Meeting points and words for panics, shared by several chapters' tests.

use std::any::Any;
use std::sync::{Arc, Condvar, Mutex, PoisonError, TryLockError};
use std::thread::{self, ThreadId};

/// A thread that came to a [`Meeting`].
#[derive(Clone, Debug)]
pub struct Arrival {
    pub id: ThreadId,
    pub name: Option<String>,
}

impl Arrival {
    /// The thread's name, or `<unnamed>`.
    pub fn shown(&self) -> String {
        self.name.clone().unwrap_or_else(|| "<unnamed>".to_owned())
    }
}

/// A meeting point for the first call that each thread makes to a callback.
///
/// The first time a thread calls [`Meeting::arrive`], it waits until
/// `expected` different threads have arrived; later calls from the same
/// thread go straight through. So the callback returns only if `expected`
/// threads really run it at the same time. With fewer threads (work done one
/// part after another, or on the calling thread) the first caller waits
/// forever, and the watchdog reports who had arrived ([`Meeting::arrivals`]).
pub struct Meeting {
    expected: usize,
    arrived: Mutex<Vec<Arrival>>,
    all_here: Condvar,
}

impl Meeting {
    pub fn new(expected: usize) -> Meeting {
        Meeting {
            expected,
            arrived: Mutex::new(Vec::new()),
            all_here: Condvar::new(),
        }
    }

    pub fn expected(&self) -> usize {
        self.expected
    }

    pub fn arrive(&self) {
        let me = thread::current();
        let mut arrived = self.arrived.lock().unwrap_or_else(PoisonError::into_inner);
        if arrived.iter().any(|a| a.id == me.id()) {
            return;
        }
        arrived.push(Arrival {
            id: me.id(),
            name: me.name().map(str::to_owned),
        });
        self.all_here.notify_all();
        // The lock is released while waiting, so others can arrive.
        while arrived.len() < self.expected {
            arrived = self
                .all_here
                .wait(arrived)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Who has arrived so far, without blocking (for a watchdog's
    /// diagnosis); `None` only if the lock stayed busy.
    pub fn arrivals(&self) -> Option<Vec<Arrival>> {
        for _ in 0..1000 {
            match self.arrived.try_lock() {
                Ok(arrived) => return Some(arrived.clone()),
                Err(TryLockError::Poisoned(p)) => return Some(p.into_inner().clone()),
                Err(TryLockError::WouldBlock) => thread::yield_now(),
            }
        }
        None
    }
}

/// A panic payload in words: its type (`&str`, `String`, or other) and text.
pub fn describe_payload(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        format!("a &str, {text:?}")
    } else if let Some(text) = payload.downcast_ref::<String>() {
        format!("a String, {text:?}")
    } else {
        "a payload that is neither &str nor String".to_owned()
    }
}

/// What a test that meets its threads at a [`Meeting`] shares with its
/// watchdog: the meeting of the moment, and the thread that called the code
/// under test. A `static`, so that the watchdog's diagnosis can read it.
pub struct Round {
    meeting: Mutex<Option<Arc<Meeting>>>,
    caller: Mutex<Option<ThreadId>>,
}

impl Default for Round {
    fn default() -> Round {
        Round::new()
    }
}

impl Round {
    pub const fn new() -> Round {
        Round {
            meeting: Mutex::new(None),
            caller: Mutex::new(None),
        }
    }

    /// The thread that calls the code under test.
    pub fn set_caller(&self, caller: ThreadId) {
        *self.caller.lock().unwrap_or_else(PoisonError::into_inner) = Some(caller);
    }

    /// The meeting the threads now come to.
    pub fn set_meeting(&self, meeting: Arc<Meeting>) {
        *self.meeting.lock().unwrap_or_else(PoisonError::into_inner) = Some(meeting);
    }

    /// The meeting, who has arrived, and the caller (if known), read without
    /// blocking, for a watchdog's diagnosis; `None` while the meeting or its
    /// arrivals cannot be known.
    pub fn seen(&self) -> Option<(Arc<Meeting>, Vec<Arrival>, Option<ThreadId>)> {
        let meeting = self.meeting.try_lock().ok().and_then(|m| m.clone())?;
        let caller = self.caller.try_lock().ok().and_then(|c| *c);
        let arrivals = meeting.arrivals()?;
        Some((meeting, arrivals, caller))
    }
}
