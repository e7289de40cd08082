//! Helpers shared by Chapter 2's tests: a meeting point that only opens
//! when enough threads really run at once, and can say who came; and words
//! for a panic payload.

use std::thread;
pub use test_support::{Arrival, Meeting, Round, describe_payload as describe};

/// How many threads "more than this machine runs at once" is: at least
/// `floor`, and always more than the machine's cores, so that an answer
/// that caps its threads at `available_parallelism()` (or at any small
/// number) cannot pass.
pub fn more_than_cores(floor: usize) -> usize {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    floor.max(cores + 3).min(200)
}
