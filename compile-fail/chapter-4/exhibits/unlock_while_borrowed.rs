use std::sync::Mutex;

fn main() {
    let names = Mutex::new(vec![String::from("ada")]);
    let guard = names.lock().unwrap();
    let first = &guard[0];
    drop(guard); // unlock early...
    println!("{first}"); // ...but `first` still points into the data
}
