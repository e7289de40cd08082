use std::sync::Mutex;

/// Whether somebody holds the lock right now (`try_lock` never waits).
fn state<T>(m: &Mutex<T>) -> &'static str {
    if m.try_lock().is_ok() {
        "free"
    } else {
        "locked"
    }
}

fn main() {
    let jobs = Mutex::new(vec!["a", "b", "c"]);
    // ANCHOR: main
    loop {
        let next = jobs.lock().unwrap().pop(); // unlocked at the `;`
        let Some(job) = next else { break };
        println!("in `loop`: {}, job {job}", state(&jobs));
    }
    // ANCHOR_END: main
}
