// Two `&mut` slices of one vector, made by indexing: the compiler sees two
// mutable borrows of `pixels`, not two halves.
use std::thread;

fn main() {
    let mut pixels = vec![0u8; 8];
    let left = &mut pixels[..4];
    let right = &mut pixels[4..];
    thread::scope(|s| {
        s.spawn(|| left.fill(1));
        s.spawn(|| right.fill(2));
    });
    println!("{pixels:?}");
}
