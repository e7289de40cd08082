use std::sync::Mutex;

// ANCHOR: static
static REQUESTS: Mutex<u64> = Mutex::new(0);

fn count_request() -> u64 {
    let mut requests = REQUESTS.lock().unwrap();
    *requests += 1;
    *requests
}
// ANCHOR_END: static

fn main() {
    // ANCHOR: main
    count_request();
    println!("requests: {}", count_request());
    // ANCHOR_END: main
}
