//! A shared statistics registry (book: 4.9.1).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Named counters that any number of threads can update at once.
/// Cloning a `Stats` gives another handle to the same counters.
#[derive(Clone, Default)]
pub struct Stats {
    counters: Arc<Mutex<HashMap<String, u64>>>,
}

impl Stats {
    /// An empty registry.
    pub fn new() -> Stats {
        Stats::default()
    }

    /// Adds `amount` to the counter `name`; a new counter starts at 0.
    pub fn add(&self, name: &str, amount: u64) {
        todo!("Stats::add: lock, then update the entry (book: 4.1 A mutex and its guard)")
    }

    /// The counter's value; 0 for a counter that was never added to.
    pub fn get(&self, name: &str) -> u64 {
        todo!("Stats::get (book: 4.1 A mutex and its guard)")
    }

    /// A copy of every counter, sorted by name.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        todo!("Stats::snapshot (book: 4.1 A mutex and its guard)")
    }
}

/// Runs every worker on a thread of its own, all at the same time, and
/// gives each one a handle to `stats`. Returns when all of them have
/// finished; if a worker panicked, panics with its payload.
pub fn run_workers<F>(stats: &Stats, workers: Vec<F>)
where
    F: FnOnce(Stats) + Send + 'static,
{
    todo!("run_workers: a clone of the handle per thread (book: 4.4 Sharing ownership with Arc)")
}
