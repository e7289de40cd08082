// A raw pointer makes no promise about who else uses what it points to,
// so it is neither Send nor Sync.
use std::thread;

fn main() {
    let mut total = 0u64;
    let ptr: *mut u64 = &mut total;
    let worker = thread::spawn(move || unsafe { *ptr += 1 });
    worker.join().unwrap();
    println!("{total}");
}
