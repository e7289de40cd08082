//! What a test can observe about threads it did not start itself: whether
//! they have ended ([`ThreadExits`]), and whether they panicked
//! ([`panics_on`]). Results alone cannot show either: a thread can hand over
//! its result and go on running, and a worker can die after its last job.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::thread::{self, ThreadId};

/// Keeps track of threads that have ended. Call [`ThreadExits::watch`] on a
/// thread (typically from inside a job the code under test runs); when that
/// thread ends, after its closure has returned or unwound and its
/// thread-local values are dropped, it counts as exited.
#[derive(Clone, Default)]
pub struct ThreadExits {
    state: Arc<Mutex<ExitState>>,
}

#[derive(Default)]
struct ExitState {
    watched: HashSet<ThreadId>,
    exited: HashSet<ThreadId>,
}

/// Reports the exit of this thread to every `ThreadExits` that watches it,
/// from the destructor of a thread-local value.
struct ExitReporter {
    watchers: Vec<Arc<Mutex<ExitState>>>,
}

impl Drop for ExitReporter {
    fn drop(&mut self) {
        let me = thread::current().id();
        for state in &self.watchers {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            state.exited.insert(me);
        }
    }
}

thread_local! {
    static REPORTER: RefCell<ExitReporter> = const { RefCell::new(ExitReporter { watchers: Vec::new() }) };
}

impl ThreadExits {
    pub fn new() -> ThreadExits {
        ThreadExits::default()
    }

    /// Watches the calling thread: it will count as exited once it ends.
    /// Watching the same thread twice counts it once.
    pub fn watch(&self) {
        let me = thread::current().id();
        let first = self.lock().watched.insert(me);
        if first {
            REPORTER.with_borrow_mut(|r| r.watchers.push(Arc::clone(&self.state)));
        }
    }

    /// How many watched threads there are.
    pub fn watched(&self) -> usize {
        self.lock().watched.len()
    }

    /// How many watched threads have ended.
    pub fn exited(&self) -> usize {
        self.lock().exited.len()
    }

    /// How many watched threads are still running.
    pub fn running(&self) -> usize {
        let state = self.lock();
        state.watched.difference(&state.exited).count()
    }

    /// Like [`ThreadExits::running`], without waiting for the lock: `None`
    /// if it is taken (for a watchdog's diagnosis, which must not block).
    pub fn try_running(&self) -> Option<usize> {
        let state = self.state.try_lock().ok()?;
        Some(state.watched.difference(&state.exited).count())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ExitState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One panic seen by the panic hook that [`panics_on`] installs.
#[derive(Clone, Debug)]
struct SeenPanic {
    thread: ThreadId,
    message: String,
}

static HOOK: Once = Once::new();
static PANICS: Mutex<Vec<SeenPanic>> = Mutex::new(Vec::new());

/// Starts recording every panic in this test binary, for [`panics_on`].
/// The hook passes each panic on to the default one, so the output is as
/// before. Call it before the threads of interest can panic.
pub fn record_panics() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "<a payload that is not text>".to_owned());
            PANICS
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(SeenPanic {
                    thread: thread::current().id(),
                    message,
                });
            previous(info);
        }));
    });
}

/// The messages of the panics recorded (see [`record_panics`]) on the
/// thread `id`, oldest first.
pub fn panics_on(id: ThreadId) -> Vec<String> {
    PANICS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter(|p| p.thread == id)
        .map(|p| p.message.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_watched_thread_counts_as_exited_once_it_has_ended() {
        let exits = ThreadExits::new();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let (watching_tx, watching_rx) = mpsc::channel::<()>();
        let e = exits.clone();
        let handle = thread::spawn(move || {
            e.watch();
            e.watch();
            watching_tx.send(()).unwrap();
            go_rx.recv().unwrap();
        });
        watching_rx.recv().unwrap();
        assert_eq!(
            (exits.watched(), exits.exited(), exits.running()),
            (1, 0, 1)
        );
        go_tx.send(()).unwrap();
        handle.join().unwrap();
        assert_eq!(
            (exits.watched(), exits.exited(), exits.running()),
            (1, 1, 0)
        );
    }

    #[test]
    fn panics_are_recorded_by_thread() {
        record_panics();
        let handle = thread::Builder::new()
            .name("panics on purpose".into())
            .spawn(|| panic!("recorded {}", 7))
            .unwrap();
        let id = handle.thread().id();
        assert!(handle.join().is_err());
        assert_eq!(panics_on(id), ["recorded 7"]);
        assert!(panics_on(thread::current().id()).is_empty());
    }
}
