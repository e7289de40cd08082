//! An arena that moves (book: 5.8.3).
//!
//! An `Arena<T>` hands out slots for values of type `T` from one block of
//! memory, through `&self`, so that many slots can be in use at once. It
//! reaches the block through a raw pointer, which makes it neither `Send`
//! nor `Sync`.

use std::cell::Cell;
use std::mem::ManuallyDrop;

/// Room for a fixed number of values of type `T`. Each value stays where
/// it was put until the arena is dropped or turned into a `Vec`.
pub struct Arena<T> {
    /// The start of a block of `capacity` slots, allocated by a `Vec<T>` in
    /// `with_capacity` and freed only when the arena is dropped or turned
    /// into a `Vec`. No other value holds this pointer: the arena owns the
    /// block and the values in it.
    ptr: *mut T,
    /// How many slots the block has.
    capacity: usize,
    /// How many slots, from the start, hold a value. `alloc` changes it
    /// through `&self`, with no synchronisation.
    len: Cell<usize>,
}

impl<T> Arena<T> {
    /// An empty arena with room for at least `capacity` values.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut block = ManuallyDrop::new(Vec::with_capacity(capacity));
        Arena {
            ptr: block.as_mut_ptr(),
            capacity: block.capacity(),
            len: Cell::new(0),
        }
    }

    /// Moves `value` into the next free slot and returns a reference to it,
    /// or gives `value` back if the arena is full.
    #[allow(clippy::mut_from_ref)] // every call hands out a different slot
    pub fn alloc(&self, value: T) -> Result<&mut T, T> {
        let len = self.len.get();
        if len == self.capacity {
            return Err(value);
        }
        self.len.set(len + 1);
        // SAFETY: `len < capacity`, so the slot is inside the block. It
        // holds no value yet, and no reference to it was ever handed out:
        // each call takes the next slot and moves `len` past it first.
        unsafe {
            let slot = self.ptr.add(len);
            slot.write(value);
            Ok(&mut *slot)
        }
    }

    /// How many values the arena holds.
    pub fn len(&self) -> usize {
        self.len.get()
    }

    /// Whether the arena holds no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many values the arena has room for.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Takes the values out, in the order they were allocated.
    pub fn into_vec(self) -> Vec<T> {
        let arena = ManuallyDrop::new(self);
        // SAFETY: the block came from a `Vec<T>` with this capacity, and its
        // first `len` slots hold values. `ManuallyDrop` keeps `drop` from
        // freeing the block a second time.
        unsafe { Vec::from_raw_parts(arena.ptr, arena.len.get(), arena.capacity) }
    }
}

impl<T> Drop for Arena<T> {
    fn drop(&mut self) {
        // SAFETY: as in `into_vec`. This `Vec` drops the values and frees
        // the block.
        drop(unsafe { Vec::from_raw_parts(self.ptr, self.len.get(), self.capacity) });
    }
}

// ANSWER: // TODO: promise that an `Arena<T>` may move to another thread, for exactly
// ANSWER: // the `T`s for which that is sound, with a `// SAFETY:` comment that says
// ANSWER: // why (book: 5.6 Promising with unsafe impl). It must stay `!Sync`.
// SAFETY: An `Arena<T>` owns its block and every `T` in it, as a `Vec<T>`
// does: `ptr` is never copied out, and every `&mut T` that `alloc` hands out
// borrows the arena, so none is left behind when the arena moves. Sending
// the arena therefore moves its `T`s to the other thread and nothing else,
// which is sound exactly when `T: Send`.
//
// There is no `unsafe impl Sync`: `alloc` works through `&self` and updates
// `len` with no synchronisation. Two threads sharing `&Arena` could both
// take the same slot and hold two `&mut T` to it.
unsafe impl<T: Send> Send for Arena<T> {}
// END ANSWER
