use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

// ANCHOR: owned
/// Owns one `T` on the heap, through a raw pointer: a cut-down `Box<T>`.
struct Owned<T> {
    /// Comes from `Box::into_raw` in `new`; freed only in `drop`; never
    /// copied out of this struct. So no one else can reach the `T`.
    ptr: *mut T,
}

impl<T> Owned<T> {
    fn new(value: T) -> Self {
        Owned {
            ptr: Box::into_raw(Box::new(value)),
        }
    }

    fn get(&self) -> &T {
        // SAFETY: `ptr` points to a live `T` that this `Owned` owns, and
        // `&self` rules out a `&mut T` from `get_mut` at the same time.
        unsafe { &*self.ptr }
    }

    fn get_mut(&mut self) -> &mut T {
        // SAFETY: as in `get`, and `&mut self` makes this the only reference.
        unsafe { &mut *self.ptr }
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Box::into_raw` and is freed only here.
        drop(unsafe { Box::from_raw(self.ptr) });
    }
}
// ANCHOR_END: owned

// ANCHOR: promises
// SAFETY: An `Owned<T>` is the only way to reach its `T` (see `ptr`), so
// sending an `Owned<T>` to another thread moves the `T` there and leaves
// nothing behind. That is sound exactly when `T` itself may move: `T: Send`.
unsafe impl<T: Send> Send for Owned<T> {}

// SAFETY: Through `&Owned<T>` the only way in is `get`, which gives `&T`;
// changing the `T` takes `&mut Owned<T>`. So sharing `&Owned<T>` among
// threads shares `&T` and nothing more, which is sound when `T: Sync`.
unsafe impl<T: Sync> Sync for Owned<T> {}
// ANCHOR_END: promises

fn main() {
    // ANCHOR: use
    // Send: the Owned<Vec<String>> moves to a worker and comes back.
    let mut notes = Owned::new(vec![String::from("from main")]);
    let worker = thread::spawn(move || {
        notes.get_mut().push(String::from("from the worker"));
        notes
    });
    let notes = worker.join().unwrap();
    println!("{:?}", notes.get());

    // Sync: four threads share one &Owned<AtomicUsize>.
    let hits = Owned::new(AtomicUsize::new(0));
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| hits.get().fetch_add(1, Ordering::Relaxed));
        }
    });
    println!("hits: {}", hits.get().load(Ordering::Relaxed));
    // ANCHOR_END: use
}
