// Each iteration's `i` ends with the iteration; the thread could outlive it.
use std::thread;

fn main() {
    let words = vec!["alpha", "beta", "gamma"];
    thread::scope(|s| {
        for i in 0..words.len() {
            s.spawn(|| println!("{i}: {}", words[i]));
        }
    });
}
