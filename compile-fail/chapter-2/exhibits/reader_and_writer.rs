// One scoped thread writes `log` while another reads it.
use std::thread;

fn main() {
    let mut log = vec![String::from("start")];
    thread::scope(|s| {
        s.spawn(|| log.push(String::from("tick")));
        s.spawn(|| println!("{} entries", log.len()));
    });
}
