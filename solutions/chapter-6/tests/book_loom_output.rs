//! The loom output that the book shows (6.3 A test that passes and is wrong,
//! 6.4 How loom works), made here and compared with the recorded copy in
//! `src/chapter-6/loom-output/`. After a deliberate change, record it again:
//!
//!     COURSE_OVERWRITE=1 cargo test -p chapter-6-solution --test book_loom_output
//!
//! Also two canaries: loom 0.7.3 bugs that the chapter works around and
//! describes. When a new loom fixes one, its test fails, to say so.

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use loom::thread;
use test_support::watchdog;

std::thread_local! {
    /// What the current execution did, in order: loom runs the model's
    /// threads one at a time, on the thread that called it, so this is the
    /// order in which loom scheduled the steps.
    static TRACE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// How many executions loom has started.
    static EXECUTIONS: Cell<usize> = const { Cell::new(0) };
}

fn note(step: String) {
    TRACE.with_borrow_mut(|trace| trace.push(step));
}

// ANCHOR: model
/// One thread publishes `data` and raises `ready`; the other, if it sees
/// `ready`, reads `data`.
fn publish_with(store_ready: Ordering, load_ready: Ordering) {
    let data = Arc::new(AtomicU64::new(0));
    let ready = Arc::new(AtomicBool::new(false));
    let writer = {
        let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
        thread::spawn(move || {
            data.store(42, Ordering::Relaxed);
            note("writer: data.store(42, Relaxed)".into());
            ready.store(true, store_ready);
            note(format!("writer: ready.store(true, {store_ready:?})"));
        })
    };
    let seen = ready.load(load_ready);
    note(format!("reader: ready.load({load_ready:?}) -> {seen}"));
    if seen {
        let value = data.load(Ordering::Relaxed);
        note(format!("reader: data.load(Relaxed) -> {value}"));
        assert_eq!(value, 42, "the reader saw `ready` but not the data");
    }
    writer.join().unwrap();
}
// ANCHOR_END: model

// ANCHOR: cell_model
/// The same, with the data in loom's `UnsafeCell`, as a real type keeps it.
fn publish_in_cell(store_ready: Ordering, load_ready: Ordering) {
    struct Shared {
        data: UnsafeCell<u64>,
        ready: AtomicBool,
    }
    // SAFETY: what this model checks.
    unsafe impl Sync for Shared {}

    let shared = Arc::new(Shared {
        data: UnsafeCell::new(0),
        ready: AtomicBool::new(false),
    });
    let writer = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            shared.data.with_mut(|data| unsafe { *data = 42 });
            shared.ready.store(true, store_ready);
        })
    };
    if shared.ready.load(load_ready) {
        let value = shared.data.with(|data| unsafe { *data });
        assert_eq!(value, 42);
    }
    writer.join().unwrap();
}
// ANCHOR_END: cell_model

/// Runs `model` under loom with the bound the exercises use, and describes
/// what happened: how many executions, and the first failing one.
fn explore(model: impl Fn() + Send + Sync + 'static) -> String {
    EXECUTIONS.set(0);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    builder.max_permutations = None;
    builder.max_duration = None;
    builder.checkpoint_file = None;
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        builder.check(move || {
            EXECUTIONS.set(EXECUTIONS.get() + 1);
            TRACE.with_borrow_mut(Vec::clear);
            model();
        })
    }));
    let executions = EXECUTIONS.get();
    let mut report = String::new();
    match outcome {
        Ok(()) => writeln!(report, "loom ran {executions} executions; none failed.").unwrap(),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            writeln!(
                report,
                "loom ran {executions} executions; execution {executions} failed."
            )
            .unwrap();
            let trace = TRACE.take();
            if !trace.is_empty() {
                writeln!(report, "Its steps, in the order loom ran them:").unwrap();
                for step in trace.iter() {
                    writeln!(report, "    {step}").unwrap();
                }
            }
            writeln!(report, "loom's message:").unwrap();
            for line in message.trim_end().lines() {
                writeln!(report, "    {line}").unwrap();
            }
        }
    }
    report
}

/// Compares `text` with the recorded `src/chapter-6/loom-output/NAME.txt`.
fn check_recorded(name: &str, text: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../src/chapter-6/loom-output")
        .join(format!("{name}.txt"));
    if std::env::var_os("COURSE_OVERWRITE").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        recorded,
        text,
        "loom's output differs from what the book shows ({}). If loom changed \
         on purpose, record it again with COURSE_OVERWRITE=1 and review the \
         pages 6.3 and 6.4.",
        path.display()
    );
}

#[test]
fn relaxed_flag() {
    watchdog("loom did not finish", || {
        let text = explore(|| publish_with(Ordering::Relaxed, Ordering::Relaxed));
        check_recorded("relaxed_flag", &text);
    });
}

#[test]
fn release_acquire_flag() {
    watchdog("loom did not finish", || {
        let text = explore(|| publish_with(Ordering::Release, Ordering::Acquire));
        check_recorded("release_acquire_flag", &text);
    });
}

#[test]
fn relaxed_flag_cell() {
    watchdog("loom did not finish", || {
        let text = explore(|| publish_in_cell(Ordering::Relaxed, Ordering::Relaxed));
        check_recorded("relaxed_flag_cell", &text);
    });
}

/// loom issue #254: a plain store can fall between the read and the write of
/// another thread's swap. In real executions (and the C++ memory model that
/// Rust uses), a swap that read `false` before the store makes the store
/// come later, so the last load must see `true`; loom 0.7.3 says otherwise.
#[test]
fn canary_loom_issue_254_still_open() {
    watchdog("loom did not finish", || {
        let text = explore(|| {
            let flag = Arc::new(AtomicBool::new(false));
            let setter = {
                let flag = Arc::clone(&flag);
                thread::spawn(move || flag.store(true, Ordering::Release))
            };
            let before = flag.swap(false, Ordering::Acquire);
            setter.join().unwrap();
            let after = flag.load(Ordering::Acquire);
            assert!(before || after, "the store vanished");
        });
        assert!(
            text.contains("the store vanished"),
            "loom no longer reports the false alarm of issue #254: update \
             6.4 How loom works and exercises/chapter-6/tests/loom/sync.rs.\n{text}"
        );
    });
}

/// loom issue #392: when the storing thread loads the same atomic first,
/// loom explores one execution only, and misses the one where the other
/// thread's load sees the store.
#[test]
fn canary_loom_issue_392_still_open() {
    watchdog("loom did not finish", || {
        let text = explore(|| {
            let flag = Arc::new(AtomicU64::new(0));
            let setter = {
                let flag = Arc::clone(&flag);
                thread::spawn(move || {
                    let old = flag.load(Ordering::Relaxed);
                    flag.store(old + 1, Ordering::Release);
                })
            };
            let seen = flag.load(Ordering::Acquire);
            setter.join().unwrap();
            assert_eq!(seen, 0, "loom explored the load that sees the store");
        });
        assert!(
            text.contains("loom ran 1 executions; none failed."),
            "loom now explores what issue #392 said it missed: update 6.4 How \
             loom works and the comment in exercises/chapter-6/tests/loom/ring.rs.\n{text}"
        );
    });
}
