// `batch` is a local of the scope's closure, which ends before the scope
// joins its threads: the thread's borrow could outlive `batch`.
use std::thread;

fn main() {
    thread::scope(|s| {
        let batch = vec![1, 2, 3];
        s.spawn(|| println!("batch of {}", batch.len()));
    });
}
