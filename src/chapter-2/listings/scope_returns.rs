use std::thread;

fn main() {
    // ANCHOR: returns
    let readings = [18, 21, 19, 17];

    let (lowest, highest) = thread::scope(|s| {
        let low = s.spawn(|| readings.iter().min());
        let high = s.spawn(|| readings.iter().max());
        // The scope returns what its closure returns.
        (low.join().unwrap(), high.join().unwrap())
    });

    // Both results borrow from `readings`, which outlives the scope.
    println!("lowest {lowest:?}, highest {highest:?}");
    // ANCHOR_END: returns
}
