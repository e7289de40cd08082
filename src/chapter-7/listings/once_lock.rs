use std::collections::HashMap;
use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock};
use std::thread;

// ANCHOR: once
static LOADS: AtomicUsize = AtomicUsize::new(0);
static SETTINGS: OnceLock<HashMap<&str, u32>> = OnceLock::new();

fn settings() -> &'static HashMap<&'static str, u32> {
    // The first caller runs the closure; the others wait for it and then
    // share the same value. Once it has returned, it never runs again.
    SETTINGS.get_or_init(|| {
        LOADS.fetch_add(1, Ordering::Relaxed);
        HashMap::from([("workers", 4), ("queue", 64)])
    })
}

// The same, with the initialiser written next to the static.
static GREETING: LazyLock<String> = LazyLock::new(|| "hello".repeat(2));

// ANCHOR: panics
static PORT: OnceLock<u16> = OnceLock::new();
static TIMEOUT: LazyLock<u64> = LazyLock::new(|| panic!("no configuration file"));

fn when_initialisers_panic() {
    // Keep the panics below from printing on stderr.
    panic::set_hook(Box::new(|_| {}));

    // OnceLock: a panicking initialiser leaves the cell empty, and the
    // next call runs its own initialiser.
    let first = panic::catch_unwind(|| *PORT.get_or_init(|| panic!("not yet")));
    println!(
        "OnceLock: first init panicked: {}, cell now {:?}",
        first.is_err(),
        PORT.get()
    );
    println!("OnceLock: second init gives {}", PORT.get_or_init(|| 8080));

    // LazyLock: a panicking initialiser poisons it for good.
    let first = panic::catch_unwind(|| *TIMEOUT);
    let second = panic::catch_unwind(|| *TIMEOUT);
    println!(
        "LazyLock: first access panicked: {}, second access panicked: {}",
        first.is_err(),
        second.is_err()
    );
    let _ = panic::take_hook();
}
// ANCHOR_END: panics

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
    // ANCHOR_END: once
    when_initialisers_panic();
    // ANCHOR: once
}
// ANCHOR_END: once
