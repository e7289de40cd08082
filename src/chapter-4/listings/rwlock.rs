use std::sync::{Arc, Barrier, RwLock};
use std::thread;

fn main() {
    // ANCHOR: readers
    let config = Arc::new(RwLock::new(String::from("mode=fast")));
    let both_inside = Arc::new(Barrier::new(2));
    let readers: Vec<_> = (0..2)
        .map(|i| {
            let config = Arc::clone(&config);
            let both_inside = Arc::clone(&both_inside);
            thread::spawn(move || {
                let guard = config.read().unwrap();
                // Passes only when the other reader holds the lock too.
                both_inside.wait();
                format!("reader {i} read {guard}")
            })
        })
        .collect();
    for reader in readers {
        println!("{}", reader.join().unwrap());
    }
    // ANCHOR_END: readers

    // ANCHOR: writer
    let reading = config.read().unwrap();
    println!("write while a reader is in: {}", config.try_write().is_ok());
    println!("read while a reader is in: {}", config.try_read().is_ok());
    drop(reading);
    config.write().unwrap().push_str(",log=on"); // no reader left: fine
    println!("{}", config.read().unwrap());
    // ANCHOR_END: writer
}
