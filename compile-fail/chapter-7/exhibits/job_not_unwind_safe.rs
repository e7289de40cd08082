// Catching a job's panic without `AssertUnwindSafe`.
use std::panic;

type Job = Box<dyn FnOnce() + Send + 'static>;

fn run(job: Job) {
    if panic::catch_unwind(job).is_err() {
        println!("the job panicked");
    }
}

fn main() {
    run(Box::new(|| panic!("oops")));
}
