//! A bounded producer (book: 3.8.3).

// ANSWER: use std::sync::mpsc::{Receiver, SyncSender};
// ANSWER: use std::thread::JoinHandle;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread::{self, JoinHandle};
// END ANSWER

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
    // ANSWER: progress: F,
    mut progress: F,
    // END ANSWER
) -> (Receiver<T>, JoinHandle<()>)
where
    T: Send + 'static,
    F: FnMut(Progress) + Send + 'static,
{
    // ANSWER: todo!("spawn_producer: a bounded channel (book: 3.6 Bounded and rendezvous channels)")
    let (tx, rx) = mpsc::sync_channel(capacity);
    let producer = thread::spawn(move || {
        for (i, item) in items.into_iter().enumerate() {
            progress(Progress::Sending(i));
            if tx.send(item).is_err() {
                return; // the receiver is gone
            }
            progress(Progress::Sent(i));
        }
    });
    (rx, producer)
    // END ANSWER
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
        // ANSWER: todo!("LossySender::offer: try_send (book: 3.6 Bounded and rendezvous channels)")
        match self.tx.try_send(item) {
            Ok(()) => Offered::Sent,
            Err(TrySendError::Full(_item)) => {
                self.dropped += 1;
                Offered::Dropped
            }
            Err(TrySendError::Disconnected(item)) => Offered::Closed(item),
        }
        // END ANSWER
    }

    /// How many items were dropped because the channel was full.
    pub fn dropped(&self) -> usize {
        // ANSWER: todo!("LossySender::dropped (book: 3.6 Bounded and rendezvous channels)")
        self.dropped
        // END ANSWER
    }
}
