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
    while let Some(job) = jobs.lock().unwrap().pop() {
        // Whatever happens here happens with the lock held.
        println!("in `while let`: {}, job {job}", state(&jobs));
    }
    // ANCHOR_END: main
}
