// The closure only reads `readings`, so it borrows it, and `spawn` accepts no borrows.
use std::thread;

fn main() {
    let readings = vec![18, 21, 19];
    let handle = thread::spawn(|| {
        println!("readings: {readings:?}");
    });
    handle.join().unwrap();
}
