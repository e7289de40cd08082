use std::sync::Mutex;

fn first_name(names: &Mutex<Vec<String>>) -> &str {
    let guard = names.lock().unwrap();
    &guard[0]
}

fn main() {
    let names = Mutex::new(vec![String::from("ada")]);
    println!("{}", first_name(&names));
}
