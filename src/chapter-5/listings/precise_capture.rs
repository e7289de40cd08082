use std::rc::Rc;
use std::thread;

// ANCHOR: capture
struct Job {
    id: u32,
    input: String,
    shared_names: Rc<Vec<String>>,
}

fn main() {
    let names = Rc::new(vec![String::from("ada"), String::from("grace")]);
    let job = Job {
        id: 7,
        input: String::from("report.txt"),
        shared_names: Rc::clone(&names),
    };
    // Job is not Send, but this closure never uses job.shared_names: it
    // captures (moves) only job.id and job.input, a u32 and a String.
    let worker = thread::spawn(move || format!("job {} reads {}", job.id, job.input));
    println!("{}", worker.join().unwrap());
    // The Rc field never left this thread.
    println!("main still shares {} names", job.shared_names.len());
}
// ANCHOR_END: capture
