//! Count in parallel, without copying (book: 2.7.2).
// ANSWER

use std::panic;
use std::thread;
// END ANSWER

/// For each query, counts the items that `matches(query, item)` accepts,
/// and returns the counts in the order of the queries.
///
/// Every query is counted by a scoped thread of its own, all of them at the
/// same time, and every thread reads the caller's `items` in place: nothing
/// is copied, cloned or put behind an `Arc`. `matches` is called exactly
/// once for each pair of a query and an item. No threads are started when
/// there are no queries.
pub fn count_matches<T, Q, F>(items: &[T], queries: &[Q], matches: F) -> Vec<usize>
where
    T: Sync,
    Q: Sync,
    F: Fn(&Q, &T) -> bool + Sync,
{
    // ANSWER: todo!("count_matches: one scoped thread per query (book: 2.4 Scoped threads)")
    let matches = &matches;
    thread::scope(|s| {
        let handles: Vec<_> = queries
            .iter()
            .map(|query| s.spawn(move || items.iter().filter(|item| matches(query, item)).count()))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload))
            })
            .collect()
    })
    // END ANSWER
}
