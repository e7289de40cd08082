//! The machine's own ceiling: loops that are as parallel as work can be,
//! measured beside the word count so that its speed-up can be read against
//! what the same machine gives to work with no merge, no lock and nothing
//! shared at all.
//!
//! Each loop's work is cut into `n` equal shares. On 1 thread the shares
//! run one after the other; on `n` threads each share runs on a thread of
//! its own. Both give the same answer, which the benchmark checks, so the
//! only difference between the two is how many threads did the work.
//!
//! - [`eight_chains`]: arithmetic only, eight independent chains of
//!   xorshift steps kept in registers. The core can work on all eight at
//!   once, so the loop keeps its execution units busy: no memory traffic,
//!   no shared cache line, nothing for two threads to contend for except
//!   the core itself.
//! - [`one_chain`]: the same steps, in one chain, where each step waits for
//!   the one before. The core sits idle most of the time, waiting for its
//!   own results. Two hardware threads on one core (SMT siblings) can both
//!   run this at almost full speed; they cannot both run [`eight_chains`]
//!   at full speed.
//! - [`sum`]: a sum over a buffer several times larger than the last-level
//!   cache, read front to back, so that every byte comes from main memory:
//!   bound by how fast memory delivers it.

use std::fs;
use std::hint::black_box;
use std::ops::Range;
use std::thread;

/// Steps of every chain of [`eight_chains`] per run, split among the
/// threads: the same on every machine.
pub const EIGHT_CHAIN_STEPS: u64 = 24_000_000;
/// Steps of [`one_chain`] per run: about as long as [`eight_chains`] on the
/// machine the book was measured on.
pub const ONE_CHAIN_STEPS: u64 = 44_000_000;

/// One step of Marsaglia's xorshift: three shifts and three xors, each
/// depending on the one before.
#[inline(always)]
fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// `steps` steps of eight independent xorshift chains, started from `seed`.
/// The eight values live in registers; the loop touches no memory.
#[inline(never)]
pub fn eight_chains(seed: u64, steps: u64) -> u64 {
    let mut lanes = [0u64; 8];
    for (i, lane) in (0u64..).zip(lanes.iter_mut()) {
        // Never zero: xorshift would stay at zero forever.
        *lane = (seed ^ (i + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1;
    }
    for _ in 0..steps {
        for lane in &mut lanes {
            *lane = xorshift(*lane);
        }
    }
    lanes.iter().fold(0, |acc, lane| acc ^ lane)
}

/// `steps` steps of one xorshift chain, started from `seed`: every step
/// needs the result of the step before.
#[inline(never)]
pub fn one_chain(seed: u64, steps: u64) -> u64 {
    let mut x = seed | 1;
    for _ in 0..steps {
        x = xorshift(x);
    }
    x
}

/// The wrapping sum of `words`, read front to back.
#[inline(never)]
pub fn sum(words: &[u64]) -> u64 {
    words.iter().fold(0u64, |acc, &w| acc.wrapping_add(w))
}

/// Runs `share(0)`, ..., `share(n - 1)` on `threads` threads (1 or `n`)
/// and combines their results with `^` (the same answer either way).
pub fn shares(n: usize, threads: usize, share: impl Fn(usize) -> u64 + Sync) -> u64 {
    if threads == 1 {
        return (0..n).map(|i| black_box(share(i))).fold(0, |a, b| a ^ b);
    }
    assert_eq!(threads, n, "a share per thread");
    let share = &share;
    thread::scope(|s| {
        let handles: Vec<_> = (0..n).map(|i| s.spawn(move || share(i))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a share panicked"))
            .fold(0, |a, b| a ^ b)
    })
}

/// The seed of share `i`, hidden from the optimiser, so that it cannot
/// compute a chain at compile time.
pub fn seed(i: usize) -> u64 {
    black_box(0x2545_f491_4f6c_dd1d ^ i as u64)
}

/// `len` split into `n` contiguous ranges of whole pages (4 KiB of `u64`s),
/// so that no two threads ever read the same cache line.
pub fn ranges(len: usize, n: usize) -> Vec<Range<usize>> {
    const PAGE: usize = 4096 / 8;
    let per = len.div_ceil(n).div_ceil(PAGE) * PAGE;
    (0..n)
        .map(|i| (i * per).min(len)..((i + 1) * per).min(len))
        .collect()
}

/// The size of the largest CPU cache that Linux reports for CPU 0, in
/// bytes (`/sys/devices/system/cpu/cpu0/cache/index*/size`), if it reports
/// any.
pub fn last_level_cache() -> Option<usize> {
    let dir = fs::read_dir("/sys/devices/system/cpu/cpu0/cache").ok()?;
    let mut largest: Option<(u32, usize)> = None;
    for entry in dir.filter_map(Result::ok) {
        let path = entry.path();
        let read = |name: &str| fs::read_to_string(path.join(name)).ok();
        let (Some(level), Some(size)) = (read("level"), read("size")) else {
            continue;
        };
        let Ok(level) = level.trim().parse::<u32>() else {
            continue;
        };
        let size = size.trim();
        let (digits, unit) = match size.strip_suffix('K') {
            Some(d) => (d, 1 << 10),
            None => match size.strip_suffix('M') {
                Some(d) => (d, 1 << 20),
                None => (size, 1),
            },
        };
        let Ok(bytes) = digits.parse::<usize>() else {
            continue;
        };
        if largest.is_none_or(|(l, b)| (level, bytes) > (l, b)) {
            largest = Some((level, bytes * unit));
        }
    }
    largest.map(|(_, bytes)| bytes)
}

/// The size of the memory loop's buffer: four times the last-level cache,
/// at least 256 MiB and at most 2 GiB (1 GiB when the cache size is not
/// known).
pub fn stream_bytes(last_level_cache: Option<usize>) -> usize {
    match last_level_cache {
        Some(cache) => (4 * cache).clamp(256 << 20, 2 << 30),
        None => 1 << 30,
    }
}

/// A buffer of `bytes` bytes of `u64`s, every page written, so that the
/// operating system has really given it memory (a page never written reads
/// as zeros without coming from memory).
pub fn buffer(bytes: usize) -> Vec<u64> {
    (0..bytes / 8)
        .map(|i| (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .collect()
}
