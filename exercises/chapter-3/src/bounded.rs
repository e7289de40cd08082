//! A bounded producer (book: 3.8.3).

use std::sync::mpsc::{Receiver, SyncSender};
use std::thread::JoinHandle;

/// What the producer is about to do, or has just done, reported to the
/// `progress` callback of [`spawn_producer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Item number `i` (counting from 0) is about to be sent.
    Sending(usize),
    /// The `send` of item number `i` has returned: it is in the channel.
    Sent(usize),
}

/// Starts a thread that sends `items`, in order, into a channel with room
/// for `capacity` items, and returns the receiving end and the thread's
/// handle at once. A full channel makes the producer wait; capacity 0
/// makes every send wait for a receiver.
///
/// Around each send the producer calls `progress`: `Sending(i)` just
/// before, and `Sent(i)` just after. When every item is sent, the thread
/// ends and the channel closes. If the receiver is dropped, the thread ends
/// early, without panicking.
pub fn spawn_producer<T, F>(
    items: Vec<T>,
    capacity: usize,
    progress: F,
) -> (Receiver<T>, JoinHandle<()>)
where
    T: Send + 'static,
    F: FnMut(Progress) + Send + 'static,
{
    todo!("spawn_producer: a bounded channel (book: 3.6 Bounded and rendezvous channels)")
}

/// What became of an item offered to a [`LossySender`].
#[derive(Debug, PartialEq, Eq)]
pub enum Offered<T> {
    /// The item is in the channel.
    Sent,
    /// The channel was full: the item was dropped, and counted.
    Dropped,
    /// The receiver is gone. Here is the item back.
    Closed(T),
}

/// A sender that never waits: when the channel is full, it drops the item
/// and counts it. Good for telemetry that must never slow down its source.
pub struct LossySender<T> {
    tx: SyncSender<T>,
    dropped: usize,
}

impl<T> LossySender<T> {
    pub fn new(tx: SyncSender<T>) -> Self {
        LossySender { tx, dropped: 0 }
    }

    /// Sends `item` if there is room, and never blocks.
    pub fn offer(&mut self, item: T) -> Offered<T> {
        todo!("LossySender::offer: try_send (book: 3.6 Bounded and rendezvous channels)")
    }

    /// How many items were dropped because the channel was full.
    pub fn dropped(&self) -> usize {
        todo!("LossySender::dropped (book: 3.6 Bounded and rendezvous channels)")
    }
}
