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
    match jobs.lock().unwrap().pop() {
        Some(job) => println!("in the match arm: {}, job {job}", state(&jobs)),
        None => println!("no job"),
    }
    println!("after the match: {}", state(&jobs));
    // ANCHOR_END: main
}
