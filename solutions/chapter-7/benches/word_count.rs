//! The benchmark of Chapter 7 (book: 7.5 A parallel job, measured): word
//! frequencies over a generated text, counted on 1 thread, on N threads,
//! and on the reference solution's thread pool.
//!
//! `cargo xtask bench` builds it in release mode, runs it five times, takes
//! the median of each workload over all the runs, and writes the table and
//! the chart that the book shows.
//! To run it alone:
//!
//!     cargo bench -p chapter-7-solution --bench word_count -- --runs 9 --mib 16
//!
//! It prints one line per measurement, `sample<TAB>workload<TAB>nanoseconds`,
//! after a few `key<TAB>value` lines that describe the run. Lines starting
//! with `#` are for people.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use chapter_7::resilient::ThreadPool;
use chapter_7::word_count::{split_at_whitespace, word_counts, word_counts_sequential};

/// A text of about `bytes` bytes, the same on every run: words of one to
/// three syllables (4,368 different words) between spaces and line breaks, a few of them not ASCII.
fn corpus(bytes: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "da", "fe", "gi", "ho", "jü", "pé",
        "ñu",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let mut text = String::with_capacity(bytes + 16);
    while text.len() < bytes {
        for _ in 0..=next(3) {
            text.push_str(SYLLABLES[next(SYLLABLES.len())]);
        }
        text.push(if next(12) == 0 { '\n' } else { ' ' });
    }
    text
}

/// The same count on `n` scoped threads, each counting one piece of the
/// text in place (scoped threads may borrow it), then merged.
fn word_counts_on_threads(text: &str, n: usize) -> HashMap<String, usize> {
    let pieces = split_at_whitespace(text, n);
    let counted: Vec<HashMap<String, usize>> = thread::scope(|s| {
        let handles: Vec<_> = pieces
            .into_iter()
            .map(|piece| s.spawn(move || word_counts_sequential(&text[piece])))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a counting thread panicked"))
            .collect()
    });
    let mut counted = counted.into_iter();
    let mut total = counted.next().unwrap_or_default();
    for counts in counted {
        for (word, n) in counts {
            *total.entry(word).or_insert(0) += n;
        }
    }
    total
}

struct Options {
    runs: usize,
    mib: usize,
}

fn options() -> Options {
    let mut options = Options { runs: 9, mib: 16 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match arg.as_str() {
            "--runs" => options.runs = value("--runs").max(1),
            "--mib" => options.mib = value("--mib").max(1),
            // `cargo bench` passes `--bench`; anything else is ignored too.
            _ => {}
        }
    }
    options
}

fn main() {
    let Options { runs, mib } = options();
    let n = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    let text = corpus(mib << 20);
    // What the pool's jobs share: made once, as a caller would keep it.
    let shared: Arc<str> = Arc::from(text.as_str());
    let expected = word_counts_sequential(&text);
    let pool = ThreadPool::new(n);
    let pool_of_one = ThreadPool::new(1);

    let sequential_label = "1 thread".to_string();
    let threads_label = format!("{n} threads");
    let pool_label = format!("pool, {n} workers");
    let pool_of_one_label = "pool, 1 worker".to_string();
    type Workload<'a> = (&'a str, Box<dyn Fn() -> HashMap<String, usize> + 'a>);
    let workloads: Vec<Workload> = vec![
        (
            &sequential_label,
            Box::new(|| word_counts_sequential(&text)),
        ),
        (
            &threads_label,
            Box::new(|| word_counts_on_threads(&text, n)),
        ),
        (
            &pool_label,
            Box::new(|| word_counts(&pool, Arc::clone(&shared), n)),
        ),
        (
            &pool_of_one_label,
            Box::new(|| word_counts(&pool_of_one, Arc::clone(&shared), n)),
        ),
    ];

    println!("threads\t{n}");
    println!("bytes\t{}", text.len());
    println!("words\t{}", expected.values().sum::<usize>());
    println!("distinct\t{}", expected.len());
    println!("runs\t{runs}");

    // One warm-up run of each, which also checks the answers.
    for (name, run) in &workloads {
        assert!(run() == expected, "{name} counted differently");
    }
    // The workloads take turns, so that a slow spell of the machine hits
    // all of them alike.
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); workloads.len()];
    for _ in 0..runs {
        for (i, (name, run)) in workloads.iter().enumerate() {
            let start = Instant::now();
            let counts = black_box(run());
            let elapsed = start.elapsed();
            assert_eq!(counts.len(), expected.len(), "{name} counted differently");
            drop(counts);
            println!("sample\t{name}\t{}", elapsed.as_nanos());
            samples[i].push(elapsed);
        }
    }
    for ((name, _), mut times) in workloads.iter().zip(samples) {
        times.sort();
        println!("# {name:>18}: median {:?}", times[times.len() / 2]);
    }
}
