use std::thread;

/// Says when it is dropped.
struct Report {
    title: String,
}

impl Report {
    fn title(&self) -> &str {
        &self.title
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        println!("{} dropped", self.title);
    }
}

// ANCHOR: is_static
/// Compiles only for types that meet the `'static` bound.
fn is_static<T: 'static>(_: &T) {}
// ANCHOR_END: is_static

fn main() {
    // ANCHOR: types
    let count = 3;
    let name = String::from("ferris"); // made at run time
    let names = vec![name.clone()];
    let literal: &'static str = "baked into the program";
    let boxed: Box<dyn Fn() -> u8 + Send> = Box::new(|| 7);

    is_static(&count);
    is_static(&name);
    is_static(&names);
    is_static(&literal);
    is_static(&boxed);
    // ANCHOR_END: types

    // ANCHOR: owned
    let report = Report {
        title: String::from("the weekly report"), // made at run time
    };
    let handle = thread::spawn(move || {
        println!("the thread owns {}", report.title());
        // `report` is dropped here, when the closure ends.
    });
    handle.join().unwrap();
    println!("main goes on; the report is long gone");
    // ANCHOR_END: owned
}
