use std::sync::{Mutex, MutexGuard};

fn main() {
    // ANCHOR: basics
    // No `mut`: `lock` takes `&self`.
    let scores = Mutex::new(vec![3, 1]);
    {
        let mut guard: MutexGuard<'_, Vec<i32>> = scores.lock().unwrap();
        guard.push(4); // DerefMut: Vec's methods, through the guard
        println!("inside: {:?}, {} scores", *guard, guard.len()); // Deref
        println!("while locked: {scores:?}");
    } // the guard is dropped here, and the mutex unlocked
    println!("after: {scores:?}");
    // ANCHOR_END: basics
}
