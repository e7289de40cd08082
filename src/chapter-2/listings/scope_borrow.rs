use std::thread;

fn main() {
    // ANCHOR: borrow
    let mut readings = vec![18, 21, 19];
    let station = String::from("north");

    thread::scope(|s| {
        // No `move`: both threads borrow `readings` and `station`.
        s.spawn(|| {
            let max = readings.iter().max().unwrap();
            println!("{station}: highest {max}");
        });
        s.spawn(|| {
            println!("{station}: {} readings", readings.len());
        });
    }); // Both threads have finished here: the scope joined them.

    // The borrows have ended, so `main` may change `readings` again.
    readings.push(20);
    println!("{station}: now {} readings", readings.len());
    // ANCHOR_END: borrow
}
