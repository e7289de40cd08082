use std::panic;
use std::thread;

fn main() {
    panic::set_hook(Box::new(|_| {})); // keep stderr quiet for this example

    let supervisor = thread::spawn(|| {
        // ANCHOR: resume
        let worker = thread::spawn(|| -> u32 { panic!("sensor offline") });

        let reading = match worker.join() {
            Ok(value) => value,
            // Go on panicking on this thread, with the worker's own payload.
            Err(payload) => panic::resume_unwind(payload),
        };
        // ANCHOR_END: resume
        println!("never printed: {reading}");
    });

    let payload = supervisor
        .join()
        .expect_err("the supervisor passed the panic on");
    println!("main saw: {:?}", payload.downcast_ref::<&str>());
}
