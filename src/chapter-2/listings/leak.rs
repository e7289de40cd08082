use std::thread;

// ANCHOR: config
struct Config {
    name: String,
}

impl Drop for Config {
    fn drop(&mut self) {
        println!("config dropped"); // never printed: see below
    }
}
// ANCHOR_END: config

// ANCHOR: static_item
/// A `static` lives in the program itself: any thread may borrow it.
static GREETING: &str = "hello";
// ANCHOR_END: static_item

fn main() {
    // ANCHOR: leak
    let config = Config {
        name: String::from("nightly"),
    };
    // Give up ownership for good: the box is never freed, so the reference
    // is valid for the rest of the program, that is, for `'static`.
    let config: &'static Config = Box::leak(Box::new(config));

    let handles: Vec<_> = (1..=3)
        .map(|job| {
            // `config` is a shared reference, so `move` copies it.
            thread::spawn(move || format!("{GREETING} from job {job} of the {} run", config.name))
        })
        .collect();
    for handle in handles {
        println!("{}", handle.join().unwrap());
    }
    // ANCHOR_END: leak
}
