use std::thread;

fn main() {
    // ANCHOR: spawn
    let worker = thread::spawn(|| {
        for step in 1..=3 {
            println!("worker: step {step}");
        }
    });

    for step in 1..=3 {
        println!("main:   step {step}");
    }

    worker.join().unwrap();
    // ANCHOR_END: spawn
}
