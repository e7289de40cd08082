use std::cell::RefCell;
use std::rc::Rc;

fn main() {
    // ANCHOR: refcell
    let log = Rc::new(RefCell::new(Vec::new()));
    let writer = Rc::clone(&log); // two owners, one thread
    writer.borrow_mut().push("started"); // `&` outside, `&mut` inside
    {
        let reading = log.borrow(); // a shared borrow, checked at run time
        // A second, exclusive borrow now would panic; `try_borrow_mut` says so.
        println!(
            "exclusive borrow while reading: {:?}",
            writer.try_borrow_mut().is_ok()
        );
        println!("log: {:?}", *reading);
    }
    println!(
        "exclusive borrow after: {:?}",
        writer.try_borrow_mut().is_ok()
    );
    // ANCHOR_END: refcell
}
