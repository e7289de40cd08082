//! The terminal and the child processes: keys without Enter while watching,
//! and, whatever way the companion ends (`q`, Ctrl-C, a closed terminal),
//! the terminal as it was and no build or test left running.
//!
//! Children (cargo, test binaries) run in process groups of their own, so
//! that ending one ends everything it started (rustc, a test's `cargo
//! check`). Their groups are listed here, and a signal handler ends them
//! and puts the terminal back before the companion itself goes.

use std::io::IsTerminal;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// Process groups of the running children; 0 marks a free slot.
static GROUPS: [AtomicI32; 16] = [const { AtomicI32::new(0) }; 16];
/// Set by [`kill_all`]: the companion is ending, so no child may start.
static ENDING: AtomicBool = AtomicBool::new(false);

/// Starts `cmd` in a process group of its own and lists it, so that
/// [`kill_all`] (or a Ctrl-C) ends it and everything it started.
pub fn spawn(cmd: &mut Command) -> std::io::Result<Child> {
    if ENDING.load(Ordering::SeqCst) {
        return Err(std::io::Error::other("the companion is ending"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let child = cmd.spawn()?;
    let pid = i32::try_from(child.id()).unwrap_or(0);
    if pid > 0 {
        for slot in &GROUPS {
            if slot
                .compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                break;
            }
        }
    }
    Ok(child)
}

/// The child has ended (and was waited for): take it off the list.
pub fn forget(child: &Child) {
    let pid = i32::try_from(child.id()).unwrap_or(0);
    for slot in &GROUPS {
        let _ = slot.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// Ends `child` and everything it started.
pub fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        if let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: kill(2) with a negative pid signals that process
            // group; the group is the child's own (process_group(0)).
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
}

/// Ends every listed child's process group, and lets no other start.
/// Async-signal-safe.
pub fn kill_all() {
    ENDING.store(true, Ordering::SeqCst);
    for slot in &GROUPS {
        let pid = slot.swap(0, Ordering::SeqCst);
        if pid > 0 {
            #[cfg(unix)]
            // SAFETY: as in `kill`; kill(2) is async-signal-safe.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
            #[cfg(windows)]
            {
                let _ = Command::new("taskkill")
                    .args(["/F", "/T", "/PID", &pid.to_string()])
                    .output();
            }
        }
    }
}

/// Colours and bold on standard output: only on a terminal, and never
/// with `NO_COLOR` set.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Text styles, empty when colours are off.
#[derive(Clone, Copy)]
pub struct Style {
    pub on: bool,
}

impl Style {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    pub fn bold(&self, t: &str) -> String {
        self.wrap("1", t)
    }
    pub fn green(&self, t: &str) -> String {
        self.wrap("32", t)
    }
    pub fn red(&self, t: &str) -> String {
        self.wrap("31", t)
    }
    pub fn yellow(&self, t: &str) -> String {
        self.wrap("33", t)
    }
    pub fn dim(&self, t: &str) -> String {
        self.wrap("2", t)
    }
}

/// The terminal's width on standard output, if it is a terminal.
pub fn columns() -> Option<usize> {
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ fills a winsize, or fails and leaves it zeroed.
        let mut size: libc::winsize = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
        if ok && size.ws_col > 0 {
            return Some(usize::from(size.ws_col));
        }
    }
    std::env::var("COLUMNS").ok()?.parse().ok()
}

/// Installs handlers for Ctrl-C, SIGTERM and SIGHUP that end the children,
/// put the terminal back (see [`KeyMode`]) and then end the companion as
/// the signal would have.
pub fn install_signal_handlers() {
    #[cfg(unix)]
    unix::install();
}

/// While alive, standard input (a terminal) delivers each key at once and
/// does not echo it. Dropping it, or any signal handled above, puts the
/// terminal back as it was.
pub struct KeyMode {
    _private: (),
}

impl KeyMode {
    /// Switches a terminal on standard input to single keys; `None` when
    /// standard input is not a terminal (keys are then read as they come,
    /// and end of input means quit) or on systems without termios.
    pub fn enter() -> Option<KeyMode> {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        #[cfg(unix)]
        {
            unix::enter().then_some(KeyMode { _private: () })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

impl Drop for KeyMode {
    fn drop(&mut self) {
        #[cfg(unix)]
        unix::restore();
    }
}

#[cfg(unix)]
mod unix {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// The terminal's settings before the companion changed them.
    static SAVED: OnceLock<libc::termios> = OnceLock::new();
    /// Whether the terminal is in single-key mode now.
    static CHANGED: AtomicBool = AtomicBool::new(false);

    pub fn enter() -> bool {
        // SAFETY: termios is plain data; tcgetattr fills it or fails.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut t) } != 0 {
            return false;
        }
        let _ = SAVED.set(t);
        let mut keys = t;
        // No line editing, no echo; Ctrl-C still sends SIGINT (ISIG is
        // kept), and output is processed as before (OPOST is kept).
        keys.c_lflag &= !(libc::ICANON | libc::ECHO);
        keys.c_cc[libc::VMIN] = 1;
        keys.c_cc[libc::VTIME] = 0;
        // SAFETY: a valid termios for standard input.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &keys) } != 0 {
            return false;
        }
        CHANGED.store(true, Ordering::SeqCst);
        true
    }

    /// Async-signal-safe: tcsetattr(3) is.
    pub fn restore() {
        if CHANGED.swap(false, Ordering::SeqCst)
            && let Some(t) = SAVED.get()
        {
            // SAFETY: the settings read by tcgetattr in `enter`.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t);
            }
        }
    }

    extern "C" fn on_signal(signal: libc::c_int) {
        super::kill_all();
        restore();
        // SAFETY: signal(2) and raise(3) are async-signal-safe; with the
        // default action back, the companion ends as the signal says.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    pub fn install() {
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
            // SAFETY: a handler that only calls async-signal-safe functions.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as *const () as usize;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    }
}
