use std::thread;

fn main() {
    // ANCHOR: move_vec
    let readings = vec![18, 21, 19];
    let handle = thread::spawn(move || {
        println!("readings: {readings:?}");
    });
    handle.join().unwrap();
    // ANCHOR_END: move_vec

    // ANCHOR: same_buffer
    let readings = Vec::from([18, 21, 19]);
    let elements_at = readings.as_ptr() as usize;
    let handle = thread::spawn(move || readings.as_ptr() as usize == elements_at);
    println!(
        "the thread sees the same elements: {}",
        handle.join().unwrap()
    );
    // ANCHOR_END: same_buffer
}
