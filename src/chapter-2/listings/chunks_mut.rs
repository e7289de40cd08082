use std::thread;

fn main() {
    // ANCHOR: chunks
    let mut brightness: Vec<u8> = (0..10).map(|i| i * 20).collect();

    thread::scope(|s| {
        // Parts of 4: [0..4], [4..8], [8..10]. Each thread owns one part
        // for the length of the scope.
        for (n, part) in brightness.chunks_mut(4).enumerate() {
            s.spawn(move || {
                for value in part.iter_mut() {
                    *value = value.saturating_add(100);
                }
                println!("thread {n} brightened {} pixels", part.len());
            });
        }
    });

    println!("{brightness:?}");
    // ANCHOR_END: chunks
}
