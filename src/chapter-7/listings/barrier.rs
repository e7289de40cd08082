use std::sync::{Barrier, Mutex};
use std::thread;

fn main() {
    // ANCHOR: barrier
    let phase_one_done = Barrier::new(3);
    let log = Mutex::new(Vec::new());
    let leaders = Mutex::new(0);

    thread::scope(|s| {
        for worker in 0..3 {
            let (barrier, log, leaders) = (&phase_one_done, &log, &leaders);
            s.spawn(move || {
                log.lock().unwrap().push(format!("{worker}: phase 1"));
                // No thread goes past this line until all three reach it.
                if barrier.wait().is_leader() {
                    *leaders.lock().unwrap() += 1;
                }
                log.lock().unwrap().push(format!("{worker}: phase 2"));
            });
        }
    });

    let log = log.into_inner().unwrap();
    let first_phase_two = log.iter().position(|l| l.ends_with("2")).unwrap();
    let last_phase_one = log.iter().rposition(|l| l.ends_with("1")).unwrap();
    println!("{} entries in the log", log.len());
    println!(
        "all of phase 1 came first: {}",
        last_phase_one < first_phase_two
    );
    println!("leaders: {}", leaders.into_inner().unwrap());
    // ANCHOR_END: barrier
}
