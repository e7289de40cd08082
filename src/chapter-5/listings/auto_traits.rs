use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

// ANCHOR: reading
/// A sensor reading. Nobody wrote `impl Send` or `impl Sync` for it.
struct Reading {
    sensor: String,
    celsius: f64,
}
// ANCHOR_END: reading

// ANCHOR: assert
/// Compiles only if `T` is `Send`; does nothing when it runs.
fn assert_send<T: Send>() {}
/// Compiles only if `T` is `Sync`.
fn assert_sync<T: Sync>() {}
// ANCHOR_END: assert

fn main() {
    // ANCHOR: checks
    // The compiler worked these out from the fields: String and f64.
    assert_send::<Reading>();
    assert_sync::<Reading>();

    // T: Sync, so &T: Send. Each pair stands or falls together.
    assert_sync::<AtomicU64>();
    assert_send::<&AtomicU64>();
    assert_sync::<Mutex<Vec<Reading>>>();
    assert_send::<&Mutex<Vec<Reading>>>();

    // A Cell may move to another thread (it is Send) ...
    assert_send::<Cell<f64>>();
    // ... but it is not Sync, so neither line below would compile:
    // assert_sync::<Cell<f64>>();
    // assert_send::<&Cell<f64>>();
    // ANCHOR_END: checks

    let r = Reading {
        sensor: String::from("boiler"),
        celsius: 71.5,
    };
    println!(
        "{} reads {} °C: every assertion compiled",
        r.sensor, r.celsius
    );
}
