// One field that is not Send is enough to make the whole struct not Send.
use std::rc::Rc;
use std::thread;

struct Job {
    id: u32,
    input: String,
    shared_names: Rc<Vec<String>>,
}

fn run(job: Job) -> usize {
    println!("job {} reads {}", job.id, job.input);
    job.shared_names.len()
}

fn main() {
    let names = Rc::new(vec![String::from("ada"), String::from("grace")]);
    let job = Job {
        id: 7,
        input: String::from("report.txt"),
        shared_names: Rc::clone(&names),
    };
    let worker = thread::spawn(move || run(job));
    println!("{} names", worker.join().unwrap());
}
