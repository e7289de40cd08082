use crate::chapter_1::parallel_sum::parallel_sum;
use std::collections::BTreeMap;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use test_support::watchdog;

const SECTION: &str = "book: 1.7.2 Sum in parts";
const STUCK: &str = "a summing thread that is never joined, or joined before the next \
                     one was spawned. Spawn every part first, then join them all \
                     (book: 1.4 Waiting for a thread).";

/// The numbers each thread summed, by thread name.
type SeenBy = Arc<Mutex<BTreeMap<String, Vec<u64>>>>;

/// A closure for `parallel_sum` that also notes which thread summed each
/// number.
fn recording() -> (SeenBy, impl Fn(u64) -> u64 + Send + Clone + 'static) {
    let seen: SeenBy = Arc::default();
    let log = Arc::clone(&seen);
    let f = move |x: u64| {
        let name = thread::current().name().unwrap_or("<unnamed>").to_owned();
        log.lock().unwrap().entry(name).or_default().push(x);
        x
    };
    (seen, f)
}

#[test]
fn adds_up_every_number_once() {
    watchdog(STUCK, || {
        let numbers: Vec<u64> = (1..=100).collect();
        for threads in [1, 2, 3, 4, 7] {
            assert_eq!(
                parallel_sum(numbers.clone(), threads, |x| x),
                5050,
                "the sum of 1..=100 with {threads} threads ({SECTION})"
            );
            assert_eq!(
                parallel_sum(numbers.clone(), threads, |x| x * x),
                338_350,
                "the sum of the squares of 1..=100 with {threads} threads: \
                 apply f to every number ({SECTION})"
            );
        }
    });
}

#[test]
fn each_part_is_summed_by_its_own_named_thread() {
    watchdog(STUCK, || {
        let (seen, f) = recording();
        assert_eq!(parallel_sum((0..10).collect(), 4, f), 45, "{SECTION}");
        let seen = seen.lock().unwrap();
        let names: Vec<&str> = seen.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["sum-0", "sum-1", "sum-2", "sum-3"],
            "4 parts means 4 threads named sum-0 .. sum-3, made with \
             std::thread::Builder (book: 1.6 Naming and configuring threads)"
        );
        let mut sizes: Vec<usize> = seen.values().map(Vec::len).collect();
        sizes.sort();
        assert_eq!(
            sizes,
            [2, 2, 3, 3],
            "10 numbers in 4 parts: the sizes may differ by at most one ({SECTION})"
        );
        let mut all: Vec<u64> = seen.values().flatten().copied().collect();
        all.sort();
        assert_eq!(
            all,
            (0..10).collect::<Vec<u64>>(),
            "every number exactly once ({SECTION})"
        );
    });
}

#[test]
fn never_more_threads_than_numbers() {
    watchdog(STUCK, || {
        let (seen, f) = recording();
        assert_eq!(parallel_sum(vec![5, 6], 8, f), 11, "{SECTION}");
        let names: Vec<String> = seen.lock().unwrap().keys().cloned().collect();
        assert_eq!(
            names,
            ["sum-0", "sum-1"],
            "2 numbers and 8 threads allowed: use only 2 threads ({SECTION})"
        );

        let (seen, f) = recording();
        assert_eq!(
            parallel_sum(Vec::new(), 3, f),
            0,
            "the sum of nothing is 0 ({SECTION})"
        );
        assert!(
            seen.lock().unwrap().is_empty(),
            "no numbers, so f is never called ({SECTION})"
        );
    });
}

#[test]
fn the_parts_are_summed_at_the_same_time() {
    watchdog(
        "the parts were not summed at the same time. Here each call to f waits \
         until every part has started; if you join each thread right after \
         spawning it, the first one waits forever. Spawn all the parts first, \
         then join them (book: 1.4 Waiting for a thread).",
        || {
            let parts = 4;
            let meeting = Arc::new(Barrier::new(parts));
            let f = move |x: u64| {
                meeting.wait();
                x
            };
            // One number per part, so each thread calls f exactly once.
            assert_eq!(parallel_sum(vec![1, 2, 3, 4], parts, f), 10, "{SECTION}");
        },
    );
}
