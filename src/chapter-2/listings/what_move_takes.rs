use std::thread;

// ANCHOR: setup
static UNITS: &str = "ms";

struct Probe {
    name: String,
    samples: Vec<u32>,
    retries: u32,
}
// ANCHOR_END: setup

fn main() {
    // ANCHOR: takes
    let probe = Probe {
        name: String::from("latency"),
        samples: vec![12, 15, 11],
        retries: 3,
    };
    let factor = 2;

    let handle = thread::spawn(move || {
        // `probe.samples` is moved in, `factor` is copied in,
        // and `UNITS` is a static: nothing to capture.
        let total: u32 = probe.samples.iter().sum();
        format!("{} {UNITS}", total * factor)
    });

    // The closure took only the field it used: the rest of `probe` is here.
    println!(
        "{} (retries: {}, factor: {factor})",
        probe.name, probe.retries
    );
    println!("{}", handle.join().unwrap());
    // ANCHOR_END: takes
}
