// Compiled by the book's tests but never run: it has undefined behaviour.
use std::rc::Rc;
use std::thread;

struct Owned<T> {
    ptr: *mut T,
}

impl<T> Owned<T> {
    fn new(value: T) -> Self {
        Owned {
            ptr: Box::into_raw(Box::new(value)),
        }
    }

    fn get(&self) -> &T {
        // SAFETY: `ptr` points to a live `T` that this `Owned` owns.
        unsafe { &*self.ptr }
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Box::into_raw` and is freed only here.
        drop(unsafe { Box::from_raw(self.ptr) });
    }
}

// ANCHOR: false_promise
// SAFETY: none. The bound `T: Send` is missing, so this also "promises"
// that an Owned<Rc<u64>> may move to another thread. It may not.
unsafe impl<T> Send for Owned<T> {}

fn main() {
    let here = Rc::new(0_u64);
    let there = Owned::new(Rc::clone(&here)); // two Rcs, one count
    let worker = thread::spawn(move || {
        for _ in 0..1_000_000 {
            drop(Rc::clone(there.get())); // count + 1, count - 1
        }
    });
    for _ in 0..1_000_000 {
        drop(Rc::clone(&here)); // the same count, at the same time
    }
    worker.join().unwrap();
}
// ANCHOR_END: false_promise
