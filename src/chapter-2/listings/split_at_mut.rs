use std::thread;

fn main() {
    // ANCHOR: halves
    let mut pixels = vec![0u8; 8];

    // Two `&mut` slices that do not overlap, from one borrow of `pixels`.
    let (left, right) = pixels.split_at_mut(4);
    thread::scope(|s| {
        s.spawn(|| left.fill(1));
        s.spawn(|| right.fill(2));
    });

    println!("{pixels:?}");
    // ANCHOR_END: halves
}
