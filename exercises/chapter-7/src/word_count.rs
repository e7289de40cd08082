//! Word frequencies on the pool (book: 7.6.4).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::resilient::ThreadPool;

/// How often each word occurs in `text`, counted on the calling thread.
/// A word is what [`str::split_whitespace`] yields: case and punctuation
/// count, so `Rust`, `rust` and `rust,` are three different words.
pub fn word_counts_sequential(text: &str) -> HashMap<String, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .map(|(word, n)| (word.to_owned(), n))
        .collect()
}

/// Cuts `text` into at most `parts` pieces of about the same length, and
/// returns their byte ranges, in order: together they cover the text. No
/// piece is empty, and no word is cut in two: every cut is just before or
/// just after a whitespace character.
///
/// # Panics
///
/// If `parts` is zero.
pub fn split_at_whitespace(text: &str, parts: usize) -> Vec<Range<usize>> {
    todo!("split_at_whitespace: cut next to whitespace (book: 7.5 A parallel job, measured)")
}

/// Calls `f` on every item, each call as a job on `pool`, and returns the
/// results in the order of the items.
///
/// # Panics
///
/// If `f` panics on an item (after the other items are done).
pub fn parallel_map<T, R, F>(pool: &ThreadPool, items: Vec<T>, f: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> R + Send + Sync + 'static,
{
    todo!("parallel_map: a job per item (book: 7.5 A parallel job, measured)")
}

/// How often each word occurs in `text` (the same answer as
/// [`word_counts_sequential`]), counted by jobs on `pool`: one job for each
/// of at most `parts` pieces of the text. The pieces are not copied: every
/// job counts its own range of the one shared `text`.
///
/// # Panics
///
/// If `parts` is zero.
pub fn word_counts(pool: &ThreadPool, text: Arc<str>, parts: usize) -> HashMap<String, usize> {
    todo!("word_counts: split, count on the pool, merge (book: 7.5 A parallel job, measured)")
}
