// `move` moves `i`, but also the whole vector, in the first iteration.
use std::thread;

fn main() {
    let words = vec!["alpha", "beta", "gamma"];
    thread::scope(|s| {
        for i in 0..words.len() {
            s.spawn(move || println!("{i}: {}", words[i]));
        }
    });
}
