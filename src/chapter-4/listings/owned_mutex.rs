use std::sync::Mutex;

fn main() {
    // ANCHOR: owned
    let mut counter = Mutex::new(0);
    // `&mut` to the mutex means nobody else can be using it: no locking.
    *counter.get_mut().unwrap() += 10;
    // Taking the mutex apart hands back the value inside.
    let total: i32 = counter.into_inner().unwrap();
    println!("total: {total}");
    // ANCHOR_END: owned
}
