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
    if !jobs.lock().unwrap().is_empty() {
        println!("in a plain `if`: {}", state(&jobs));
    }
    // ANCHOR_END: main
}
