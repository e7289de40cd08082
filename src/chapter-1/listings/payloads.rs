use std::any::Any;
use std::panic;
use std::thread;

// ANCHOR: describe
/// What a panic carried: most panics carry text, as a `&'static str` or
/// a `String`; `panic_any` can carry a value of any `Send` type.
fn describe(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        format!("&'static str {text:?}")
    } else if let Some(text) = payload.downcast_ref::<String>() {
        format!("String {text:?}")
    } else if let Some(code) = payload.downcast_ref::<i32>() {
        format!("i32 {code}")
    } else {
        "something else".to_owned()
    }
}
// ANCHOR_END: describe

// ANCHOR: main
fn payload_of(job: fn()) -> Box<dyn Any + Send> {
    thread::spawn(job)
        .join()
        .expect_err("every job here panics")
}

fn main() {
    // Keep the default hook from printing each panic on stderr.
    panic::set_hook(Box::new(|_| {}));

    let jobs: [(&str, fn()); 5] = [
        ("panic!(\"no fuel\")", || panic!("no fuel")),
        ("panic!(\"no {}\", \"fuel\")", || panic!("no {}", "fuel")),
        ("panic!(\"tank {n} empty\")", || {
            let n = std::env::args().count(); // known only at run time
            panic!("tank {n} empty")
        }),
        ("panic_any(7)", || panic::panic_any(7_i32)),
        ("panic_any(7.5)", || panic::panic_any(7.5_f64)),
    ];
    for (code, job) in jobs {
        println!("{code:26} carries {}", describe(&*payload_of(job)));
    }
}
// ANCHOR_END: main
