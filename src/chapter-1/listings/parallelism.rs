use std::thread;

fn main() {
    // ANCHOR: parallelism
    match thread::available_parallelism() {
        Ok(n) => println!("this machine can run {n} threads at once"),
        Err(e) => println!("could not tell: {e}"),
    }
    // ANCHOR_END: parallelism
}
