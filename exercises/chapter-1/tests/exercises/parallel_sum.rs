//! The clauses of `parallel_sum` (every sentence of its doc comment), each
//! with the tests that fail without it:
//!
//! - "Returns the sum of `f(x)` over `numbers`, computed by `threads` named
//!   threads at once (or one thread per number, if there are fewer
//!   numbers).": adds_up_every_number_once,
//!   each_part_is_summed_by_its_own_named_thread,
//!   never_more_threads_than_numbers, the_parts_are_summed_at_the_same_time
//! - "The numbers are split, in order, into parts whose sizes differ by at
//!   most one; part `i` is summed by a thread named `sum-{i}`.":
//!   each_part_is_summed_by_its_own_named_thread
//! - "No threads are started for an empty list.": no_threads_for_an_empty_list
//! - "Panics: If `threads` is zero.": zero_threads_is_refused
//!
//! How the threads are seen: `f` is a closure that notes, for every number,
//! the thread that called it, and each of its clones notes the thread that
//! drops it. `F` is `Send + Clone` but not `Sync`, so every thread that
//! sums a part holds a clone of its own, and drops it when it ends: even a
//! thread that was given no numbers shows up.

use crate::chapter_1::parallel_sum::parallel_sum;
use crate::common::{Arrival, Meeting, cores, describe, more_than_cores};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use test_support::{watchdog, watchdog_diagnosed};

const SECTION: &str = "book: 1.7.2 Sum in parts";
const STUCK: &str = "a summing thread that is never joined, or joined before the next \
                     one was spawned. Spawn every part first, then join them all \
                     (book: 1.4 Waiting for a thread).";

/// A thread, as the test saw it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    id: String,
    name: Option<String>,
    caller: bool,
}

fn this_thread(caller: ThreadId) -> Seen {
    let me = thread::current();
    Seen {
        id: format!("{:?}", me.id()),
        name: me.name().map(str::to_owned),
        caller: me.id() == caller,
    }
}

/// What happened to `f` and its clones.
#[derive(Default)]
struct Trace {
    /// For every call: the thread, and the position of the number in the list.
    calls: Vec<(Seen, usize)>,
    /// The threads on which clones of `f` were dropped.
    drops: Vec<Seen>,
}

/// Part of the closure given to `parallel_sum`: it records calls and drops.
struct Probe {
    trace: Arc<Mutex<Trace>>,
    caller: ThreadId,
}

impl Clone for Probe {
    fn clone(&self) -> Probe {
        Probe {
            trace: Arc::clone(&self.trace),
            caller: self.caller,
        }
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        let seen = this_thread(self.caller);
        self.trace
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drops
            .push(seen);
    }
}

/// The number at position `p` of the lists in these tests: all different,
/// so the test knows where each number came from.
fn number(p: usize) -> u64 {
    1000 + p as u64
}

/// Where `number(p)` stands in the list.
fn position(x: u64) -> usize {
    (x - 1000) as usize
}

/// The `f` of these tests, 2x + 1, which records what it sees.
fn traced() -> (
    Arc<Mutex<Trace>>,
    impl Fn(u64) -> u64 + Send + Clone + 'static,
) {
    let trace: Arc<Mutex<Trace>> = Arc::default();
    let probe = Probe {
        trace: Arc::clone(&trace),
        caller: thread::current().id(),
    };
    let f = move |x: u64| {
        let seen = this_thread(probe.caller);
        probe
            .trace
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .calls
            .push((seen, position(x)));
        2 * x + 1
    };
    (trace, f)
}

fn expected_sum(n: usize) -> u64 {
    (0..n).map(|p| 2 * number(p) + 1).sum()
}

fn shown(names: &[String]) -> String {
    names.join(", ")
}

/// Runs `parallel_sum` on `n` numbers with `threads` threads and checks
/// everything the doc comment says about the split; returns the first
/// problem found, in words.
fn check_split(n: usize, threads: usize) -> Result<(), String> {
    let (trace, f) = traced();
    let sum = parallel_sum((0..n).map(number).collect(), threads, f);
    let trace = std::mem::take(&mut *trace.lock().unwrap_or_else(PoisonError::into_inner));
    let case = format!("parallel_sum of {n} numbers with threads = {threads}");
    let parts = threads.min(n);

    if let Some((_, p)) = trace.calls.iter().find(|(t, _)| t.caller) {
        return Err(format!(
            "{case}: f was called on the calling thread (for the number at position {p}). \
             Each part's thread must call f on its own numbers; the caller only splits, \
             spawns and joins ({SECTION})"
        ));
    }
    // Every thread other than the caller that called f or dropped a clone
    // of it, by id.
    let mut threads_seen: BTreeMap<String, Option<String>> = BTreeMap::new();
    for t in trace.calls.iter().map(|(t, _)| t).chain(&trace.drops) {
        if !t.caller {
            threads_seen.insert(t.id.clone(), t.name.clone());
        }
    }
    if threads_seen.values().any(Option::is_none) {
        return Err(format!(
            "{case}: a summing thread has no name. Part i must be summed by a thread \
             named sum-{{i}}, made with std::thread::Builder \
             (book: 1.6 Naming and configuring threads)"
        ));
    }
    let mut calls_by_thread: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut times_called = vec![0; n];
    for (t, p) in &trace.calls {
        calls_by_thread.entry(t.id.clone()).or_default().push(*p);
        if let Some(count) = times_called.get_mut(*p) {
            *count += 1;
        }
    }
    let mut names: Vec<String> = threads_seen.values().flatten().cloned().collect();
    names.sort_by_key(|name| {
        let index = name
            .strip_prefix("sum-")
            .and_then(|i| i.parse::<usize>().ok());
        (index.unwrap_or(usize::MAX), name.clone())
    });
    if n == 0 {
        if !names.is_empty() {
            return Err(format!(
                "{case}: no threads are started for an empty list, but threads were: {} \
                 (each dropped its clone of f). Return 0 before starting any ({SECTION})",
                shown(&names)
            ));
        }
        if sum != 0 {
            return Err(format!(
                "{case}: the sum of nothing is 0, not {sum} ({SECTION})"
            ));
        }
        return Ok(());
    }
    let twice: Vec<usize> = (0..n).filter(|&p| times_called[p] > 1).collect();
    let never: Vec<usize> = (0..n).filter(|&p| times_called[p] == 0).collect();
    if !twice.is_empty() || !never.is_empty() {
        return Err(format!(
            "{case}: f must be called exactly once for every number; it was called more \
             than once for the numbers at positions {twice:?}, and never for those at \
             {never:?} ({SECTION})"
        ));
    }
    // The parts, by the index in their thread's name.
    let mut by_index: BTreeMap<usize, (String, Vec<usize>)> = BTreeMap::new();
    for (id, name) in &threads_seen {
        let name = name.clone().unwrap_or_default();
        let Some(index) = name
            .strip_prefix("sum-")
            .and_then(|i| i.parse::<usize>().ok())
        else {
            return Err(format!(
                "{case}: a summing thread is named {name:?}; part i must be summed by a \
                 thread named sum-{{i}} ({SECTION})"
            ));
        };
        let mut positions = calls_by_thread.get(id).cloned().unwrap_or_default();
        positions.sort();
        if by_index.insert(index, (name.clone(), positions)).is_some() {
            return Err(format!(
                "{case}: two threads were named {name}; part i, and only part i, is summed \
                 by sum-{{i}} ({SECTION})"
            ));
        }
    }
    let idle: Vec<String> = by_index
        .values()
        .filter(|(_, positions)| positions.is_empty())
        .map(|(name, _)| name.clone())
        .collect();
    if by_index.len() > parts {
        return Err(format!(
            "{case}: {} threads were started ({}), {} of them with no numbers ({}). There \
             are never more threads than numbers: use threads.min(numbers.len()) = {parts} \
             parts ({SECTION})",
            by_index.len(),
            shown(&names),
            idle.len(),
            shown(&idle)
        ));
    }
    let sizes: Vec<usize> = by_index.values().map(|(_, p)| p.len()).collect();
    let (smallest, largest) = (
        sizes.iter().min().copied().unwrap_or(0),
        sizes.iter().max().copied().unwrap_or(0),
    );
    if largest > smallest + 1 {
        return Err(format!(
            "{case}: the parts have {sizes:?} numbers (sum-0 first), and the sizes may \
             differ by at most one: with n numbers in p parts, every part gets n / p, and \
             the first n % p parts one more ({SECTION})"
        ));
    }
    if by_index.len() < parts {
        let cap = if by_index.len() == cores() {
            format!(
                " ({} is the number of cores here: do not cap the threads at \
                 available_parallelism(); `threads` is the caller's choice)",
                by_index.len()
            )
        } else {
            String::new()
        };
        return Err(format!(
            "{case}: only {} parts ({}), but there must be threads.min(numbers.len()) = \
             {parts}{cap}: use every thread allowed, with sizes that differ by at most one \
             ({SECTION})",
            by_index.len(),
            shown(&names)
        ));
    }
    let expected_names: Vec<usize> = (0..parts).collect();
    if by_index.keys().copied().collect::<Vec<_>>() != expected_names {
        return Err(format!(
            "{case}: the threads are named {}; part i's thread is named sum-{{i}}, from \
             sum-0 to sum-{} ({SECTION})",
            shown(&names),
            parts - 1
        ));
    }
    let mut next = 0;
    for (index, (name, positions)) in &by_index {
        let expected: Vec<usize> = (next..next + positions.len()).collect();
        if *positions != expected {
            return Err(format!(
                "{case}: part {index} ({name}) got the numbers at positions {positions:?}. \
                 The numbers are split in order: sum-0 gets the first ones, sum-1 the \
                 next, and so on, each part a run of neighbours ({SECTION})"
            ));
        }
        next += positions.len();
    }
    if sum != expected_sum(n) {
        return Err(format!(
            "{case}: returned {sum}, but the sum of f(x) is {}: add up what every part's \
             thread returned ({SECTION})",
            expected_sum(n)
        ));
    }
    Ok(())
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
        let many: Vec<u64> = (0..10_000).collect();
        assert_eq!(
            parallel_sum(many, 13, |x| x),
            49_995_000,
            "the sum of 0..10_000 with 13 threads ({SECTION})"
        );
    });
}

#[test]
fn each_part_is_summed_by_its_own_named_thread() {
    watchdog(STUCK, || {
        // The classic cases first, then every list of up to 10 numbers with
        // up to as many threads as numbers.
        let mut cases = vec![(10, 4), (8, 3), (7, 3), (12, 5), (9, 9), (1, 1)];
        for n in 1..=10 {
            cases.extend((1..=n).map(|threads| (n, threads)));
        }
        for (n, threads) in cases {
            if let Err(problem) = check_split(n, threads) {
                panic!("{problem}");
            }
        }
    });
}

#[test]
fn never_more_threads_than_numbers() {
    watchdog(STUCK, || {
        let mut cases = vec![(2, 8), (3, 4)];
        for n in 1..=6 {
            cases.extend((n + 1..=n + 4).map(|threads| (n, threads)));
        }
        for (n, threads) in cases {
            if let Err(problem) = check_split(n, threads) {
                panic!("{problem}");
            }
        }
    });
}

#[test]
fn no_threads_for_an_empty_list() {
    watchdog(STUCK, || {
        for threads in 1..=5 {
            let outcome = panic::catch_unwind(|| parallel_sum(Vec::new(), threads, |x| x));
            if let Err(payload) = outcome {
                panic!(
                    "parallel_sum of an empty list with threads = {threads} panicked, with \
                     {}: the sum of nothing is 0, and no thread is started for it. Return \
                     0 before splitting (with no numbers there are no parts, and n / parts \
                     divides by zero) ({SECTION})",
                    describe(&*payload)
                );
            }
            if let Err(problem) = check_split(0, threads) {
                panic!("{problem}");
            }
        }
    });
}

#[test]
fn zero_threads_is_refused() {
    watchdog(STUCK, || {
        // A parallel_sum that works, first: a todo!() panics for any input.
        assert_eq!(parallel_sum(vec![1, 2, 3], 2, |x| x), 6, "{SECTION}");
        for numbers in [vec![1, 2, 3], Vec::new()] {
            let len = numbers.len();
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| parallel_sum(numbers, 0, |x| x)));
            if let Ok(sum) = outcome {
                panic!(
                    "parallel_sum of {len} numbers with threads = 0 returned {sum}: it must \
                     panic if threads is zero, as its doc comment says under # Panics, even \
                     for an empty list. Check it first, with assert! ({SECTION})"
                );
            }
        }
    });
}

/// What `the_parts_are_summed_at_the_same_time` shares with its watchdog.
struct Round {
    meeting: Mutex<Option<Arc<Meeting>>>,
    caller: Mutex<Option<ThreadId>>,
    numbers: AtomicUsize,
}

static ROUND: Round = Round {
    meeting: Mutex::new(None),
    caller: Mutex::new(None),
    numbers: AtomicUsize::new(0),
};

impl Round {
    fn diagnose(&self) -> String {
        let meeting = self.meeting.try_lock().ok().and_then(|m| m.clone());
        let caller = self.caller.try_lock().ok().and_then(|c| *c);
        let Some(meeting) = meeting else {
            return STUCK.to_owned();
        };
        let Some(arrivals) = meeting.arrivals() else {
            return STUCK.to_owned();
        };
        let parts = meeting.expected();
        let n = self.numbers.load(Ordering::SeqCst);
        let mut names: Vec<String> = arrivals.iter().map(Arrival::shown).collect();
        names.sort();
        if arrivals.iter().any(|a| Some(a.id) == caller) {
            return format!(
                "f was called on the calling thread (parallel_sum of {n} numbers with \
                 threads = {parts}): there it waits for the parts' threads, which never \
                 come. Call f only on the summing threads, each on its own part \
                 ({SECTION})."
            );
        }
        format!(
            "the parts were not summed at the same time. parallel_sum of {n} numbers with \
             threads = {parts}: the first call to f on each thread waits here until all \
             {parts} parts have started, and only {} had ({}). If that is one thread, you \
             join each thread right after spawning it. If it is more, either you start \
             the threads a few at a time (or no more than the {} cores here), or you split \
             the numbers into fewer than {parts} parts (the test \
             each_part_is_summed_by_its_own_named_thread checks the split, and fails too \
             if so). Spawn all the parts first, then join them \
             (book: 1.4 Waiting for a thread).",
            arrivals.len(),
            if names.is_empty() {
                "none".to_owned()
            } else {
                shown(&names)
            },
            cores()
        )
    }
}

#[test]
fn the_parts_are_summed_at_the_same_time() {
    watchdog_diagnosed(
        || ROUND.diagnose(),
        || {
            let round = &ROUND;
            *round.caller.lock().unwrap() = Some(thread::current().id());
            for parts in [4, 2, 3, more_than_cores(9)] {
                // A few numbers per part, so that each thread calls f more
                // than once; only the first call waits.
                let n = 2 * parts + 1;
                let meeting = Arc::new(Meeting::new(parts));
                *round.meeting.lock().unwrap() = Some(Arc::clone(&meeting));
                round.numbers.store(n, Ordering::SeqCst);
                let f = move |x: u64| {
                    meeting.arrive();
                    x
                };
                let numbers: Vec<u64> = (1..=n as u64).collect();
                let expected: u64 = numbers.iter().sum();
                assert_eq!(parallel_sum(numbers, parts, f), expected, "{SECTION}");
            }
        },
    );
}
