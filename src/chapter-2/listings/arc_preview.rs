use std::sync::Arc;
use std::thread;

struct Config {
    name: String,
}

impl Drop for Config {
    fn drop(&mut self) {
        println!("config dropped");
    }
}

fn main() {
    // ANCHOR: arc
    let config = Arc::new(Config {
        name: String::from("nightly"),
    });

    let handles: Vec<_> = (1..=3)
        .map(|job| {
            // Each thread owns a handle to the same `Config`.
            let config = Arc::clone(&config);
            thread::spawn(move || format!("job {job} of {}", config.name))
        })
        .collect();
    for handle in handles {
        println!("{}", handle.join().unwrap());
    }
    drop(config); // the last handle: now the `Config` is freed
    println!("main is done");
    // ANCHOR_END: arc
}
