//! Draining without blocking (book: 3.8.4).

// ANSWER: use std::sync::mpsc::Receiver;
use std::sync::mpsc::{Receiver, TryRecvError};
// END ANSWER

/// What [`drain`] found in a channel.
#[derive(Debug, PartialEq, Eq)]
pub enum Drained<T> {
    /// These items were waiting (maybe none), and the channel is still
    /// open: more may come later.
    Open(Vec<T>),
    /// These items were waiting (maybe none), and every `Sender` is gone:
    /// nothing more will ever come.
    Closed(Vec<T>),
}

/// Takes every item that is waiting in the channel, in order, without ever
/// blocking, and says whether the channel is still open.
pub fn drain<T>(rx: &Receiver<T>) -> Drained<T> {
    // ANSWER: todo!("drain: try_recv until Empty or Disconnected (book: 3.3 Receiving)")
    let mut items = Vec::new();
    loop {
        match rx.try_recv() {
            Ok(item) => items.push(item),
            Err(TryRecvError::Empty) => return Drained::Open(items),
            Err(TryRecvError::Disconnected) => return Drained::Closed(items),
        }
    }
    // END ANSWER
}

/// Receives every item until the channel is closed, without ever blocking
/// in `recv`: whenever nothing is waiting but the channel is still open, it
/// calls `idle` (which may do other work) and tries again. Returns the
/// items in order. `idle` is never called once the channel is closed.
// ANSWER: pub fn poll_until_closed<T>(rx: &Receiver<T>, idle: impl FnMut()) -> Vec<T> {
// ANSWER:     todo!("poll_until_closed: try_recv, and idle while Empty (book: 3.3 Receiving)")
pub fn poll_until_closed<T>(rx: &Receiver<T>, mut idle: impl FnMut()) -> Vec<T> {
    let mut items = Vec::new();
    loop {
        match rx.try_recv() {
            Ok(item) => items.push(item),
            Err(TryRecvError::Empty) => idle(),
            Err(TryRecvError::Disconnected) => return items,
        }
    }
    // END ANSWER
}
