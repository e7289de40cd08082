//! Dining philosophers (book: 4.9.5).

// ANSWER
use std::panic;
// END ANSWER
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
// ANSWER
use std::thread;
// END ANSWER

/// What a table tells its observer about its forks. Tests use it to check
/// who holds which fork, and to make a deadlock certain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForkEvent {
    /// This thread is about to wait for the fork.
    Waiting(usize),
    /// This thread now holds the fork.
    Holding(usize),
    /// This thread tried to pick up the fork, and it was taken.
    Missed(usize),
    /// This thread is about to put the fork down.
    Released(usize),
}

type Observer = Box<dyn Fn(ForkEvent) + Send + Sync>;

/// A round table with one fork between each two neighbours: the philosopher
/// at seat `i` has fork `i` on one side and fork `i + 1` on the other (and
/// the last seat has forks `seats - 1` and 0).
pub struct Table {
    forks: Vec<Mutex<()>>,
    observer: Observer,
}

/// A fork in a philosopher's hand. Dropping it puts it down.
pub struct Fork<'a> {
    id: usize,
    observer: &'a Observer,
    _held: MutexGuard<'a, ()>,
}

impl Drop for Fork<'_> {
    fn drop(&mut self) {
        // Runs before the fields are dropped: the fork is still held here.
        (self.observer)(ForkEvent::Released(self.id));
    }
}

impl Table {
    /// A table for `seats` philosophers (at least 2), with as many forks.
    pub fn new(seats: usize) -> Table {
        Table::with_observer(seats, |_| {})
    }

    /// A table that reports every fork picked up and put down to `observer`.
    pub fn with_observer(
        seats: usize,
        observer: impl Fn(ForkEvent) + Send + Sync + 'static,
    ) -> Table {
        assert!(seats >= 2, "a table needs at least two seats");
        Table {
            forks: (0..seats).map(|_| Mutex::new(())).collect(),
            observer: Box::new(observer),
        }
    }

    /// How many seats (and forks) the table has.
    pub fn seats(&self) -> usize {
        self.forks.len()
    }

    /// Picks up fork `id`, waiting until it is free.
    pub fn pick_up(&self, id: usize) -> Fork<'_> {
        (self.observer)(ForkEvent::Waiting(id));
        let held = self.forks[id]
            .lock()
            .expect("a philosopher panicked holding a fork");
        (self.observer)(ForkEvent::Holding(id));
        Fork {
            id,
            observer: &self.observer,
            _held: held,
        }
    }

    /// Picks up fork `id` if it is free right now.
    pub fn try_pick_up(&self, id: usize) -> Option<Fork<'_>> {
        match self.forks[id].try_lock() {
            Ok(held) => {
                (self.observer)(ForkEvent::Holding(id));
                Some(Fork {
                    id,
                    observer: &self.observer,
                    _held: held,
                })
            }
            Err(TryLockError::WouldBlock) => {
                (self.observer)(ForkEvent::Missed(id));
                None
            }
            Err(TryLockError::Poisoned(_)) => panic!("a philosopher panicked holding a fork"),
        }
    }
}

/// Seats one philosopher at each seat of `table`, each on a thread of its
/// own, all at the table at once. Philosopher `i` eats with forks `i` and
/// `(i + 1) % seats`: `meals` times, it picks up both, calls `eat(i)` while
/// holding them, and puts them down. Returns when everyone has eaten; if a
/// philosopher panicked, panics with its payload.
pub fn dine<F>(table: Arc<Table>, meals: usize, eat: F)
where
    F: Fn(usize) + Send + Sync + 'static,
{
    // ANSWER: todo!(
    // ANSWER:     "dine: one thread per philosopher, forks in one order (book: 4.8 The dining philosophers)"
    // ANSWER: )
    let eat = Arc::new(eat);
    let seats = table.seats();
    let philosophers: Vec<_> = (0..seats)
        .map(|i| {
            let table = Arc::clone(&table);
            let eat = Arc::clone(&eat);
            thread::spawn(move || {
                let (left, right) = (i, (i + 1) % seats);
                // Every philosopher picks up the lower-numbered fork first:
                // one global order, so no cycle of waiting can form.
                let (first, second) = (left.min(right), left.max(right));
                for _ in 0..meals {
                    let _first = table.pick_up(first);
                    let _second = table.pick_up(second);
                    eat(i);
                }
            })
        })
        .collect();
    for philosopher in philosophers {
        if let Err(payload) = philosopher.join() {
            panic::resume_unwind(payload);
        }
    }
    // END ANSWER
}
