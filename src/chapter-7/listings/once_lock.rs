use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock};
use std::thread;

// ANCHOR: once
static LOADS: AtomicUsize = AtomicUsize::new(0);
static SETTINGS: OnceLock<HashMap<&str, u32>> = OnceLock::new();

fn settings() -> &'static HashMap<&'static str, u32> {
    // The first caller runs the closure; the others wait for it and then
    // share the same value. It never runs twice.
    SETTINGS.get_or_init(|| {
        LOADS.fetch_add(1, Ordering::Relaxed);
        HashMap::from([("workers", 4), ("queue", 64)])
    })
}

// The same, with the initialiser written next to the static.
static GREETING: LazyLock<String> = LazyLock::new(|| "hello".repeat(2));

fn main() {
    thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| assert_eq!(settings()["workers"], 4));
        }
    });
    println!(
        "8 threads read the settings; they were loaded {} time",
        LOADS.load(Ordering::Relaxed)
    );
    println!("{}", *GREETING);
}
// ANCHOR_END: once
