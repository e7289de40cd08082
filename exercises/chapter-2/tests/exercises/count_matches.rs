//! The clauses of `count_matches` (every sentence of its doc comment), each
//! with the tests that fail without it:
//!
//! - "For each query, counts the items that `matches(query, item)` accepts,
//!   and returns the counts in the order of the queries.":
//!   counts_every_query_in_order
//! - "Every query is counted by a scoped thread of its own, all of them at
//!   the same time, and every thread reads the caller's `items` in place:
//!   nothing is copied, cloned or put behind an `Arc`. `matches` is called
//!   exactly once for each pair of a query and an item.":
//!   each_query_is_counted_by_a_thread_of_its_own,
//!   the_queries_are_counted_at_the_same_time,
//!   the_threads_read_the_callers_data_in_place,
//!   asks_about_every_pair_exactly_once
//! - "No threads are started when there are no queries.":
//!   no_queries_no_counts
//!
//! (A thread that is started but never calls `matches` cannot be seen by
//! a test; `no_queries_no_counts` checks what can be: no call, no count,
//! no panic.)

use crate::chapter_2::count_matches::count_matches;
use crate::common::{Arrival, Meeting, Round, describe, more_than_cores};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::panic::{self, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use test_support::{watchdog, watchdog_diagnosed};

const SECTION: &str = "book: 2.7.2 Count in parallel, without copying";
const STUCK: &str = "a counting thread that never finishes, or a scope that never ends. \
                     Spawn one scoped thread per query inside thread::scope, and let the \
                     scope join them (book: 2.4 Scoped threads).";

/// An item that can be neither cloned nor copied, so the threads can only
/// borrow it. `index` is its place in the test's slice.
#[derive(Debug)]
struct Item {
    index: usize,
    word: String,
}

/// A query that can be neither cloned nor copied.
#[derive(Debug)]
struct Query {
    index: usize,
    prefix: &'static str,
}

fn items(words: &str) -> Vec<Item> {
    words
        .split_whitespace()
        .enumerate()
        .map(|(index, word)| Item {
            index,
            word: word.to_owned(),
        })
        .collect()
}

fn queries(prefixes: &[&'static str]) -> Vec<Query> {
    prefixes
        .iter()
        .enumerate()
        .map(|(index, &prefix)| Query { index, prefix })
        .collect()
}

/// `n` queries: the first few letters, then more of them.
fn many_queries(n: usize) -> Vec<Query> {
    const LETTERS: [&str; 26] = [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
        "s", "t", "u", "v", "w", "x", "y", "z",
    ];
    (0..n)
        .map(|index| Query {
            index,
            prefix: LETTERS[index % LETTERS.len()],
        })
        .collect()
}

fn starts_with(query: &Query, item: &Item) -> bool {
    item.word.starts_with(query.prefix)
}

const FRUIT: &str = "apple avocado banana blueberry cherry apricot date blackberry";

#[test]
fn counts_every_query_in_order() {
    watchdog(STUCK, || {
        let fruit = items(FRUIT);
        let counts = count_matches(&fruit, &queries(&["a", "b", "c", "z", ""]), starts_with);
        assert_eq!(
            counts,
            [3, 3, 1, 0, 8],
            "one count per query, in the order of the queries.{} ({SECTION})",
            order_hint(&counts, &[3, 3, 1, 0, 8])
        );
        assert_eq!(
            count_matches(&[], &queries(&["a", "b"]), starts_with),
            [0, 0],
            "no items: every count is 0 ({SECTION})"
        );
        // Every number of queries from 1 to 7 with every number of items up
        // to 8 (no queries at all: see no_queries_no_counts).
        let prefixes = ["b", "a", "", "bl", "z", "c", "ap"];
        for q in 1..=prefixes.len() {
            for i in 0..=fruit.len() {
                let some = &fruit[..i];
                let asked = queries(&prefixes[..q]);
                let expected: Vec<usize> = asked
                    .iter()
                    .map(|query| some.iter().filter(|item| starts_with(query, item)).count())
                    .collect();
                let counts = count_matches(some, &asked, starts_with);
                assert_eq!(
                    counts,
                    expected,
                    "{q} queries, {i} items: one count per query, in the order of the \
                     queries.{} ({SECTION})",
                    order_hint(&counts, &expected)
                );
            }
        }
    });
}

/// What is wrong with the order of `got`, when it holds the right counts.
fn order_hint(got: &[usize], expected: &[usize]) -> &'static str {
    let mut reversed = expected.to_vec();
    reversed.reverse();
    let (mut a, mut b) = (got.to_vec(), expected.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    if got != expected && got == reversed.as_slice() {
        " The counts came out reversed: the handles were joined from the last one \
         (Vec::pop?). Join them in the order of the queries"
    } else if got != expected && a == b {
        " The right counts in another order: the order in which the threads \
         finished? Keep each thread's handle, and take the counts from the handles \
         in the order of the queries"
    } else {
        ""
    }
}

#[test]
fn no_queries_no_counts() {
    watchdog(STUCK, || {
        for fruit in [items(FRUIT), Vec::new()] {
            let called = AtomicUsize::new(0);
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                count_matches(&fruit, &queries(&[]), |_: &Query, _: &Item| {
                    called.fetch_add(1, Ordering::SeqCst);
                    false
                })
            }));
            let counts = match outcome {
                Ok(counts) => counts,
                Err(payload) => panic!(
                    "count_matches with no queries (and {} items) panicked, with {}: with no \
                     queries there is nothing to count and no thread to start. Return an \
                     empty Vec before you divide the queries among threads (a chunk size of \
                     0, or a division by zero, panics) ({SECTION})",
                    fruit.len(),
                    describe(&*payload)
                ),
            };
            assert!(
                counts.is_empty(),
                "no queries, no counts: got {counts:?} ({SECTION})"
            );
            assert_eq!(
                called.into_inner(),
                0,
                "there are no queries, but `matches` was called ({SECTION})"
            );
        }
    });
}

#[test]
fn asks_about_every_pair_exactly_once() {
    watchdog(STUCK, || {
        let fruit = items(FRUIT);
        for q in 1..=5 {
            for i in [0, 1, 3, fruit.len()] {
                let some = &fruit[..i];
                let asked = Mutex::new(BTreeMap::<(usize, usize), usize>::new());
                count_matches(some, &many_queries(q), |q: &Query, item: &Item| {
                    *asked
                        .lock()
                        .unwrap()
                        .entry((q.index, item.index))
                        .or_default() += 1;
                    starts_with(q, item)
                });
                let asked = asked.into_inner().unwrap();
                let expected: BTreeMap<(usize, usize), usize> = (0..q)
                    .flat_map(|q| (0..i).map(move |i| ((q, i), 1)))
                    .collect();
                let wrong: Vec<String> = expected
                    .keys()
                    .chain(asked.keys())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .filter(|pair| asked.get(pair) != expected.get(pair))
                    .map(|pair| {
                        format!(
                            "(query {}, item {}) {} times",
                            pair.0,
                            pair.1,
                            asked.get(pair).unwrap_or(&0)
                        )
                    })
                    .collect();
                assert!(
                    wrong.is_empty(),
                    "`matches` must be called exactly once for each (query, item) pair; with \
                     {q} queries and {i} items it was called for {} ({SECTION})",
                    wrong.join(", ")
                );
            }
        }
    });
}

#[test]
fn each_query_is_counted_by_a_thread_of_its_own() {
    watchdog(STUCK, || {
        let caller = thread::current().id();
        let fruit = items(FRUIT);
        for n in [4, 1, 2, more_than_cores(9)] {
            let seen = Mutex::new(BTreeMap::<usize, HashSet<ThreadId>>::new());
            count_matches(&fruit, &many_queries(n), |q: &Query, item: &Item| {
                let me = thread::current().id();
                seen.lock().unwrap().entry(q.index).or_default().insert(me);
                starts_with(q, item)
            });
            let seen = seen.into_inner().unwrap();
            assert_eq!(seen.len(), n, "every query must be counted ({SECTION})");
            let threads: HashSet<&ThreadId> = seen.values().flatten().collect();
            assert!(
                !threads.contains(&caller),
                "a query was counted on the calling thread (with {n} queries): spawn a \
                 scoped thread for every query, the first and the only one too \
                 (book: 2.4 Scoped threads)"
            );
            for (query, threads) in &seen {
                assert_eq!(
                    threads.len(),
                    1,
                    "query {query} was counted by {} threads: one scoped thread counts one \
                     whole query, over all the items; do not split the items among \
                     threads ({SECTION})",
                    threads.len()
                );
            }
            assert_eq!(
                threads.len(),
                n,
                "{n} queries must be counted by {n} different threads, one each, however \
                 many cores there are ({SECTION})"
            );
        }
    });
}

/// What `the_queries_are_counted_at_the_same_time` shares with its watchdog.
static ROUND: Round = Round::new();

fn diagnose_round() -> String {
    let Some((meeting, arrivals, caller)) = ROUND.seen() else {
        return STUCK.to_owned();
    };
    let n = meeting.expected();
    let k = arrivals.len();
    if arrivals.iter().any(|a| Some(a.id) == caller) {
        return format!(
            "a query was counted on the calling thread (with {n} queries), where its \
                 first call to `matches` waits for every query's thread to start. Spawn a \
                 scoped thread for every query; the caller only waits for them \
                 (book: 2.4 Scoped threads)."
        );
    }
    let cores = thread::available_parallelism().map_or(1, |c| c.get());
    let names: Vec<String> = arrivals.iter().map(Arrival::shown).collect();
    let why = if k <= 1 {
        "So the queries are counted one after another: you join each scoped thread \
             right after spawning it, or count every query on one thread."
            .to_owned()
    } else if k == cores {
        format!(
            "{k} is the number of cores here: you cap the threads at \
                 available_parallelism(), but every query needs a scoped thread of its \
                 own, however many queries there are."
        )
    } else {
        format!(
            "So you start {k} threads at a time, or give some threads several \
                 queries; every query needs a scoped thread of its own."
        )
    };
    format!(
        "the queries were not counted at the same time. With {n} queries, the first \
             call to `matches` on each thread waits until every query's thread has made \
             its first call, and only {k} had ({}). {why} Spawn all the threads first, then \
             join them, or let the scope join them (book: 2.4 Scoped threads).",
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    )
}

#[test]
fn the_queries_are_counted_at_the_same_time() {
    watchdog_diagnosed(diagnose_round, || {
        let round = &ROUND;
        round.set_caller(thread::current().id());
        let fruit = items(FRUIT);
        for n in [3, 2, more_than_cores(9)] {
            let meeting = Arc::new(Meeting::new(n));
            round.set_meeting(Arc::clone(&meeting));
            let asked = many_queries(n);
            let expected: Vec<usize> = asked
                .iter()
                .map(|q| fruit.iter().filter(|item| starts_with(q, item)).count())
                .collect();
            let counts = count_matches(&fruit, &asked, |q: &Query, item: &Item| {
                meeting.arrive();
                starts_with(q, item)
            });
            assert_eq!(counts, expected, "{SECTION}");
        }
    });
}

#[test]
fn the_threads_read_the_callers_data_in_place() {
    watchdog(STUCK, || {
        let fruit = items(FRUIT);
        let asked = queries(&["a", "b"]);
        let outside = Mutex::new(BTreeSet::new());
        count_matches(&fruit, &asked, |q: &Query, item: &Item| {
            if !fruit.as_ptr_range().contains(&ptr::from_ref(item)) {
                outside
                    .lock()
                    .unwrap()
                    .insert(format!("item {}", item.index));
            }
            if !asked.as_ptr_range().contains(&ptr::from_ref(q)) {
                outside.lock().unwrap().insert(format!("query {}", q.index));
            }
            starts_with(q, item)
        });
        let outside = outside.into_inner().unwrap();
        assert!(
            outside.is_empty(),
            "`matches` was given values that are not the caller's own ({outside:?}): \
             borrow the caller's slices, do not copy them ({SECTION})"
        );
    });
}
