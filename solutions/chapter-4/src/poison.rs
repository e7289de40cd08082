//! A store that survives a panic (book: 4.9.3).

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Units in stock, by item, and their total.
#[derive(Debug, Default)]
pub struct Inventory {
    /// Units in stock, by item: the record of truth.
    pub stock: BTreeMap<String, u64>,
    /// The sum of the values in `stock`, kept up to date by every change.
    pub total: u64,
}

impl Inventory {
    /// Adds units of an item, keeping `total` up to date.
    pub fn restock(&mut self, item: &str, units: u64) {
        *self.stock.entry(item.to_owned()).or_insert(0) += units;
        self.total += units;
    }

    /// Whether `total` is the sum of `stock`: the invariant.
    pub fn is_consistent(&self) -> bool {
        self.total == self.stock.values().sum::<u64>()
    }
}

/// An inventory shared by threads. A thread that panics in the middle of an
/// update poisons the lock; the store repairs the inventory and goes on.
#[derive(Default)]
pub struct Store {
    inventory: Mutex<Inventory>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// Whether the lock is poisoned right now.
    pub fn is_poisoned(&self) -> bool {
        self.inventory.is_poisoned()
    }

    /// Runs `change` on the inventory, under the lock. If `change` panics,
    /// the panic goes on to the caller.
    pub fn update<R>(&self, change: impl FnOnce(&mut Inventory) -> R) -> R {
        // ANSWER: todo!("Store::update (book: 4.5 Poisoned locks)")
        change(&mut self.lock())
        // END ANSWER
    }

    /// Runs `look` on the inventory, under the lock.
    pub fn read<R>(&self, look: impl FnOnce(&Inventory) -> R) -> R {
        // ANSWER: todo!("Store::read (book: 4.5 Poisoned locks)")
        look(&self.lock())
        // END ANSWER
    }

    /// Locks the inventory. If a thread panicked while holding the lock,
    /// restores the invariant and clears the poison first.
    fn lock(&self) -> MutexGuard<'_, Inventory> {
        // ANSWER: todo!("Store::lock: recover, repair, clear the poison (book: 4.5 Poisoned locks)")
        match self.inventory.lock() {
            Ok(guard) => guard,
            Err(poisoned) => {
                let mut guard = poisoned.into_inner();
                // `stock` is the truth; `total` is derived from it.
                guard.total = guard.stock.values().sum();
                self.inventory.clear_poison();
                guard
            }
        }
        // END ANSWER
    }
}
