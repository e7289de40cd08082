use std::thread;
use std::time::Duration;

fn main() {
    // ANCHOR: main
    thread::spawn(|| {
        thread::sleep(Duration::from_secs(10));
        println!("worker: finished my ten seconds of work");
    });

    println!("main: spawned a worker, and I am not waiting for it");
    // `main` returns here. The process ends, and the worker with it.
    // ANCHOR_END: main
}
