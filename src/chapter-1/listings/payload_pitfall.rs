use std::any::Any;
use std::thread;

fn main() {
    std::panic::set_hook(Box::new(|_| {})); // keep stderr quiet for this example

    // ANCHOR: pitfall
    let payload: Box<dyn Any + Send> = thread::spawn(|| panic!("oops")).join().unwrap_err();

    let inside: &(dyn Any + Send) = &*payload; // the value in the box: a &str
    let the_box: &(dyn Any + Send) = &payload; // the Box itself, which is also `Any`

    println!("{:?}", inside.downcast_ref::<&str>());
    println!("{:?}", the_box.downcast_ref::<&str>());
    println!("{payload:?}");
    // ANCHOR_END: pitfall
}
