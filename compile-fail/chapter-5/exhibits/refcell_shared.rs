// Two scoped threads borrow the same RefCell: its borrow flag is a plain
// integer, so RefCell is not Sync, and a &RefCell cannot go to another thread.
use std::cell::RefCell;
use std::thread;

fn main() {
    let log = RefCell::new(Vec::new());
    thread::scope(|s| {
        s.spawn(|| log.borrow_mut().push("left"));
        s.spawn(|| log.borrow_mut().push("right"));
    });
    println!("{:?}", log.borrow());
}
