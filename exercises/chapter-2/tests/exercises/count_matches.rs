use crate::chapter_2::count_matches::count_matches;
use crate::common::Meeting;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ptr;
use std::sync::Mutex;
use std::thread::{self, ThreadId};
use test_support::watchdog;

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
            "one count per query, in the order of the queries ({SECTION})"
        );
        assert!(
            count_matches(&fruit, &queries(&[]), starts_with).is_empty(),
            "no queries, no counts ({SECTION})"
        );
        assert_eq!(
            count_matches(&[], &queries(&["a", "b"]), starts_with),
            [0, 0],
            "no items: every count is 0 ({SECTION})"
        );
    });
}

#[test]
fn asks_about_every_pair_exactly_once() {
    watchdog(STUCK, || {
        let fruit = items(FRUIT);
        let asked = Mutex::new(BTreeMap::<(usize, usize), usize>::new());
        count_matches(
            &fruit,
            &queries(&["a", "b", "c"]),
            |q: &Query, item: &Item| {
                *asked
                    .lock()
                    .unwrap()
                    .entry((q.index, item.index))
                    .or_default() += 1;
                starts_with(q, item)
            },
        );
        let asked = asked.into_inner().unwrap();
        let expected: BTreeMap<(usize, usize), usize> = (0..3)
            .flat_map(|q| (0..fruit.len()).map(move |i| ((q, i), 1)))
            .collect();
        assert_eq!(
            asked, expected,
            "`matches` must be called exactly once for each (query, item) pair \
             ({SECTION})"
        );
    });
}

#[test]
fn each_query_is_counted_by_a_thread_of_its_own() {
    watchdog(STUCK, || {
        let caller = thread::current().id();
        let fruit = items(FRUIT);
        let seen = Mutex::new(BTreeMap::<usize, HashSet<ThreadId>>::new());
        count_matches(
            &fruit,
            &queries(&["a", "b", "c", "d"]),
            |q: &Query, item: &Item| {
                let me = thread::current().id();
                seen.lock().unwrap().entry(q.index).or_default().insert(me);
                starts_with(q, item)
            },
        );
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 4, "every query must be counted ({SECTION})");
        for (query, threads) in &seen {
            assert_eq!(
                threads.len(),
                1,
                "query {query} was counted by {} threads: one scoped thread counts \
                 one whole query ({SECTION})",
                threads.len()
            );
        }
        let threads: HashSet<&ThreadId> = seen.values().flatten().collect();
        assert!(
            !threads.contains(&caller),
            "a query was counted on the calling thread: spawn a scoped thread for \
             every query (book: 2.4 Scoped threads)"
        );
        assert_eq!(
            threads.len(),
            4,
            "4 queries must be counted by 4 different threads ({SECTION})"
        );
    });
}

#[test]
fn the_queries_are_counted_at_the_same_time() {
    watchdog(
        "the queries were not counted at the same time. Here the first call to \
         `matches` on each thread waits until every query's thread has started; \
         if you join each scoped thread right after spawning it, or count every \
         query on one thread, it waits forever. Spawn all the threads first, then \
         join them, or let the scope join them (book: 2.4 Scoped threads).",
        || {
            let fruit = items(FRUIT);
            let meeting = Meeting::new(3);
            let counts = count_matches(
                &fruit,
                &queries(&["a", "b", "c"]),
                |q: &Query, item: &Item| {
                    meeting.arrive();
                    starts_with(q, item)
                },
            );
            assert_eq!(counts, [3, 3, 1], "{SECTION}");
        },
    );
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
