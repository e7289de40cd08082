use std::cell::RefCell;
use std::thread;

// ANCHOR: log
thread_local! {
    /// One log per thread, created empty the first time the thread uses it.
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn note(line: &str) {
    LOG.with_borrow_mut(|log| log.push(line.to_owned()));
}

fn main() {
    note("main starts");
    thread::spawn(|| {
        note("worker starts");
        LOG.with_borrow(|log| println!("the worker's log: {log:?}"));
    })
    .join()
    .unwrap();
    note("main goes on");
    LOG.with_borrow(|log| println!("main's log: {log:?}"));
}
// ANCHOR_END: log
