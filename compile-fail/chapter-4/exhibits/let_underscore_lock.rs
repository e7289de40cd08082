use std::sync::Mutex;

fn main() {
    let queue = Mutex::new(vec![1, 2, 3]);
    let _ = queue.lock().unwrap(); // meant to hold the lock for a while
    println!("{:?}", queue.lock().unwrap());
}
