//! A guard that stays home (book: 5.8.2).
//!
//! Every thread has a *context*: a stack of names such as
//! `["request 42", "parse"]` that its log lines can mention. `enter` pushes a
//! name and returns a guard; dropping the guard takes the name off again.

use std::cell::RefCell;
// ANSWER
use std::marker::PhantomData;
// END ANSWER

thread_local! {
    /// This thread's context, outermost name first. Each thread has its own.
    static STACK: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Proof that this thread has entered a context. Dropping it leaves the
/// context: this thread's stack goes back to what `enter` found.
// ANSWER: ///
// ANSWER: /// It must never leave the thread that made it: make it `!Send`
// ANSWER: /// (book: 5.5 How composition decides).
// END ANSWER
#[must_use = "dropping the guard leaves the context at once"]
pub struct ContextGuard {
    /// How many names this thread's stack held before `enter`.
    depth: usize,
    // ANSWER
    /// Zero-sized, but neither `Send` nor `Sync`, so `ContextGuard` is
    /// neither: a guard cannot reach the stack of another thread.
    _stays_home: PhantomData<*const ()>,
    // END ANSWER
}

/// Pushes `name` onto this thread's context until the guard is dropped.
pub fn enter(name: &str) -> ContextGuard {
    // ANSWER: todo!("enter: push name onto STACK, return a guard (book: 5.8.2 A guard that stays home)")
    let depth = STACK.with_borrow_mut(|stack| {
        stack.push(name.to_owned());
        stack.len() - 1
    });
    ContextGuard {
        depth,
        _stays_home: PhantomData,
    }
    // END ANSWER
}

/// This thread's context, outermost name first.
pub fn current() -> Vec<String> {
    // ANSWER: todo!("current: a copy of this thread's STACK (book: 5.8.2 A guard that stays home)")
    STACK.with_borrow(|stack| stack.clone())
    // END ANSWER
}

impl Drop for ContextGuard {
    fn drop(&mut self) {
        // Leave the context: this thread's stack goes back to `depth` names.
        STACK.with_borrow_mut(|stack| stack.truncate(self.depth));
    }
}
