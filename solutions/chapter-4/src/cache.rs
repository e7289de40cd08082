//! A read-mostly cache (book: 4.9.4).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;

/// A map that many threads read at once and a few threads write.
pub struct Cache<K, V> {
    entries: RwLock<HashMap<K, V>>,
}

impl<K, V> Default for Cache<K, V> {
    fn default() -> Self {
        Cache {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    /// An empty cache.
    pub fn new() -> Self {
        Cache::default()
    }

    /// Runs `look` on the value for `key` (`None` if there is none) under a
    /// read lock, so that any number of threads can be in here at once.
    pub fn read<R>(&self, key: &K, look: impl FnOnce(Option<&V>) -> R) -> R {
        // ANSWER: todo!("Cache::read (book: 4.6 Readers and writers: RwLock)")
        let entries = self.entries.read().unwrap();
        look(entries.get(key))
        // END ANSWER
    }

    /// A clone of the value for `key`.
    pub fn get(&self, key: &K) -> Option<V> {
        // ANSWER: todo!("Cache::get (book: 4.6 Readers and writers: RwLock)")
        self.read(key, |value| value.cloned())
        // END ANSWER
    }

    /// Stores `value` for `key`; returns the value it replaces.
    pub fn insert(&self, key: K, value: V) -> Option<V> {
        // ANSWER: todo!("Cache::insert (book: 4.6 Readers and writers: RwLock)")
        self.entries.write().unwrap().insert(key, value)
        // END ANSWER
    }

    /// The value for `key`. On a miss, computes one with `make`, with no
    /// lock held, and stores it, unless another thread stored a value for
    /// `key` in the meantime: then that value stays, and is returned.
    pub fn get_or_insert_with(&self, key: K, make: impl FnOnce() -> V) -> V {
        // ANSWER: todo!("Cache::get_or_insert_with (book: 4.6 Readers and writers: RwLock)")
        if let Some(value) = self.get(&key) {
            return value;
        }
        // No lock is held here: `make` may be slow, or use the cache itself.
        let value = make();
        let mut entries = self.entries.write().unwrap();
        // Look again: the map may have changed since the read lock was let go.
        entries.entry(key).or_insert(value).clone()
        // END ANSWER
    }
}
