//! A pipeline of threads (book: 3.8.1).

// ANSWER: use std::sync::mpsc::{Receiver, Sender};
// ANSWER: use std::thread::JoinHandle;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, JoinHandle};
// END ANSWER

/// One stage of a pipeline: it turns each item into the input of the next
/// stage. A stage may keep state from one item to the next.
pub type Stage<T> = Box<dyn FnMut(T) -> T + Send>;

/// A running pipeline.
pub struct Pipeline<T> {
    /// Items sent here go through every stage, in turn. Dropping it ends
    /// the input.
    pub input: Sender<T>,
    /// Every item comes out here after the last stage, in the order it went
    /// in. Iterating over it ends once the input has ended and every item
    /// is through.
    pub output: Receiver<T>,
    /// The stages' threads, one per stage, in the order of the stages.
    pub threads: Vec<JoinHandle<()>>,
}

/// Starts one thread per stage, connected by channels: the first stage
/// receives from `input`, each stage sends its results to the next one,
/// and the last one sends them to `output`. With no stages, what goes into
/// `input` comes straight out of `output`.
///
/// Each stage passes an item on as soon as it has made it. A stage's thread
/// ends, without panicking, when its input ends, or when nobody receives
/// its results any more.
pub fn pipeline<T: Send + 'static>(stages: Vec<Stage<T>>) -> Pipeline<T> {
    // ANSWER: todo!("pipeline: a channel and a thread per stage (book: 3.7 Patterns)")
    let (input, mut from_previous) = mpsc::channel();
    let mut threads = Vec::with_capacity(stages.len());
    for mut stage in stages {
        let (to_next, from_this) = mpsc::channel();
        threads.push(thread::spawn(move || {
            // Ends when every Sender of `from_previous` is gone.
            for item in from_previous {
                if to_next.send(stage(item)).is_err() {
                    break; // the next stage has gone: nobody wants our results
                }
            }
            // `to_next` is dropped here, which ends the next stage's loop.
        }));
        from_previous = from_this;
    }
    Pipeline {
        input,
        output: from_previous,
        threads,
    }
    // END ANSWER
}
