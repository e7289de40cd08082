use std::sync::{Arc, Barrier, Mutex};
use std::thread;

fn main() {
    // ANCHOR: circle
    let a = Arc::new(Mutex::new("account a"));
    let b = Arc::new(Mutex::new("account b"));
    let both_hold_one = Arc::new(Barrier::new(2));

    // Each thread takes its first lock, waits until the other has taken its
    // first lock too, then asks for the second one, with `try_lock` instead
    // of `lock`, which would wait forever.
    let spawn = |first: Arc<Mutex<&'static str>>, second: Arc<Mutex<&'static str>>| {
        let both_hold_one = Arc::clone(&both_hold_one);
        thread::spawn(move || {
            let held = first.lock().unwrap();
            both_hold_one.wait();
            let answer = match second.try_lock() {
                Ok(_) => "got it".to_owned(),
                Err(_) => format!("holds {}, the other one is taken", *held),
            };
            both_hold_one.wait(); // keep `held` until both have tried
            answer
        })
    };
    let one = spawn(Arc::clone(&a), Arc::clone(&b)); // a, then b
    let two = spawn(Arc::clone(&b), Arc::clone(&a)); // b, then a
    println!("thread 1: {}", one.join().unwrap());
    println!("thread 2: {}", two.join().unwrap());
    // ANCHOR_END: circle
}
