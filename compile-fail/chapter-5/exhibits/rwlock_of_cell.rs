// A RwLock lets several readers hold &T at once, so RwLock<T> is Sync only
// if T is Sync. (A Mutex<Cell<i32>> would compile: a Mutex hands out one
// reference at a time.)
use std::cell::Cell;
use std::sync::RwLock;
use std::thread;

fn main() {
    let hits = RwLock::new(Cell::new(0));
    thread::scope(|s| {
        s.spawn(|| hits.read().unwrap().set(1));
        s.spawn(|| hits.read().unwrap().set(2));
    });
    println!("{}", hits.read().unwrap().get());
}
