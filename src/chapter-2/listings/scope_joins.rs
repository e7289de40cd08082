use std::thread;

fn main() {
    // ANCHOR: joins
    let mut done = [false; 4];

    thread::scope(|s| {
        for flag in &mut done {
            // Each thread gets a `&mut` to one flag of its own.
            s.spawn(move || *flag = true);
        }
        // No handle is kept and none is joined...
    });

    // ...yet every thread has run to its end before `scope` returned.
    println!("{done:?}");
    // ANCHOR_END: joins
}
