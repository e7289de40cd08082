//! Many producers, one collector (book: 3.8.2).

// ANSWER: use std::sync::mpsc::Sender;
use std::panic;
use std::sync::mpsc::{self, Sender};
use std::thread;
// END ANSWER

/// Runs every producer on a thread of its own, all at the same time. Each
/// producer gets a `Sender` of one shared channel and sends any number of
/// items through it. Meanwhile `fan_in` hands every item, as it arrives,
/// to `on_item`, on the calling thread.
///
/// Returns once every `Sender` is gone (usually: every producer has
/// finished) and every item has been handed over. If a producer panicked,
/// `fan_in` then panics with that producer's payload.
// ANSWER: pub fn fan_in<T, P>(producers: Vec<P>, on_item: impl FnMut(T))
pub fn fan_in<T, P>(producers: Vec<P>, mut on_item: impl FnMut(T))
// END ANSWER
where
    T: Send + 'static,
    P: FnOnce(Sender<T>) + Send + 'static,
{
    // ANSWER: todo!("fan_in: clone a Sender per producer, then collect (book: 3.5 Several producers)")
    let (tx, rx) = mpsc::channel();
    let handles: Vec<_> = producers
        .into_iter()
        .map(|producer| {
            let tx = tx.clone();
            thread::spawn(move || producer(tx))
        })
        .collect();
    // Only the producers' clones may keep the channel open.
    drop(tx);

    for item in rx {
        on_item(item);
    }

    for handle in handles {
        if let Err(payload) = handle.join() {
            panic::resume_unwind(payload);
        }
    }
    // END ANSWER
}
