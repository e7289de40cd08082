use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send + 'static>;
type Shared = Arc<Mutex<Receiver<Job>>>;

// ANCHOR: loops
/// Locks, takes a job, unlocks, runs the job.
fn take_then_run(receiver: Shared) {
    loop {
        let next = receiver.lock().unwrap().recv();
        match next {
            Ok(job) => job(),
            Err(_) => break,
        }
    }
}

/// Looks the same, but the guard in the `while let` lives until the end
/// of the loop body: the job runs with the lock held.
fn run_while_locked(receiver: Shared) {
    while let Ok(job) = receiver.lock().unwrap().recv() {
        job();
    }
}
// ANCHOR_END: loops

/// Two workers with the given loop run two jobs, each of which waits (up
/// to a second) for a sign that the other one has started.
fn two_jobs_meet(worker_loop: fn(Shared)) -> bool {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver: Shared = Arc::new(Mutex::new(receiver));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let receiver = Arc::clone(&receiver);
            thread::spawn(move || worker_loop(receiver))
        })
        .collect();

    let (to_first, first_hears) = mpsc::channel();
    let (to_second, second_hears) = mpsc::channel();
    let (report, outcome) = mpsc::channel();
    sender
        .send(Box::new(move || {
            to_second.send(()).unwrap();
            let met = first_hears.recv_timeout(Duration::from_secs(1)).is_ok();
            report.send(met).unwrap();
        }))
        .unwrap();
    sender
        .send(Box::new(move || {
            let _ = to_first.send(());
            let _ = second_hears.recv_timeout(Duration::from_secs(1));
        }))
        .unwrap();

    let met = outcome.recv().unwrap();
    drop(sender);
    for worker in workers {
        worker.join().unwrap();
    }
    met
}

fn main() {
    // ANCHOR: main
    println!(
        "take, then run:      the jobs met: {}",
        two_jobs_meet(take_then_run)
    );
    println!(
        "run while locked:    the jobs met: {}",
        two_jobs_meet(run_while_locked)
    );
    // ANCHOR_END: main
}
