//! The benchmark of Chapter 7 (book: 7.5 A parallel job, measured): word
//! frequencies over a generated text, counted on 1 thread, on N threads,
//! and on the reference solution's thread pool; and beside them, in the
//! same process and the same turns, the machine's own ceiling: loops that
//! are perfectly parallel, bound by arithmetic or by memory (`ceiling.rs`).
//!
//! `cargo xtask bench` builds it in release mode, runs it five times, takes
//! the median of each workload over all the runs, and writes the table and
//! the chart that the book shows.
//! To run it alone:
//!
//!     cargo bench -p chapter-7-solution --bench word_count -- --runs 9 --mib 16
//!
//! It prints a few `key<TAB>value` lines that describe the run, then one
//! line per measurement, `sample<TAB>row<TAB>threads<TAB>nanoseconds`, and
//! after each measurement of the word count on N threads the time its
//! split and merge took on the calling thread, `serial<TAB>nanoseconds`.
//! Lines starting with `#` are for people.

mod ceiling;

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
/// text in place (scoped threads may borrow it), then merged. Returns the
/// counts, and how long the parts that run on the calling thread alone
/// took: the split and the merge.
fn word_counts_on_threads(text: &str, n: usize) -> (HashMap<String, usize>, Duration) {
    let start = Instant::now();
    let pieces = split_at_whitespace(text, n);
    let split = start.elapsed();
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
    let start = Instant::now();
    let mut counted = counted.into_iter();
    let mut total = counted.next().unwrap_or_default();
    for counts in counted {
        for (word, n) in counts {
            *total.entry(word).or_insert(0) += n;
        }
    }
    (total, split + start.elapsed())
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

/// What a workload computed, to check against the right answer.
enum Answer {
    Counts(HashMap<String, usize>),
    /// The counts, and how long the split and the merge took.
    Split(HashMap<String, usize>, Duration),
    Number(u64),
}

/// One way to do one row's work: on 1 thread, or on `threads`.
struct Workload<'a> {
    row: &'static str,
    threads: usize,
    run: Box<dyn Fn() -> Answer + 'a>,
}

fn on<'a>(row: &'static str, threads: usize, run: impl Fn() -> Answer + 'a) -> Workload<'a> {
    let run = Box::new(run);
    Workload { row, threads, run }
}

// The rows of the book's table: each is measured on 1 thread and on N.
const WORDS: &str = "word count, threads";
const POOL: &str = "word count, pool";
const EIGHT: &str = "ceiling: arithmetic, 8 chains";
const ONE: &str = "ceiling: arithmetic, 1 chain";
const MEMORY: &str = "ceiling: memory";

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
    let cache = ceiling::last_level_cache();
    let words = ceiling::buffer(ceiling::stream_bytes(cache));
    let pieces = ceiling::ranges(words.len(), n);
    let n64 = n as u64;

    let eight = |i| ceiling::eight_chains(ceiling::seed(i), ceiling::EIGHT_CHAIN_STEPS / n64);
    let one = |i| ceiling::one_chain(ceiling::seed(i), ceiling::ONE_CHAIN_STEPS / n64);
    let stream = |i: usize| ceiling::sum(&words[pieces[i].clone()]);
    let workloads: Vec<Workload> = vec![
        on(WORDS, 1, || Answer::Counts(word_counts_sequential(&text))),
        on(WORDS, n, || {
            let (counts, serial) = word_counts_on_threads(&text, n);
            Answer::Split(counts, serial)
        }),
        on(POOL, 1, || {
            Answer::Counts(word_counts(&pool_of_one, Arc::clone(&shared), n))
        }),
        on(POOL, n, || {
            Answer::Counts(word_counts(&pool, Arc::clone(&shared), n))
        }),
        on(EIGHT, 1, || Answer::Number(ceiling::shares(n, 1, eight))),
        on(EIGHT, n, || Answer::Number(ceiling::shares(n, n, eight))),
        on(ONE, 1, || Answer::Number(ceiling::shares(n, 1, one))),
        on(ONE, n, || Answer::Number(ceiling::shares(n, n, one))),
        on(MEMORY, 1, || Answer::Number(ceiling::shares(n, 1, stream))),
        on(MEMORY, n, || Answer::Number(ceiling::shares(n, n, stream))),
    ];

    println!("threads\t{n}");
    println!("bytes\t{}", text.len());
    println!("words\t{}", expected.values().sum::<usize>());
    println!("distinct\t{}", expected.len());
    println!("runs\t{runs}");
    println!(
        "cache\t{}",
        cache.map_or("unknown".to_owned(), |c| c.to_string())
    );
    println!("stream_bytes\t{}", words.len() * 8);

    // One warm-up run of each, which also finds the right answer of the
    // ceiling loops (the same on 1 thread and on N) and checks the others.
    let mut numbers: HashMap<&str, u64> = HashMap::new();
    let check = |w: &Workload, answer: Answer, numbers: &mut HashMap<&str, u64>| match answer {
        Answer::Counts(counts) | Answer::Split(counts, _) => {
            assert!(
                counts == expected,
                "{} on {} counted differently",
                w.row,
                w.threads
            );
        }
        Answer::Number(x) => {
            let right = *numbers.entry(w.row).or_insert(x);
            assert_eq!(x, right, "{} on {} computed differently", w.row, w.threads);
        }
    };
    for w in &workloads {
        check(w, (w.run)(), &mut numbers);
    }
    // The workloads take turns, so that a slow spell of the machine hits
    // all of them alike; every other turn goes through them backwards, so
    // that neither the 1-thread nor the N-thread run of a row always goes
    // first.
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); workloads.len()];
    for turn in 0..runs {
        let mut order: Vec<(usize, &Workload)> = workloads.iter().enumerate().collect();
        if turn % 2 == 1 {
            order.reverse();
        }
        for (index, w) in order {
            let start = Instant::now();
            let answer = black_box((w.run)());
            let elapsed = start.elapsed();
            println!("sample\t{}\t{}\t{}", w.row, w.threads, elapsed.as_nanos());
            if let Answer::Split(_, serial) = &answer {
                println!("serial\t{}", serial.as_nanos());
            }
            check(w, answer, &mut numbers);
            samples[index].push(elapsed);
        }
    }
    for (w, mut times) in workloads.iter().zip(samples) {
        times.sort();
        println!(
            "# {:>30} on {} thread(s): median {:?}",
            w.row,
            w.threads,
            times[times.len() / 2]
        );
    }
}
