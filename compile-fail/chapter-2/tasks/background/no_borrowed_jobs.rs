//! Task of exercise 2.7.1 (book: 2.7.1 A job in the background).
//! `run_in_background` must accept only jobs that own their data, as
//! `thread::spawn` does. Both calls below hand the job a borrow of `main`'s
//! local `greeting`, which could be dropped while the job still runs. Once
//! your `run_in_background` asks for `'static` (as it must, to spawn), this
//! program must no longer compile.
// expect: E0373 E0597

use chapter_2::background::run_in_background;

fn main() {
    let greeting = String::from("hello");

    // The closure borrows `greeting`.
    let by_closure = run_in_background("closure", 3, |times: usize| greeting.len() * times);

    // The input is a reference to `greeting`.
    let by_input = run_in_background("input", &greeting, |text: &String| text.len());

    println!("{:?} {:?}", by_closure.join(), by_input.join());
}
