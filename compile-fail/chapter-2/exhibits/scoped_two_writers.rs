// Two scoped threads may not both hold `&mut total`.
use std::thread;

fn main() {
    let mut total = 0;
    thread::scope(|s| {
        s.spawn(|| total += 1);
        s.spawn(|| total += 2);
    });
    println!("{total}");
}
