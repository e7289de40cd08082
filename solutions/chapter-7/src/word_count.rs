//! Word frequencies on the pool (book: 7.6.4).

use std::collections::HashMap;
use std::ops::Range;
// ANSWER: use std::sync::Arc;
use std::sync::{Arc, mpsc};
// END ANSWER

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
    // ANSWER: todo!("split_at_whitespace: cut next to whitespace (book: 7.5 A parallel job, measured)")
    assert!(parts > 0, "split_at_whitespace needs at least one part");
    let mut pieces = Vec::with_capacity(parts);
    let mut start = 0;
    for left in (1..=parts).rev() {
        let rest = &text[start..];
        if rest.is_empty() {
            break;
        }
        if left == 1 {
            pieces.push(start..text.len());
            break;
        }
        // Aim for an equal share of what is left, then move the cut forward
        // to the next whitespace, so that it falls between two words.
        let aim = rest.ceil_char_boundary((rest.len() / left).max(1));
        let cut = rest[aim..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |offset| aim + offset);
        pieces.push(start..start + cut);
        start += cut;
    }
    pieces
    // END ANSWER
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
    // ANSWER: todo!("parallel_map: a job per item (book: 7.5 A parallel job, measured)")
    // Every job calls the same `f`: share it instead of cloning it.
    let f = Arc::new(f);
    let (sender, receiver) = mpsc::channel();
    let count = items.len();
    for (index, item) in items.into_iter().enumerate() {
        let f = Arc::clone(&f);
        let sender = sender.clone();
        pool.execute(move || {
            let result = f(item);
            // Results arrive in the order the jobs finish; the index puts
            // each one back in its place.
            let _ = sender.send((index, result));
        });
    }
    // Each job owns a `Sender` and drops it when it ends, whether it sent a
    // result or panicked. Once ours is gone too, the loop below ends when
    // the last job does, and never waits for a result that cannot come.
    drop(sender);
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (index, result) in receiver {
        results[index] = Some(result);
    }
    results
        .into_iter()
        .map(|result| result.expect("parallel_map: f panicked on an item"))
        .collect()
    // END ANSWER
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
    // ANSWER: todo!("word_counts: split, count on the pool, merge (book: 7.5 A parallel job, measured)")
    let pieces = split_at_whitespace(&text, parts);
    // A job must own what it uses (it is `'static`). `f` owns the `Arc`, so
    // every job shares the one text, uncopied, and counts its own range.
    let counted = parallel_map(pool, pieces, move |piece| {
        word_counts_sequential(&text[piece])
    });
    let mut counted = counted.into_iter();
    let mut total = counted.next().unwrap_or_default();
    for counts in counted {
        for (word, n) in counts {
            *total.entry(word).or_insert(0) += n;
        }
    }
    total
    // END ANSWER
}
