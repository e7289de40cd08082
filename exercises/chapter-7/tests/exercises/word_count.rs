use crate::chapter_7::resilient::ThreadPool;
use crate::chapter_7::word_count::{
    parallel_map, split_at_whitespace, word_counts, word_counts_sequential,
};
use crate::common::{self, GRACE, Gate};
use std::collections::{HashMap, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};
use test_support::watchdog;

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
    let ranges = split_at_whitespace(text, parts);
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
    watchdog(STUCK, || {
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

#[test]
fn split_never_cuts_a_word_in_two() {
    watchdog(STUCK, || {
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
    watchdog(STUCK, || {
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
    watchdog(STUCK, || {
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
            parallel_map(&pool, vec![0, 1, 2], f),
            [0, 10, 20],
            "the results must be in the order of the items, not in the order the \
             jobs finished: send each result with its index ({SECTION})"
        );
        let squares = parallel_map(&pool, (0..50u64).collect(), |x| x * x);
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

#[test]
fn parallel_map_runs_f_on_the_pool_threads_at_once() {
    watchdog(
        "two items never ran at the same time on a pool of 2 workers: here each \
         call to f waits until both have started. Give every item to the pool as a \
         job of its own with execute, and only then wait for the results \
         (book: 7.6.4 Word frequencies on the pool).",
        || {
            let pool = ThreadPool::new(2);
            let workers = two_worker_ids(&pool);
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
            let seen = Arc::new(Mutex::new(HashSet::new()));
            let record = Arc::clone(&seen);
            parallel_map(&pool, (0..40).collect(), move |i: u32| {
                record.lock().unwrap().insert(thread::current().id());
                i
            });
            assert!(
                seen.lock().unwrap().is_subset(&workers),
                "f ran on a thread that is not one of the pool's workers: use \
                 pool.execute ({SECTION})"
            );
        },
    );
}

#[test]
fn parallel_map_passes_on_a_panic_in_f() {
    watchdog(
        "parallel_map waited for a result that never came: the job whose f \
         panicked dropped its Sender without sending. Drop your own Sender, and \
         stop waiting when the channel closes (book: 7.6.4 Word frequencies on the pool).",
        || {
            let pool = ThreadPool::new(2);
            assert_eq!(
                parallel_map(&pool, vec![1, 2, 3], |x: i32| -x),
                [-1, -2, -3]
            );
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                parallel_map(&pool, (0..6).collect(), |x: i32| {
                    assert_ne!(x, 3, "item 3 fails on purpose");
                    x
                })
            }));
            let payload = outcome.expect_err(
                "f panicked on item 3, so parallel_map must panic too, not return \
                 results (book: 7.6.4 Word frequencies on the pool)",
            );
            common::assert_not_todo(&*payload, "parallel_map");
            assert_eq!(
                parallel_map(&pool, vec![4, 5], |x: i32| x + 1),
                [5, 6],
                "the pool still works after a job panicked ({SECTION})"
            );
        },
    );
}

#[test]
fn word_counts_counts_every_word() {
    watchdog(STUCK, || {
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
            assert_eq!(
                word_counts(&pool, Arc::from(text), parts),
                expected,
                "word_counts with {parts} parts on {text:?} ({SECTION})"
            );
        }
    });
}

#[test]
fn word_counts_match_the_sequential_count() {
    watchdog(STUCK, || {
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
                         that are not in the text: {extra:?}. Add up the counts of \
                         every piece ({SECTION})",
                        text.len()
                    );
                }
            }
        }
    });
}

#[test]
fn word_counts_counts_on_the_pool() {
    watchdog(STUCK, || {
        let pool = ThreadPool::new(1);
        let text = corpus(2_000, 5);
        let expected = word_counts_sequential(&text);
        // The only worker is busy until the gate opens: nothing given to the
        // pool can run before that.
        let gate = Gate::default();
        {
            let gate = gate.clone();
            pool.execute(move || gate.wait());
        }
        let (tx, rx) = mpsc::channel();
        let early = thread::scope(|s| {
            s.spawn(|| tx.send(word_counts(&pool, Arc::from(text.as_str()), 3)));
            let early = rx.recv_timeout(GRACE);
            // Let the worker go, whatever happened, so that the pool can be
            // dropped at the end.
            gate.open();
            early
        });
        assert!(
            early.is_err(),
            "word_counts returned while the pool's only worker was busy: the words \
             were counted somewhere else. Count each piece in a job on the pool \
             ({SECTION})"
        );
        assert_eq!(
            rx.recv()
                .expect("word_counts returned once the worker was free"),
            expected,
            "{SECTION}"
        );
    });
}
