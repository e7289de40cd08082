// Cell lets anyone holding a &Cell change the value, with no synchronisation,
// so Cell is not Sync either.
use std::cell::Cell;
use std::thread;

fn main() {
    let hits = Cell::new(0);
    thread::scope(|s| {
        s.spawn(|| hits.set(hits.get() + 1));
        hits.set(hits.get() + 1);
    });
    println!("{}", hits.get());
}
