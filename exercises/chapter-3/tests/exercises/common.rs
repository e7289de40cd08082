//! Helpers shared by Chapter 3's tests: what the kernel says about a thread.
//!
//! Results alone cannot show that a thread *waits*: a `drain` that blocks
//! for 100 ms in `recv_timeout` still returns the right items, and an
//! `offer` that sleeps a moment before it gives up still drops the right
//! ones. On Linux the kernel shows every thread's scheduler state in
//! `/proc/self/task/<tid>/stat`: `S` means asleep, waiting for an event
//! (a channel, a lock, a timer). A thread that only computes, spins or
//! yields is never `S`, also when it is preempted (`R`). So a thread seen
//! `S` inside a call that must never wait is proof that the call waited;
//! no clock is read, and a right answer can never be seen asleep there.
//! (Elsewhere, or without `/proc`, nothing is seen and these checks pass.)

use std::fs::File;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, Weak};
use std::thread;
use std::time::Duration;

/// The calling thread's id in the kernel, or 0 where there is none to be
/// had.
pub fn own_tid() -> u64 {
    #[cfg(target_os = "linux")]
    if let Ok(link) = std::fs::read_link("/proc/thread-self") {
        // The link reads "<pid>/task/<tid>".
        if let Some(tid) = link.file_name().and_then(|s| s.to_str()?.parse().ok()) {
            return tid;
        }
    }
    0
}

/// The scheduler state of thread `tid` of this process (`R` running or
/// ready, `S` asleep, ...), or `None` if it cannot be seen or the thread
/// has ended.
pub fn state_of(tid: u64) -> Option<char> {
    if tid == 0 {
        return None;
    }
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    state_in(stat.as_bytes())
}

/// The state field of a `stat` line: "<tid> (<name>) <state> ...". The
/// name may hold spaces and parentheses, so look after the last ')'.
fn state_in(stat: &[u8]) -> Option<char> {
    let end = stat.iter().rposition(|&b| b == b')')?;
    stat[end + 1..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .map(|&b| b as char)
}

/// A reader of one thread's state that does not allocate, so that reading
/// it often cannot disturb the thread it watches (through the allocator's
/// locks).
struct StateReader {
    #[cfg(unix)]
    file: Option<File>,
}

impl StateReader {
    fn open(tid: u64) -> StateReader {
        #[cfg(unix)]
        {
            let file = (tid != 0)
                .then(|| File::open(format!("/proc/self/task/{tid}/stat")).ok())
                .flatten();
            StateReader { file }
        }
        #[cfg(not(unix))]
        {
            let _ = tid;
            StateReader {}
        }
    }

    fn can_see(&self) -> bool {
        #[cfg(unix)]
        return self.file.is_some();
        #[cfg(not(unix))]
        return false;
    }

    fn state(&self) -> Option<char> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            let mut buf = [0u8; 512];
            let n = self.file.as_ref()?.read_at(&mut buf, 0).ok()?;
            state_in(&buf[..n])
        }
        #[cfg(not(unix))]
        None
    }
}

/// Watches one thread for sleeping inside the calls that must never wait.
///
/// The watched thread runs such a call in [`Sleeps::during`]; meanwhile a
/// watcher thread reads its state over and over, and remembers if it ever
/// saw it asleep. A call that waits, even for a millisecond, is seen: on
/// one core the watcher runs as soon as the call sleeps, and on several it
/// reads the state every few microseconds.
#[derive(Clone)]
pub struct Sleeps {
    shared: Arc<Shared>,
}

struct Shared {
    /// The watched thread, as the kernel knows it (0 until `watch_me`).
    tid: AtomicU64,
    /// Whether the watched thread is inside `during`, and which time.
    open: AtomicBool,
    window: AtomicUsize,
    /// The first window in which the thread was seen asleep (0: none).
    slept_in: AtomicUsize,
    /// Whether the watcher can see states at all.
    can_see: AtomicBool,
    watcher: Mutex<Option<thread::Thread>>,
}

impl Sleeps {
    pub fn new() -> Sleeps {
        Sleeps {
            shared: Arc::new(Shared {
                tid: AtomicU64::new(0),
                open: AtomicBool::new(false),
                window: AtomicUsize::new(0),
                slept_in: AtomicUsize::new(0),
                can_see: AtomicBool::new(false),
                watcher: Mutex::new(None),
            }),
        }
    }

    /// Starts watching the calling thread.
    pub fn watch_me(&self) {
        let tid = own_tid();
        self.shared.tid.store(tid, SeqCst);
        let reader = StateReader::open(tid);
        self.shared.can_see.store(reader.can_see(), SeqCst);
        if !reader.can_see() {
            return;
        }
        let weak = Arc::downgrade(&self.shared);
        let watcher = thread::Builder::new()
            .name("sleep watcher".into())
            .spawn(move || watch(weak, reader))
            .expect("the test could not start its watcher thread");
        *self.shared.watcher.lock().unwrap() = Some(watcher.thread().clone());
    }

    /// Runs `call` on the watched thread (the caller of `watch_me`), and
    /// returns its result and whether the thread was seen asleep inside it.
    pub fn during<R>(&self, call: impl FnOnce() -> R) -> (R, bool) {
        let window = self.shared.window.fetch_add(1, SeqCst) + 1;
        self.shared.open.store(true, SeqCst);
        if let Some(watcher) = self.shared.watcher.lock().unwrap().as_ref() {
            watcher.unpark();
        }
        let result = call();
        self.shared.open.store(false, SeqCst);
        (result, self.shared.slept_in.load(SeqCst) == window)
    }

    /// Whether the watched thread, now inside `during`, has been seen
    /// asleep there (now or earlier in the same call): `None` if that
    /// cannot be seen. One look at the state can land on a moment when a
    /// thread that mostly sleeps is awake; this remembers every look. Never
    /// blocks (for a diagnosis).
    pub fn slept_inside(&self) -> Option<bool> {
        if !self.shared.can_see.load(SeqCst) {
            return None;
        }
        let inside = self.shared.open.load(SeqCst);
        let window = self.shared.window.load(SeqCst);
        let earlier = self.shared.slept_in.load(SeqCst) == window;
        let now = state_of(self.shared.tid.load(SeqCst)) == Some('S');
        Some(inside && (earlier || now))
    }

    /// The watched thread's state right now (for a diagnosis).
    pub fn state_now(&self) -> Option<char> {
        state_of(self.shared.tid.load(SeqCst))
    }
}

fn watch(shared: Weak<Shared>, reader: StateReader) {
    let mut watched_window = 0;
    let mut samples: u32 = 0;
    loop {
        let Some(s) = shared.upgrade() else { return };
        if !s.open.load(SeqCst) {
            drop(s);
            // Woken by the next `during`; the timeout only lets the
            // watcher notice that the test is over.
            thread::park_timeout(Duration::from_millis(20));
            continue;
        }
        let window = s.window.load(SeqCst);
        if window != watched_window {
            watched_window = window;
            samples = 0;
        }
        if s.slept_in.load(SeqCst) != window
            && reader.state() == Some('S')
            // Still the same call: the thread did not leave it meanwhile.
            && s.open.load(SeqCst)
            && s.window.load(SeqCst) == window
        {
            s.slept_in.store(window, SeqCst);
        }
        drop(s);
        samples = samples.saturating_add(1);
        if samples < 20_000 {
            thread::yield_now();
        } else {
            // A call that has run this long without sleeping spins; look
            // now and then, and leave the cores to the rest.
            thread::sleep(Duration::from_millis(1));
        }
    }
}

thread_local! {
    /// What `diagnose_with` hands to `run_with`; see there.
    static HANDED_OVER: std::cell::RefCell<Option<Box<dyn std::any::Any>>> =
        const { std::cell::RefCell::new(None) };
}

/// The first half of a `watchdog_diagnosed` call whose diagnosis and body
/// share what the test observes:
///
/// ```text
/// watchdog_diagnosed(
///     diagnose_with(Seen::new(), |seen| seen.diagnosis()),
///     run_with(|seen: Seen| { ... }),
/// );
/// ```
///
/// Rust evaluates the arguments in order, on the test's thread: this one
/// keeps a clone of `state` for [`run_with`], and returns the diagnosis.
pub fn diagnose_with<S: Clone + Send + 'static>(
    state: S,
    diagnose: impl FnOnce(&S) -> String + Send + 'static,
) -> impl FnOnce() -> String + Send + 'static {
    HANDED_OVER.with_borrow_mut(|slot| *slot = Some(Box::new(state.clone())));
    move || diagnose(&state)
}

/// The second half: the body, given the state that [`diagnose_with`]
/// kept.
pub fn run_with<S: Send + 'static>(
    body: impl FnOnce(S) + Send + 'static,
) -> impl FnOnce() + Send + 'static {
    let state = HANDED_OVER
        .with_borrow_mut(Option::take)
        .and_then(|state| state.downcast::<S>().ok())
        .expect("run_with comes right after diagnose_with, with the same type");
    move || body(*state)
}

impl Default for Sleeps {
    fn default() -> Sleeps {
        Sleeps::new()
    }
}

/// "1 item", "2 items".
pub fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}
