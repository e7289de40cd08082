use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

fn main() {
    // ANCHOR: unjoined
    let readings: Vec<u32> = vec![18, 21, 0, 19];
    let other_finished = AtomicBool::new(false);

    let outcome = panic::catch_unwind(|| {
        thread::scope(|s| {
            s.spawn(|| {
                if readings.contains(&0) {
                    panic!("a reading of zero");
                }
            });
            s.spawn(|| {
                let _sum: u32 = readings.iter().sum();
                other_finished.store(true, Ordering::SeqCst);
            });
        });
        println!("never printed: the scope panicked");
    });

    let payload = outcome.unwrap_err();
    println!("scope panicked with: {:?}", payload.downcast_ref::<&str>());
    println!(
        "the other thread finished: {}",
        other_finished.load(Ordering::SeqCst)
    );
    // ANCHOR_END: unjoined

    // ANCHOR: joined
    let result = thread::scope(|s| {
        let checker = s.spawn(|| {
            if readings.contains(&0) {
                panic!("a reading of zero");
            }
        });
        // Joined by hand: the panic is ours to handle, and `scope` does not panic.
        match checker.join() {
            Ok(()) => String::from("all readings valid"),
            Err(payload) => format!("checker panicked: {:?}", payload.downcast_ref::<&str>()),
        }
    });
    println!("{result}");
    // ANCHOR_END: joined
}
