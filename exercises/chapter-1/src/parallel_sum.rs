//! Sum in parts (book: 1.7.2).

/// Returns the sum of `f(x)` over `numbers`, computed by `threads` named
/// threads at once (or one thread per number, if there are fewer numbers).
///
/// The numbers are split, in order, into parts whose sizes differ by at
/// most one; part `i` is summed by a thread named `sum-{i}`. No threads are
/// started for an empty list.
///
/// # Panics
///
/// If `threads` is zero.
pub fn parallel_sum<F>(numbers: Vec<u64>, threads: usize, f: F) -> u64
where
    F: Fn(u64) -> u64 + Send + Clone + 'static,
{
    todo!("parallel_sum: split, spawn named threads, join (book: 1.7.2 Sum in parts)")
}
