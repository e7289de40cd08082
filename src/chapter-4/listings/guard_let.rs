use std::sync::Mutex;

// ANCHOR: state
/// Whether somebody holds the lock right now (`try_lock` never waits).
fn state<T>(m: &Mutex<T>) -> &'static str {
    if m.try_lock().is_ok() {
        "free"
    } else {
        "locked"
    }
}
// ANCHOR_END: state

fn main() {
    let jobs = Mutex::new(vec!["a", "b", "c"]);
    // ANCHOR: main
    let left = jobs.lock().unwrap().len();
    println!("after the let: {}, {left} jobs left", state(&jobs));
    // ANCHOR_END: main
}
