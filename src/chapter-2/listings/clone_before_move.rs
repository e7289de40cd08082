use std::thread;

fn main() {
    // ANCHOR: clone
    let guests = vec![String::from("Ada"), String::from("Grace")];

    let handle = {
        // A copy for the thread, under the same name, in a block of its own.
        let guests = guests.clone();
        thread::spawn(move || guests.join(" and "))
    };

    // `main` still has the original.
    println!("{} guests", guests.len());
    println!("the thread wrote: {}", handle.join().unwrap());
    // ANCHOR_END: clone
}
