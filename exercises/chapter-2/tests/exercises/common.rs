//! Helpers shared by Chapter 2's tests.

use std::collections::HashSet;
use std::sync::{Barrier, Mutex};
use std::thread::{self, ThreadId};

/// A meeting point for the first call that each thread makes to a callback.
///
/// The first time a thread calls [`Meeting::arrive`], it waits until
/// `threads` different threads have arrived; later calls from the same
/// thread go straight through. So the callback returns only if `threads`
/// threads really run it at the same time. With fewer threads (the work
/// done one part after another, or all on one thread) the first caller
/// waits forever, and the watchdog fails the test with its hint.
pub struct Meeting {
    barrier: Barrier,
    arrived: Mutex<HashSet<ThreadId>>,
}

impl Meeting {
    pub fn new(threads: usize) -> Self {
        Meeting {
            barrier: Barrier::new(threads),
            arrived: Mutex::new(HashSet::new()),
        }
    }

    pub fn arrive(&self) {
        let first = self.arrived.lock().unwrap().insert(thread::current().id());
        // The lock is released before waiting, so other threads can arrive.
        if first {
            self.barrier.wait();
        }
    }
}
