// A job that borrows the caller's text: `execute` wants `'static`.
fn execute<F>(job: F)
where
    F: FnOnce() + Send + 'static,
{
    std::thread::spawn(job);
}

fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn main() {
    let text = String::from("to be or not to be");
    let (front, back) = text.split_at(9);
    execute(|| println!("{}", count_words(front)));
    execute(|| println!("{}", count_words(back)));
}
