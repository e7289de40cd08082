use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let config = Arc::new(Mutex::new(String::from("v1")));
    let crasher = {
        let config = Arc::clone(&config);
        thread::spawn(move || {
            let _guard = config.lock().unwrap();
            panic!("crashed while holding the lock");
        })
    };
    let _ = crasher.join();

    // ANCHOR: unwrap
    let reader = {
        let config = Arc::clone(&config);
        thread::spawn(move || {
            let config = config.lock().unwrap(); // panics: the lock is poisoned
            config.len()
        })
    };
    let payload = reader.join().unwrap_err();
    println!("{}", payload.downcast_ref::<String>().unwrap());
    // ANCHOR_END: unwrap
}
