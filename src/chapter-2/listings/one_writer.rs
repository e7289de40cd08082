use std::thread;

fn main() {
    // ANCHOR: one_writer
    let readings = vec![18, 21, 19];
    let mut log = Vec::new();

    thread::scope(|s| {
        // Any number of threads may read `readings`...
        s.spawn(|| println!("sum: {}", readings.iter().sum::<i32>()));
        s.spawn(|| println!("count: {}", readings.len()));
        // ...and exactly one may hold `&mut log`, as long as no other
        // thread uses `log` at all.
        s.spawn(|| {
            for r in &readings {
                log.push(format!("checked {r}"));
            }
        });
    });

    println!("{log:?}");
    // ANCHOR_END: one_writer
}
