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
    if let Some(job) = jobs.lock().unwrap().pop() {
        println!("in `if let`: {}, job {job}", state(&jobs));
    }
    if let Some(job) = jobs.lock().unwrap().pop_if(|job| *job == "z") {
        println!("found {job}");
    } else {
        println!("in `else`: {}", state(&jobs));
    }
    // ANCHOR_END: main
}
