//! Sum in parts (book: 1.7.2).
// ANSWER

use std::thread;
// END ANSWER

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
    // ANSWER: todo!("parallel_sum: split, spawn named threads, join (book: 1.7.2 Sum in parts)")
    assert!(threads > 0, "parallel_sum needs at least one thread");
    let parts = threads.min(numbers.len());
    if parts == 0 {
        return 0;
    }
    let (base, extra) = (numbers.len() / parts, numbers.len() % parts);

    let mut rest = numbers;
    let mut handles = Vec::with_capacity(parts);
    for i in 0..parts {
        let size = base + usize::from(i < extra);
        let tail = rest.split_off(size);
        let part = std::mem::replace(&mut rest, tail);
        let f = f.clone();
        let handle = thread::Builder::new()
            .name(format!("sum-{i}"))
            .spawn(move || part.into_iter().map(f).sum::<u64>())
            .expect("the operating system refused to start a thread");
        handles.push(handle);
    }

    handles
        .into_iter()
        .map(|handle| handle.join().expect("a summing thread panicked"))
        .sum()
    // END ANSWER
}
