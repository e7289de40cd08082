//! The contract of `src/word_count.rs`, clause by clause, and the tests
//! that check each one:
//!
//! - "Cuts `text` into at most `parts` pieces of about the same length, and
//!   returns their byte ranges, in order: together they cover the text.":
//!   split_covers_the_text_with_pieces, split_handles_every_short_text,
//!   split_makes_pieces_of_about_equal_size
//! - "No piece is empty, and no word is cut in two: every cut is just before
//!   or just after a whitespace character.": split_covers_the_text_with_pieces,
//!   split_handles_every_short_text, split_never_cuts_a_word_in_two
//! - "Panics: If `parts` is zero.": split_needs_at_least_one_part
//! - "Calls `f` on every item, each call as a job on `pool`, and returns the
//!   results in the order of the items.": parallel_map_returns_the_results_in_order,
//!   parallel_map_runs_every_item_once_on_the_pools_threads,
//!   parallel_map_runs_f_on_the_pools_threads_at_once
//! - "Panics: If `f` panics on an item (after the other items are done).":
//!   parallel_map_passes_on_a_panic_in_f,
//!   parallel_map_panics_only_after_the_other_items_are_done
//! - "How often each word occurs in `text` (the same answer as
//!   [`word_counts_sequential`]), counted by jobs on `pool`: one job for each
//!   of at most `parts` pieces of the text.": word_counts_counts_every_word,
//!   word_counts_match_the_sequential_count, word_counts_counts_on_the_pool
//! - "The pieces are not copied: every job counts its own range of the one
//!   shared `text`.": word_counts_does_not_copy_the_text
//! - "Panics: If `parts` is zero.": word_counts_needs_at_least_one_part

use crate::chapter_7::resilient::ThreadPool;
use crate::chapter_7::word_count::{
    parallel_map, split_at_whitespace, word_counts, word_counts_sequential,
};
use crate::common::{self, GRACE, Gate, deliberate, diagnosis, waiting_for};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread::{self, ThreadId};
use test_support::watchdog_diagnosed;

const SECTION: &str = "book: 7.6.4 Word frequencies on the pool";
const STUCK: &str = "a job's result never arrived. Does every job send its result, and \
                     does your pool from 7.6.3 run every job? \
                     (book: 7.6.4 Word frequencies on the pool)";

/// A text of about `bytes` bytes, the same every time: words of one to
/// four syllables, some of them not ASCII, between all kinds of
/// whitespace, including the non-ASCII kinds.
fn corpus(bytes: usize, seed: u64) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "é", "über", "ñu", "漢", "字", "ø",
        "ß",
    ];
    const GAPS: [&str; 10] = [
        " ", " ", " ", " ", "\n", "\t", "  ", "\u{3000}", "\u{a0}", "\r\n",
    ];
    let mut state = seed | 1;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let mut text = String::new();
    while text.len() < bytes {
        for _ in 0..=next(4) {
            text.push_str(SYLLABLES[next(SYLLABLES.len())]);
        }
        if next(8) == 0 {
            text.push(',');
        }
        text.push_str(GAPS[next(GAPS.len())]);
    }
    text
}

/// Short texts with the edge cases: leading and trailing whitespace, one
/// word, only whitespace, nothing.
const SMALL: [&str; 7] = [
    "",
    "   ",
    "one",
    "a b",
    "  lead and trail  ",
    "\u{3000}全角\u{3000}空白\u{3000}",
    "same same same\nsame",
];

/// The pieces `split_at_whitespace` cut `text` into, checked to be
/// consecutive ranges that cover the text.
fn pieces(text: &str, parts: usize) -> Vec<&str> {
    let ranges = match panic::catch_unwind(|| split_at_whitespace(text, parts)) {
        Ok(ranges) => ranges,
        Err(payload) => {
            let message = common::panic_text(&*payload);
            if message.contains("char boundary") {
                panic!(
                    "split_at_whitespace({text:?}, {parts}) panicked: \"{message}\". A byte \
                     index inside a character of several bytes cannot slice a str: move each \
                     aim forward to a character boundary (str::ceil_char_boundary) before you \
                     look for whitespace after it ({SECTION})"
                );
            }
            panic::resume_unwind(payload)
        }
    };
    let mut at = 0;
    for range in &ranges {
        assert_eq!(
            range.start,
            at,
            "the ranges {ranges:?} for a text of {} bytes in {parts} parts must follow \
             each other, from 0 to the end of the text ({SECTION})",
            text.len()
        );
        assert!(
            range.end <= text.len() && text.is_char_boundary(range.end),
            "the range {range:?} does not end inside the text at a character boundary \
             ({SECTION})"
        );
        at = range.end;
    }
    assert_eq!(
        at,
        text.len(),
        "the ranges {ranges:?} must cover the whole text of {} bytes ({SECTION})",
        text.len()
    );
    ranges.into_iter().map(|range| &text[range]).collect()
}

/// Where the pieces meet: the byte offsets of the cuts.
fn cuts(pieces: &[&str]) -> Vec<usize> {
    let mut at = 0;
    let mut cuts = Vec::new();
    for piece in &pieces[..pieces.len().saturating_sub(1)] {
        at += piece.len();
        cuts.push(at);
    }
    cuts
}

#[test]
fn split_covers_the_text_with_pieces() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let long = corpus(5_000, 7);
        for text in SMALL.iter().copied().chain([long.as_str()]) {
            for parts in 1..=7 {
                let pieces = pieces(text, parts);
                assert!(
                    pieces.len() <= parts,
                    "{} pieces for {parts} parts ({SECTION})",
                    pieces.len()
                );
                assert!(
                    pieces.iter().all(|p| !p.is_empty()),
                    "an empty piece in {pieces:?}: every piece must hold some text ({SECTION})"
                );
            }
        }
        assert!(
            split_at_whitespace("", 3).is_empty(),
            "no text, no pieces ({SECTION})"
        );
    });
}

/// Every text of up to 6 characters from a small alphabet of one- to
/// three-byte letters and whitespace, in 1 to 7 parts: all the ways that
/// words, gaps and lengths can fall, shortest first.
#[test]
fn split_handles_every_short_text() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        const ALPHABET: [char; 4] = ['a', 'ß', ' ', '\u{3000}'];
        for len in 0..=6u32 {
            for code in 0..ALPHABET.len().pow(len) {
                let text: String = (0..len)
                    .map(|k| ALPHABET[code / ALPHABET.len().pow(k) % ALPHABET.len()])
                    .collect();
                for parts in 1..=7 {
                    let pieces = pieces(&text, parts);
                    assert!(
                        pieces.len() <= parts && pieces.iter().all(|p| !p.is_empty()),
                        "{text:?} in {parts} parts gave the pieces {pieces:?}: at most \
                         {parts}, and none of them empty ({SECTION})"
                    );
                    for cut in cuts(&pieces) {
                        let before = text[..cut].chars().next_back();
                        let after = text[cut..].chars().next();
                        assert!(
                            before.is_some_and(char::is_whitespace)
                                || after.is_some_and(char::is_whitespace),
                            "{text:?} in {parts} parts gave the pieces {pieces:?}: the cut \
                             at byte {cut} falls inside a word. Move each cut to the next \
                             whitespace character ({SECTION})"
                        );
                    }
                }
            }
        }
    });
}

#[test]
fn split_never_cuts_a_word_in_two() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let text = corpus(20_000, 11);
        for parts in 2..=9 {
            let pieces = pieces(&text, parts);
            for cut in cuts(&pieces) {
                let before = text[..cut].chars().next_back();
                let after = text[cut..].chars().next();
                assert!(
                    before.is_some_and(char::is_whitespace)
                        || after.is_some_and(char::is_whitespace),
                    "a word was cut in two at byte {cut} ({:?} | {:?}), with {parts} parts: \
                     move each cut to the next whitespace character. Not every \
                     whitespace is ASCII, and not every letter is one byte ({SECTION})",
                    &text[text.floor_char_boundary(cut.saturating_sub(12))..cut],
                    &text[cut..text.ceil_char_boundary(cut + 12)],
                );
            }
        }
    });
}

#[test]
fn split_makes_pieces_of_about_equal_size() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        // Words of at most 6 letters, one space between them.
        let words = ["a", "to", "the", "tree", "house", "garden"];
        let text: String = (0..8_000)
            .map(|i| words[(i * 7 + i / 3) % words.len()])
            .collect::<Vec<_>>()
            .join(" ");
        for parts in 2..=8 {
            let pieces = pieces(&text, parts);
            assert_eq!(
                pieces.len(),
                parts,
                "a long text in {parts} parts must give {parts} pieces, one for each \
                 job ({SECTION})"
            );
            // An equal share, plus 5 % and a word or two of slack.
            let most = text.len() / parts * 21 / 20 + 2 * 7;
            let sizes: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
            assert!(
                sizes.iter().all(|&size| size <= most),
                "piece sizes {sizes:?} for a text of {} bytes in {parts} parts: each piece \
                 should be about the same size, the text's length divided by the \
                 number of parts, give or take a word or two ({SECTION})",
                text.len()
            );
        }
    });
}

#[test]
fn split_needs_at_least_one_part() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let outcome = panic::catch_unwind(|| split_at_whitespace("some words", 0));
        let payload = outcome.err().unwrap_or_else(|| {
            panic!("split_at_whitespace(text, 0) must panic: zero parts cannot cover a text ({SECTION})")
        });
        common::assert_not_todo(&*payload, "split_at_whitespace(text, 0)");
    });
}

/// The thread ids of the pool's two workers.
fn two_worker_ids(pool: &ThreadPool) -> HashSet<ThreadId> {
    let meeting = Arc::new(Barrier::new(2));
    let (tx, rx) = mpsc::channel();
    for _ in 0..2 {
        let (meeting, tx) = (Arc::clone(&meeting), tx.clone());
        pool.execute(move || {
            meeting.wait();
            tx.send(thread::current().id()).unwrap();
        });
    }
    drop(tx);
    (0..2).map(|_| rx.recv().expect(STUCK)).collect()
}

#[test]
fn parallel_map_returns_the_results_in_order() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(2);
        // Item 0 waits until item 2 has started. On two workers, item 2 can
        // start only once item 1's job is over, result sent: the result of
        // item 1 always arrives before that of item 0.
        let gate = Gate::default();
        let f = move |i: usize| {
            match i {
                0 => gate.wait(),
                2 => gate.open(),
                _ => {}
            }
            i * 10
        };
        assert_eq!(
            parallel_map(&pool, vec![0, 1, 2], counted(3, f)),
            [0, 10, 20],
            "the results must be in the order of the items, not in the order the \
             jobs finished: send each result with its index ({SECTION})"
        );
        let squares = parallel_map(&pool, (0..50u64).collect(), counted(50, |x| x * x));
        assert_eq!(
            squares,
            (0..50u64).map(|x| x * x).collect::<Vec<_>>(),
            "f applied to each item, in the order of the items ({SECTION})"
        );
        assert!(
            parallel_map(&pool, Vec::<u8>::new(), |x| x).is_empty(),
            "no items, no results ({SECTION})"
        );
    });
}

/// For every number of items from none to 6, and for 300, each item is
/// given to `f` once, on one of the pool's workers: even a single item is
/// a job on the pool.
#[test]
fn parallel_map_runs_every_item_once_on_the_pools_threads() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let caller = thread::current().id();
        let pool = ThreadPool::new(2);
        let workers = two_worker_ids(&pool);
        for count in (0..=6).chain([300]) {
            let calls: Arc<Vec<AtomicUsize>> =
                Arc::new((0..count).map(|_| AtomicUsize::new(0)).collect());
            let record = Arc::clone(&calls);
            let f = move |i: usize| {
                record[i].fetch_add(1, SeqCst);
                (i * 3, thread::current().id())
            };
            let results = parallel_map(&pool, (0..count).collect(), counted(count, f));
            let values: Vec<usize> = results.iter().map(|(v, _)| *v).collect();
            assert_eq!(
                values,
                (0..count).map(|i| i * 3).collect::<Vec<_>>(),
                "parallel_map of {count} item(s): f applied to each item, in the order of \
                 the items ({SECTION})"
            );
            let runs: Vec<usize> = calls.iter().map(|c| c.load(SeqCst)).collect();
            assert!(
                runs.iter().all(|&n| n == 1),
                "parallel_map of {count} item(s) called f this many times per item: \
                 {runs:?}; once each ({SECTION})"
            );
            for (_, id) in &results {
                assert!(
                    *id != caller,
                    "parallel_map of {count} item(s) called f on the thread that called \
                     parallel_map: every call must be a job on the pool, however few \
                     items there are ({SECTION})"
                );
                assert!(
                    workers.contains(id),
                    "parallel_map of {count} item(s) called f on a thread that is not one \
                     of the pool's workers: give each item to pool.execute ({SECTION})"
                );
            }
        }
    });
}

#[test]
fn parallel_map_runs_f_on_the_pools_threads_at_once() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(2);
        let workers = two_worker_ids(&pool);
        waiting_for(|| {
            format!(
                "two items never ran at the same time on a pool of 2 workers: here each call \
                 to f waits until both have started. Give every item to the pool as a job of \
                 its own with execute, and only then wait for the results ({SECTION})."
            )
        });
        let meeting = Barrier::new(2);
        let f = move |_: usize| {
            meeting.wait();
            thread::current().id()
        };
        let ids: HashSet<ThreadId> = parallel_map(&pool, vec![0, 1], f).into_iter().collect();
        assert_eq!(
            ids, workers,
            "f must run on the pool's workers, the two of them, not on threads of \
             its own ({SECTION})"
        );
        // Four items on four workers: every call is a job of its own, so
        // all four run at once.
        let pool = ThreadPool::new(4);
        let started = Arc::new(AtomicUsize::new(0));
        {
            let started = Arc::clone(&started);
            waiting_for(move || {
                format!(
                    "on a pool of 4 workers, 4 items, each waiting until all 4 calls of f have \
                     started, never all started: only {} did. Every call of f must be a job \
                     of its own on the pool, not a batch of several items in one job \
                     ({SECTION}).",
                    started.load(SeqCst)
                )
            });
        }
        let meeting = Barrier::new(4);
        let counter = Arc::clone(&started);
        let f = move |i: usize| {
            counter.fetch_add(1, SeqCst);
            meeting.wait();
            i
        };
        assert_eq!(
            parallel_map(&pool, vec![0, 1, 2, 3], f),
            [0, 1, 2, 3],
            "{SECTION}"
        );
    });
}

/// Counts the calls of `f` that have ended, however they ended.
struct Ended(Arc<AtomicUsize>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// What the test saw when `parallel_map` did not return: on how many of
/// its `items` `f` has ended, and whether one of them panicked.
fn map_stuck(ended: usize, items: usize, one_panicked: bool) -> String {
    let how = if one_panicked {
        ", one of them by panicking"
    } else {
        ""
    };
    if ended < items {
        format!(
            "parallel_map did not return: f has ended on only {ended} of {items} items{how}. \
             Every item must be a job on the pool; does your pool from 7.6.3 run every job, \
             and go on after a job panics? ({SECTION})"
        )
    } else if one_panicked {
        format!(
            "parallel_map did not return, although f has ended on all {items} items, one of \
             them by panicking: the job whose f panicked sent no result, so waiting for one \
             result per item waits for ever. Wait instead until the channel closes, which \
             it does when every job has ended and dropped its Sender, but only if no other \
             Sender is left: drop your own after the last execute, and keep none in the \
             closure that the jobs share ({SECTION})."
        )
    } else {
        format!(
            "parallel_map did not return, although f has ended on all {items} items: it \
             waits for more from a channel that is still open, because a Sender is still \
             alive. Drop your own Sender after the last execute, and keep none in the \
             closure that every job shares (the closure lives as long as parallel_map \
             holds it); or stop after one result per item ({SECTION})."
        )
    }
}

/// `f`, counting the calls that have ended (however they ended) in a new
/// counter, which is also what the test reports if `parallel_map` hangs.
fn counted<T, R>(
    items: usize,
    f: impl Fn(T) -> R + Send + Sync + 'static,
) -> impl Fn(T) -> R + Send + Sync + 'static {
    let ended = Arc::new(AtomicUsize::new(0));
    {
        let ended = Arc::clone(&ended);
        waiting_for(move || map_stuck(ended.load(SeqCst), items, false));
    }
    move |item| {
        let _ended = Ended(Arc::clone(&ended));
        f(item)
    }
}

#[test]
fn parallel_map_passes_on_a_panic_in_f() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(2);
        assert_eq!(
            parallel_map(&pool, vec![1, 2, 3], counted(3, |x: i32| -x)),
            [-1, -2, -3],
            "{SECTION}"
        );
        let ended = Arc::new(AtomicUsize::new(0));
        {
            let ended = Arc::clone(&ended);
            waiting_for(move || map_stuck(ended.load(SeqCst), 6, true));
        }
        let message = deliberate("f on item 3");
        let counter = Arc::clone(&ended);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            parallel_map(&pool, (0..6).collect(), move |x: i32| {
                let _ended = Ended(Arc::clone(&counter));
                if x == 3 {
                    panic!("{message}");
                }
                x
            })
        }));
        let payload = match outcome {
            Ok(results) => panic!(
                "f panicked on item 3, so parallel_map must panic too, not return results \
                 ({SECTION}): {results:?}"
            ),
            Err(payload) => payload,
        };
        common::assert_not_todo(&*payload, "parallel_map");
        assert_eq!(
            parallel_map(&pool, vec![4, 5], counted(2, |x: i32| x + 1)),
            [5, 6],
            "the pool still works after a job panicked ({SECTION})"
        );
    });
}

#[test]
fn parallel_map_panics_only_after_the_other_items_are_done() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(2);
        // Item 0 panics at once. Items 1 and 2 take a moment, and notice if
        // parallel_map returns, or panics, meanwhile.
        let returned = Gate::default();
        let started = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicUsize::new(0));
        let ended = Arc::new(AtomicUsize::new(0));
        let saw_return = Arc::new(AtomicBool::new(false));
        {
            let ended = Arc::clone(&ended);
            waiting_for(move || map_stuck(ended.load(SeqCst), 3, true));
        }
        let message = deliberate("f on item 0");
        let f = {
            let (returned, started, done, ended, saw_return) = (
                returned.clone(),
                Arc::clone(&started),
                Arc::clone(&done),
                Arc::clone(&ended),
                Arc::clone(&saw_return),
            );
            move |i: usize| {
                let _ended = Ended(Arc::clone(&ended));
                if i == 0 {
                    panic!("{message}");
                }
                started.fetch_add(1, SeqCst);
                saw_return.fetch_or(returned.wait_at_most(GRACE), SeqCst);
                done.fetch_add(1, SeqCst);
                i
            }
        };
        let outcome =
            panic::catch_unwind(AssertUnwindSafe(|| parallel_map(&pool, vec![0, 1, 2], f)));
        let done_then = done.load(SeqCst);
        let started_then = started.load(SeqCst);
        returned.open();
        let payload = match outcome {
            Ok(results) => panic!(
                "f panicked on item 0, so parallel_map must panic too, not return results \
                 ({SECTION}): {results:?}"
            ),
            Err(payload) => payload,
        };
        common::assert_not_todo(&*payload, "parallel_map");
        assert!(
            started_then == 2,
            "parallel_map panicked before f had even started on {} of the 2 other items: \
             after the panic on item 0, the others never ran. Give every item a job of its \
             own on the pool (not one job for all of them), let the other items finish, \
             and panic only then ({SECTION})",
            2 - started_then
        );
        assert!(
            done_then == 2 && !saw_return.load(SeqCst),
            "parallel_map panicked while f was still running on {} of the 2 other items: \
             it must let the other items finish, and panic only then. A job whose f \
             panicked sends no result; once every job has ended (the channel closes), a \
             missing result is the sign ({SECTION})",
            2 - done_then
        );
    });
}

/// What a wrong count says about how the pieces' counts were merged.
fn counts_hint(got: &HashMap<String, usize>, expected: &HashMap<String, usize>) -> String {
    let too_few = expected
        .iter()
        .any(|(word, n)| got.get(word).is_some_and(|g| g < n));
    let too_many = expected
        .iter()
        .any(|(word, n)| got.get(word).is_some_and(|g| g > n));
    let missing = expected.keys().any(|word| !got.contains_key(word));
    let mut hint = String::new();
    if too_few {
        hint.push_str(
            " Some words are counted too few times: when you merge the pieces' counts, \
             add each one to the total (`*total.entry(word).or_insert(0) += n`); \
             `insert` or `extend` replaces it.",
        );
    }
    if too_many {
        hint.push_str(" Some words are counted too many times: do two pieces overlap?");
    }
    if missing {
        hint.push_str(
            " Some words are missing: do the pieces cover the whole text, and is \
             every piece's count merged?",
        );
    }
    hint
}

#[test]
fn word_counts_counts_every_word() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(2);
        let text = "the cat and the hat\nand the bat  ran";
        let expected: HashMap<String, usize> = [
            ("the", 3),
            ("and", 2),
            ("cat", 1),
            ("hat", 1),
            ("bat", 1),
            ("ran", 1),
        ]
        .into_iter()
        .map(|(word, n)| (word.to_owned(), n))
        .collect();
        assert_eq!(
            word_counts_sequential(text),
            expected,
            "word_counts_sequential is given: put it back as it was ({SECTION})"
        );
        for parts in 1..=4 {
            let counts = word_counts(&pool, Arc::from(text), parts);
            assert_eq!(
                counts,
                expected,
                "word_counts with {parts} parts on {text:?}.{} ({SECTION})",
                counts_hint(&counts, &expected)
            );
        }
    });
}

#[test]
fn word_counts_match_the_sequential_count() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(3);
        let long = corpus(30_000, 3);
        for text in SMALL.iter().copied().chain([long.as_str()]) {
            let expected = word_counts_sequential(text);
            for parts in 1..=6 {
                let counts = word_counts(&pool, Arc::from(text), parts);
                if counts != expected {
                    let wrong: Vec<_> = expected
                        .iter()
                        .filter(|(word, n)| counts.get(*word) != Some(n))
                        .take(3)
                        .map(|(word, n)| format!("{word:?}: {:?} instead of {n}", counts.get(word)))
                        .collect();
                    let extra: Vec<&String> = counts
                        .keys()
                        .filter(|word| !expected.contains_key(*word))
                        .take(3)
                        .collect();
                    panic!(
                        "word_counts with {parts} parts differs from \
                         word_counts_sequential on a text of {} bytes: {wrong:?}, words \
                         that are not in the text: {extra:?}.{} ({SECTION})",
                        text.len(),
                        counts_hint(&counts, &expected)
                    );
                }
            }
        }
    });
}

#[test]
fn word_counts_counts_on_the_pool() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(1);
        let text = corpus(2_000, 5);
        let expected = word_counts_sequential(&text);
        // The only worker is busy until the gate opens: nothing given to the
        // pool can run before that. One part (a single job) and three.
        let gate = Gate::default();
        {
            let gate = gate.clone();
            pool.execute(move || gate.wait());
        }
        let (tx, rx) = mpsc::channel();
        let early = thread::scope(|s| {
            for parts in [1, 3] {
                let (tx, pool, text) = (tx.clone(), &pool, text.as_str());
                s.spawn(move || tx.send((parts, word_counts(pool, Arc::from(text), parts))));
            }
            let early = rx.recv_timeout(GRACE);
            // Let the worker go, whatever happened, so that the pool can be
            // dropped at the end.
            gate.open();
            early
        });
        if let Ok((parts, _)) = early {
            panic!(
                "word_counts with {parts} part(s) returned while the pool's only worker was \
                 busy: the words were counted somewhere else. Count each piece in a job on \
                 the pool, even when there is only one piece ({SECTION})"
            );
        }
        for _ in 0..2 {
            let (parts, counts) = rx
                .recv()
                .expect("word_counts returned once the worker was free");
            assert_eq!(
                counts,
                expected,
                "word_counts with {parts} part(s).{} ({SECTION})",
                counts_hint(&counts, &expected)
            );
        }
    });
}

/// Bytes that the threads a test has tagged (see
/// [`word_counts_does_not_copy_the_text`]) have allocated and not freed
/// yet, and the most there were at once since the test last looked. Every
/// other thread's allocations are not counted.
static TAGGED_LIVE: AtomicIsize = AtomicIsize::new(0);
static TAGGED_PEAK: AtomicIsize = AtomicIsize::new(0);

thread_local! {
    static TAGGED: Cell<bool> = const { Cell::new(false) };
}

/// `bytes` more (or fewer) bytes in use, if this thread is tagged.
fn count_allocation(bytes: isize) {
    if TAGGED.try_with(Cell::get).unwrap_or(false) {
        let now = TAGGED_LIVE.fetch_add(bytes, SeqCst) + bytes;
        TAGGED_PEAK.fetch_max(now, SeqCst);
    }
}

fn size(bytes: usize) -> isize {
    isize::try_from(bytes).unwrap_or(isize::MAX)
}

/// The system allocator, counting what tagged threads have in use.
struct Counting;

// SAFETY: every call is passed on to the system allocator unchanged; the
// count touches only atomics and a const thread-local without a
// destructor, none of which allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation(size(layout.size()));
        // SAFETY: the caller's promises about `layout` are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation(size(layout.size()));
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count_allocation(-size(layout.size()));
        // SAFETY: `ptr` came from this allocator, that is, from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation(size(new_size) - size(layout.size()));
        // SAFETY: as for `dealloc`, and the caller's promises about
        // `new_size` are passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Tags (or untags) this thread and the pool's two workers, whose
/// allocations the test then counts.
fn tag_threads(pool: &ThreadPool, on: bool) {
    TAGGED.set(on);
    let meeting = Arc::new(Barrier::new(2));
    let (tx, rx) = mpsc::channel();
    for _ in 0..2 {
        let (meeting, tx) = (Arc::clone(&meeting), tx.clone());
        pool.execute(move || {
            meeting.wait();
            TAGGED.set(on);
            let _ = tx.send(());
        });
    }
    for _ in 0..2 {
        rx.recv().expect(STUCK);
    }
}

#[test]
fn word_counts_does_not_copy_the_text() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(2);
        // Few different words, so counting them allocates little.
        let text: Arc<str> = Arc::from("the cat sat on the mat\n".repeat(20_000));
        let expected = word_counts_sequential(&text);
        tag_threads(&pool, true);
        let before = TAGGED_LIVE.load(SeqCst);
        TAGGED_PEAK.store(before, SeqCst);
        let counts = word_counts(&pool, Arc::clone(&text), 2);
        let most = TAGGED_PEAK.load(SeqCst) - before;
        tag_threads(&pool, false);
        assert_eq!(counts, expected, "word_counts in 2 parts ({SECTION})");
        assert!(
            most < size(text.len() / 4),
            "word_counts had up to {most} bytes of memory in use at once to count a text \
             of {} bytes, in which only 5 different words occur: about as much as the \
             text, so the text was copied. Do not copy the pieces into Strings: give each job the range of its \
             piece, and let it count `&text[range]` of the one shared Arc<str> \
             (book: 7.5 A parallel job, measured)",
            text.len()
        );
    });
}

#[test]
fn word_counts_needs_at_least_one_part() {
    watchdog_diagnosed(diagnosis(STUCK), || {
        let pool = ThreadPool::new(1);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            word_counts(&pool, Arc::from("some words"), 0)
        }));
        let payload = outcome.err().unwrap_or_else(|| {
            panic!(
                "word_counts(pool, text, 0) must panic: zero parts cannot cover a text ({SECTION})"
            )
        });
        common::assert_not_todo(&*payload, "word_counts(pool, text, 0)");
    });
}
