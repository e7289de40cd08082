use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: ordered
/// Accounts numbered by their place in the slice.
fn transfer(accounts: &[Mutex<i64>], from: usize, to: usize, amount: i64) {
    assert_ne!(from, to, "one lock cannot be taken twice");
    // Whatever the direction, the lower-numbered account is locked first.
    let (low, high) = (from.min(to), from.max(to));
    let mut first = accounts[low].lock().unwrap();
    let mut second = accounts[high].lock().unwrap();
    let (source, target) = if from == low {
        (&mut first, &mut second)
    } else {
        (&mut second, &mut first)
    };
    **source -= amount;
    **target += amount;
}
// ANCHOR_END: ordered

fn main() {
    // ANCHOR: main
    let accounts = Arc::new([Mutex::new(100), Mutex::new(100)]);
    let there = {
        let accounts = Arc::clone(&accounts);
        thread::spawn(move || (0..10_000).for_each(|_| transfer(&*accounts, 0, 1, 1)))
    };
    let back = {
        let accounts = Arc::clone(&accounts);
        thread::spawn(move || (0..10_000).for_each(|_| transfer(&*accounts, 1, 0, 1)))
    };
    there.join().unwrap();
    back.join().unwrap();
    let balances: Vec<i64> = accounts.iter().map(|a| *a.lock().unwrap()).collect();
    println!("balances: {balances:?}");
    // ANCHOR_END: main
}
