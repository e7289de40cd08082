use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: backoff
/// Runs `work` with both locks held, taking them in no particular order:
/// waits only for the first; if the second is taken, lets go of the first
/// and starts again, the other way round.
fn with_both<T, R>(a: &Mutex<T>, b: &Mutex<T>, work: impl Fn(&mut T, &mut T) -> R) -> R {
    let mut swapped = false;
    loop {
        let (first, second) = if swapped { (b, a) } else { (a, b) };
        let mut x = first.lock().unwrap();
        if let Ok(mut y) = second.try_lock() {
            return if swapped {
                work(&mut y, &mut x)
            } else {
                work(&mut x, &mut y)
            };
        }
        drop(x); // hold nothing while the other thread finishes
        thread::yield_now();
        swapped = !swapped;
    }
}
// ANCHOR_END: backoff

fn main() {
    // ANCHOR: main
    let left = Arc::new(Mutex::new(100));
    let right = Arc::new(Mutex::new(100));
    // One thread moves 7 from left to right, the other 5 from right to left,
    // each naming its own "first" lock.
    let there = {
        let (left, right) = (Arc::clone(&left), Arc::clone(&right));
        thread::spawn(move || {
            for _ in 0..10_000 {
                with_both(&left, &right, |from, to| {
                    *from -= 7;
                    *to += 7;
                });
            }
        })
    };
    let back = {
        let (left, right) = (Arc::clone(&left), Arc::clone(&right));
        thread::spawn(move || {
            for _ in 0..10_000 {
                with_both(&right, &left, |from, to| {
                    *from -= 5;
                    *to += 5;
                });
            }
        })
    };
    let handles = [there, back];
    for handle in handles {
        handle.join().unwrap();
    }
    let (l, r) = (*left.lock().unwrap(), *right.lock().unwrap());
    println!("left: {l}, right: {r}, total: {}", l + r);
    // ANCHOR_END: main
}
