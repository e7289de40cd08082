//! Many producers, one collector (book: 3.8.2).

use std::sync::mpsc::Sender;

/// Runs every producer on a thread of its own, all at the same time. Each
/// producer gets a `Sender` of one shared channel and sends any number of
/// items through it. Meanwhile `fan_in` hands every item, as it arrives,
/// to `on_item`, on the calling thread.
///
/// Returns once every `Sender` is gone (usually: every producer has
/// finished) and every item has been handed over. If a producer panicked,
/// `fan_in` then panics with that producer's payload.
pub fn fan_in<T, P>(producers: Vec<P>, on_item: impl FnMut(T))
where
    T: Send + 'static,
    P: FnOnce(Sender<T>) + Send + 'static,
{
    todo!("fan_in: clone a Sender per producer, then collect (book: 3.5 Several producers)")
}
