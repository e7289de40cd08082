//! Runs a loom model with the bounds set here, in code, and turns a failure
//! into a message that says where to look (book: 6.4 How loom works).

use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// At most this many preemptions per execution: loom tries every schedule
/// in which the scheduler takes the processor away from a thread that could
/// go on at most twice (blocking, yielding and finishing do not count).
/// Every bug in this chapter's fixtures needs no more than that, and each
/// model then finishes in well under a second.
const PREEMPTIONS: usize = 2;

/// How long a model may run before the watchdog fails it. Each one takes a
/// fraction of a second; the limit only bounds a model that never ends.
const LIMIT: Duration = Duration::from_secs(10);

/// Runs `model` under loom, exploring every execution within the bounds
/// above. If one fails, fails the test with `look_at` (the ordering or the
/// step to check, and the book section), followed by loom's own message.
pub fn check(look_at: &'static str, model: impl Fn() + Send + Sync + 'static) {
    test_support::watchdog_for(
        LIMIT,
        &format!("the loom model did not finish: a loop that never ends? {look_at}"),
        move || {
            // `Builder::new` reads the LOOM_* environment variables; every
            // bound that matters is then set here, so none of them can make
            // a model run for ever or stop early.
            let mut builder = loom::model::Builder::new();
            builder.preemption_bound = Some(PREEMPTIONS);
            // Every model here has at most one thread spinning at a time.
            // With two threads in `spin_loop` at once, loom 0.7.3 switches
            // between them at each yield without counting a preemption, so
            // one execution can starve the holder for ever: any correct
            // spin loop, the reference's too, then fails with "Model
            // exceeded maximum number of branches", whatever this limit.
            builder.max_branches = 1_000;
            builder.max_permutations = None;
            builder.max_duration = None;
            builder.checkpoint_file = None;
            let started = Instant::now();
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| builder.check(model)));
            if let Err(payload) = outcome {
                let said = payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| payload.downcast_ref::<&str>().copied())
                    .unwrap_or("(a panic without a message)");
                if said.starts_with("not yet implemented") {
                    // A `todo!()`: nothing to explain, pass it on as it is.
                    panic::resume_unwind(payload);
                }
                // loom stops an execution that runs on and on: a spin loop
                // that loom cannot see, or two threads that wait for each
                // other. Say so whatever the model checks.
                let stuck = if said.contains("maximum number of branches") {
                    "\nloom stopped an execution that went on and on, without finishing. \
                     Either a loop spins without telling loom: call `spin_loop()` from \
                     the exercise's `sync` module in every waiting loop (std's \
                     `std::hint::spin_loop` is invisible to loom, which then runs the \
                     spinning thread for ever; book: 6.4 How loom works); or two threads \
                     each wait for the other."
                } else {
                    ""
                };
                panic!(
                    "\n\nloom found an execution of this model that fails (after {:.1?}).\n\
                     Look at: {look_at}{stuck}\n\
                     loom said: {said}\n",
                    started.elapsed()
                );
            }
        },
    );
}

/// A value that the model drops as usual, except while its thread unwinds
/// from a failure: then it is leaked.
///
/// When loom finds a data race in an `UnsafeCell`, it panics in the middle
/// of its bookkeeping for that cell. A destructor that then touches the same
/// cell during the unwinding (a `Slot` or a ring dropping the value it
/// holds) panics again, and a second panic aborts the whole test binary,
/// losing loom's message. The models hold every value that owns a cell in a
/// `Hold`, so that a failed execution ends with loom's message, not an abort.
pub struct Hold<T>(ManuallyDrop<T>);

/// Holds `value`: see [`Hold`].
pub fn hold<T>(value: T) -> Hold<T> {
    Hold(ManuallyDrop::new(value))
}

impl<T> Deref for Hold<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Hold<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> Drop for Hold<T> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            // SAFETY: dropped once, here, and never used again.
            unsafe { ManuallyDrop::drop(&mut self.0) }
        }
    }
}
