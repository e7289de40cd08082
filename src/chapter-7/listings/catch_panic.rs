use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

fn main() {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(receiver));
    // ANCHOR: worker
    let worker = thread::Builder::new()
        .name("worker-0".to_owned())
        .spawn(move || {
            loop {
                let next = receiver.lock().unwrap().recv();
                let Ok(job) = next else { break };
                // A panic in the job unwinds only as far as here.
                if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(job)) {
                    let text = payload.downcast_ref::<&str>().unwrap_or(&"?");
                    println!("a job panicked ({text}); the worker goes on");
                }
            }
        })
        .unwrap();
    // ANCHOR_END: worker

    // ANCHOR: jobs
    let report = |n: u32| -> Job {
        Box::new(move || {
            let me = thread::current();
            println!("job {n} ran on {}", me.name().unwrap());
        })
    };
    sender.send(report(1)).unwrap();
    sender.send(Box::new(|| panic!("disk full"))).unwrap();
    sender.send(report(3)).unwrap();
    drop(sender);
    worker.join().unwrap();
    // ANCHOR_END: jobs
}
