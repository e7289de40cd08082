//! A shared statistics registry (book: 4.9.1).

use std::collections::{BTreeMap, HashMap};
// ANSWER
use std::panic;
// END ANSWER
use std::sync::{Arc, Mutex};
// ANSWER
use std::thread;
// END ANSWER

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
        // ANSWER: todo!("Stats::add: lock, then update the entry (book: 4.1 A mutex and its guard)")
        // Read and write under one lock: no other thread can slip in between.
        let mut counters = self.counters.lock().unwrap();
        *counters.entry(name.to_owned()).or_insert(0) += amount;
        // END ANSWER
    }

    /// The counter's value; 0 for a counter that was never added to.
    pub fn get(&self, name: &str) -> u64 {
        // ANSWER: todo!("Stats::get (book: 4.1 A mutex and its guard)")
        self.counters
            .lock()
            .unwrap()
            .get(name)
            .copied()
            .unwrap_or(0)
        // END ANSWER
    }

    /// A copy of every counter, sorted by name.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        // ANSWER: todo!("Stats::snapshot (book: 4.1 A mutex and its guard)")
        let counters = self.counters.lock().unwrap();
        counters
            .iter()
            .map(|(name, value)| (name.clone(), *value))
            .collect()
        // END ANSWER
    }
}

/// Runs every worker on a thread of its own, all at the same time, and
/// gives each one a handle to `stats`. Returns when all of them have
/// finished; if a worker panicked, panics with its payload.
pub fn run_workers<F>(stats: &Stats, workers: Vec<F>)
where
    F: FnOnce(Stats) + Send + 'static,
{
    // ANSWER: todo!("run_workers: a clone of the handle per thread (book: 4.4 Sharing ownership with Arc)")
    let handles: Vec<_> = workers
        .into_iter()
        .map(|worker| {
            let stats = stats.clone();
            thread::spawn(move || worker(stats))
        })
        .collect();
    for handle in handles {
        if let Err(payload) = handle.join() {
            panic::resume_unwind(payload);
        }
    }
    // END ANSWER
}
