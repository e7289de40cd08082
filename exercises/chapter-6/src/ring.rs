//! A ring buffer for two threads (book: 6.6.3).
//!
//! A bounded queue between exactly one producer and one consumer, without a
//! lock. Each of the two indices has one writer, so plain loads and stores
//! are enough; their orderings hand each slot from one thread to the other.

use std::mem::MaybeUninit;

use super::sync::{Arc, AtomicUsize, Ordering, UnsafeCell};

/// The shared part: the slots and two counters.
struct Ring<T> {
    /// Value number `n` goes into `slots[n % slots.len()]`.
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
    /// How many values the consumer has taken, ever. Only `pop` stores it.
    head: AtomicUsize,
    /// How many values the producer has put in, ever. Only `push` stores it.
    tail: AtomicUsize,
}

// SAFETY: through the shared `Ring<T>`, the producer moves `T`s in and the
// consumer moves them out on another thread: `T: Send` is needed. It is
// enough: a slot between `head` and `tail` is reached only by the consumer,
// any other only by the producer, and the Release store and Acquire load of
// each counter order one side's accesses to a slot before the other's.
unsafe impl<T: Send> Sync for Ring<T> {}

/// The sending end. There is one, so `push` can take `&mut self`.
pub struct Producer<T> {
    ring: Arc<Ring<T>>,
}

/// The receiving end. There is one, so `pop` can take `&mut self`.
pub struct Consumer<T> {
    ring: Arc<Ring<T>>,
}

/// A ring buffer with room for `capacity` values, and its two ends.
///
/// # Panics
///
/// If `capacity` is 0.
pub fn ring<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    assert!(
        capacity > 0,
        "a ring buffer needs room for at least one value"
    );
    let ring = Arc::new(Ring {
        slots: (0..capacity)
            .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
            .collect(),
        head: AtomicUsize::new(0),
        tail: AtomicUsize::new(0),
    });
    let producer = Producer {
        ring: Arc::clone(&ring),
    };
    (producer, Consumer { ring })
}

impl<T> Producer<T> {
    /// Puts `value` at the back of the queue, or gives it back if the
    /// queue is full.
    pub fn push(&mut self, value: T) -> Result<(), T> {
        todo!("push: room? write the slot, publish it (book: 6.2 Orderings)")
    }
}

impl<T> Consumer<T> {
    /// Takes the value at the front of the queue, if there is one.
    pub fn pop(&mut self) -> Option<T> {
        todo!("pop: a value? read the slot, then free it (book: 6.2 Orderings)")
    }
}

impl<T> Producer<T> {
    /// How many values the queue can hold.
    pub fn capacity(&self) -> usize {
        self.ring.slots.len()
    }
}

impl<T> Drop for Ring<T> {
    fn drop(&mut self) {
        // `&mut self`: both ends are gone, and the last `Arc` to go ordered
        // the other end's accesses before now. Relaxed is enough.
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        let mut n = head;
        while n != tail {
            let slot = &self.slots[n % self.slots.len()];
            // SAFETY: the slots from `head` up to `tail` hold values that
            // were pushed and never popped.
            slot.with_mut(|slot| unsafe { (*slot).assume_init_drop() });
            n = n.wrapping_add(1);
        }
    }
}
