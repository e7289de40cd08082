use std::thread;

fn main() {
    // ANCHOR: loop
    let words = vec!["alpha", "beta", "gamma"];

    let lengths: Vec<usize> = thread::scope(|s| {
        // A reference is `Copy`: every `move` closure gets a copy of it.
        let words = &words;
        let handles: Vec<_> = (0..words.len())
            .map(|i| s.spawn(move || words[i].len()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    println!("{words:?} have {lengths:?} letters");
    // ANCHOR_END: loop
}
