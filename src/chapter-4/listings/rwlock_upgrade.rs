use std::sync::RwLock;

// ANCHOR: upgrade
fn add_if_missing(names: &RwLock<Vec<String>>, name: &str) {
    let reading = names.read().unwrap();
    if reading.iter().any(|n| n == name) {
        return;
    }
    // `names.write()` here would wait for `reading`, held by this very thread.
    println!(
        "write while holding a read guard: {}",
        names.try_write().is_ok()
    );
    drop(reading);
    let mut writing = names.write().unwrap();
    // Look again: another thread may have added it in between.
    if !writing.iter().any(|n| n == name) {
        writing.push(name.to_owned());
    }
}
// ANCHOR_END: upgrade

fn main() {
    let names = RwLock::new(vec![String::from("ada")]);
    add_if_missing(&names, "grace");
    add_if_missing(&names, "ada");
    println!("{:?}", names.read().unwrap());
}
