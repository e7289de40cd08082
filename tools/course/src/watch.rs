//! `cargo course`: the guided loop. It finds the first exercise in book
//! order whose tests do not all pass, runs it, and then waits: for a save
//! (the system's file notifications, through `notify`; nothing runs while
//! nobody saves) or a key. A save during a run gives one more run when it
//! ends, never a pile of them. When the exercise passes, it moves on.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::course::Course;
use crate::files;
use crate::report;
use crate::run::{self, Outcome, Progress};
use crate::term::{self, KeyMode, Style};

/// Saves closer together than this are one change.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// A stream of saves is cut into changes at least this often.
const DEBOUNCE_MAX: Duration = Duration::from_millis(500);

enum Event {
    Key(u8),
    InputEnd,
    Changed(Vec<PathBuf>),
    Done(JobResult),
}

enum Job {
    /// Run these exercises in order, up to the first that is not done.
    Find(Vec<usize>),
    /// Run this exercise.
    Run(usize),
    /// Run every exercise, and show the table.
    List,
}

enum JobResult {
    Found {
        done: Vec<(usize, Outcome)>,
        first: Option<(usize, Outcome)>,
    },
    Ran(usize, Outcome),
    Listed(Vec<(usize, Outcome)>),
    Failed(String),
}

/// Prints a whole block at once, so that lines of the job's thread and of
/// the keys never mix within a block.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

struct Watch {
    course: Arc<Course>,
    tx: Sender<Event>,
    style: Style,
    verbose: bool,
    interactive: bool,
    /// The exercise being worked on; `None` when every one is done.
    current: Option<usize>,
    /// The exercise whose heading was printed last.
    shown: Option<usize>,
    /// Exercises whose tests all passed in this session, since their file
    /// was last saved.
    passed: Vec<bool>,
    /// The sources of the current exercise's test binaries.
    sources: Vec<PathBuf>,
    busy: bool,
    /// What to do when the running job ends.
    pending_changes: Vec<PathBuf>,
    pending_run: bool,
    pending_list: bool,
    /// Keys read while busy, when standard input is not a terminal: they are
    /// handled in order, each after the job before it.
    queued: VecDeque<Event>,
    /// Whether the keys were shown yet: they are, once, after the first
    /// result and before any key is handled.
    keys_shown: bool,
    quit: bool,
}

pub fn watch(course: Course, start: Option<usize>, verbose: bool) -> Result<i32, String> {
    let course = Arc::new(course);
    let style = Style { on: term::color() };
    let (tx, rx) = mpsc::channel::<Event>();
    let _watcher = start_watcher(&course.root.join("exercises"), tx.clone())?;
    let keys = KeyMode::enter();
    let interactive = keys.is_some();
    start_keys(tx.clone());
    let mut w = Watch {
        passed: vec![false; course.exercises.len()],
        course,
        tx,
        style,
        verbose,
        interactive,
        current: None,
        shown: None,
        sources: Vec::new(),
        busy: false,
        pending_changes: Vec::new(),
        pending_run: false,
        pending_list: false,
        queued: VecDeque::new(),
        keys_shown: false,
        quit: false,
    };
    match start {
        Some(i) => {
            w.current = Some(i);
            w.start(Job::Run(i));
        }
        None => w.start(Job::Find((0..w.course.exercises.len()).collect())),
    }
    w.event_loop(&rx);
    // Leave nothing running, and the terminal as it was.
    term::kill_all();
    drop(keys);
    Ok(0)
}

impl Watch {
    fn event_loop(&mut self, rx: &Receiver<Event>) {
        while !self.quit {
            let Ok(event) = rx.recv() else { break };
            match event {
                Event::Done(result) => {
                    self.busy = false;
                    self.finished(result);
                    self.after_job();
                }
                Event::Key(_) | Event::InputEnd if !self.interactive && self.busy => {
                    self.queued.push_back(event);
                }
                Event::Key(k) => self.key(k),
                Event::InputEnd => {
                    if !self.interactive {
                        say("End of input: goodbye.\n");
                    }
                    self.quit = true;
                }
                Event::Changed(paths) => {
                    if self.busy {
                        for p in paths {
                            if !self.pending_changes.contains(&p) {
                                self.pending_changes.push(p);
                            }
                        }
                    } else {
                        self.changed(paths);
                    }
                }
            }
        }
    }

    /// After a job: at most one more run for the saves made meanwhile, then
    /// what the keys asked for. The first time nothing runs any more, the
    /// keys are shown before any is handled (even a `q` that came at once).
    fn after_job(&mut self) {
        let first_keys = !self.busy && !self.keys_shown;
        if first_keys {
            self.prompt();
        }
        // Whether a key was handled since the keys were shown.
        let mut more = false;
        let changes = std::mem::take(&mut self.pending_changes);
        if !changes.is_empty() {
            self.changed(changes);
        }
        if !self.busy && self.pending_run {
            self.pending_run = false;
            self.run_current();
        }
        if !self.busy && self.pending_list {
            self.pending_list = false;
            self.start(Job::List);
        }
        while !self.busy && !self.quit {
            let Some(event) = self.queued.pop_front() else {
                break;
            };
            more = true;
            match event {
                Event::Key(k) => self.key(k),
                Event::InputEnd => {
                    say("End of input: goodbye.\n");
                    self.quit = true;
                }
                _ => {}
            }
        }
        if !self.busy && !self.quit && (more || !first_keys) {
            self.prompt();
        }
    }

    fn prompt(&mut self) {
        self.keys_shown = true;
        say(&format!(
            "\n{}\n",
            self.style.dim(
                "keys: h hint · l list · r run again · q quit  (re-runs on every save in exercises/)"
            )
        ));
    }

    fn key(&mut self, k: u8) {
        match k {
            b'q' | b'Q' | 4 => {
                say("Goodbye. Run `cargo course` again to go on where you are.\n");
                self.quit = true;
            }
            b'h' | b'H' => match self.current {
                Some(i) => match files::next_hint(&self.course, i, self.style) {
                    Ok(text) => say(&format!("\n{text}")),
                    Err(e) => say(&format!("\n{e}\n")),
                },
                None => say("\nEvery exercise is done: no hint needed.\n"),
            },
            b'r' | b'R' => {
                if self.busy {
                    self.pending_run = true;
                } else {
                    self.run_current();
                }
            }
            b'l' | b'L' => {
                if self.busy {
                    self.pending_list = true;
                } else {
                    self.start(Job::List);
                }
            }
            b'\n' | b'\r' | b' ' | b'\t' => {}
            _ if self.interactive => self.prompt(),
            _ => {}
        }
    }

    fn run_current(&mut self) {
        match self.current {
            Some(i) => self.start(Job::Run(i)),
            None => self.start(Job::Find(self.not_passed())),
        }
    }

    /// The exercises not known to pass, in book order.
    fn not_passed(&self) -> Vec<usize> {
        (0..self.course.exercises.len())
            .filter(|&i| !self.passed[i])
            .collect()
    }

    /// Saves: re-run the current exercise if they touch its sources (or its
    /// chapter's other files); switch to another exercise if only its file
    /// was saved.
    fn changed(&mut self, paths: Vec<PathBuf>) {
        let root = &self.course.root;
        let exercise_of = |p: &Path| {
            self.course
                .exercises
                .iter()
                .position(|e| run::normalize(&root.join(&e.file)) == *p)
        };
        for p in &paths {
            if let Some(i) = exercise_of(p) {
                self.passed[i] = false;
            }
        }
        let names: Vec<String> = paths
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
            .collect();
        let saved = format!("saved {}", names.join(", "));
        if let Some(c) = self.current {
            let package_dir = run::normalize(&root.join(self.course.exercises[c].package_dir()));
            let touches_current = paths.iter().any(|p| {
                self.sources.contains(p)
                    || exercise_of(p) == Some(c)
                    || (exercise_of(p).is_none() && p.starts_with(&package_dir))
            });
            if touches_current {
                self.announce(&saved);
                self.start(Job::Run(c));
                return;
            }
        }
        if let Some(i) = paths.iter().filter_map(|p| exercise_of(p)).min() {
            self.announce(&saved);
            self.current = Some(i);
            self.start(Job::Run(i));
        }
    }

    fn announce(&self, what: &str) {
        say(&format!("\n{}\n", self.style.dim(&format!("── {what} ──"))));
    }

    fn heading(&mut self, i: usize) {
        if self.shown != Some(i) {
            self.shown = Some(i);
            say(&format!(
                "\n{}",
                report::heading(&self.course, i, self.style)
            ));
        }
    }

    fn start(&mut self, job: Job) {
        self.busy = true;
        if let Job::Run(i) = job {
            self.heading(i);
        }
        let course = Arc::clone(&self.course);
        let tx = self.tx.clone();
        let style = self.style;
        thread::spawn(move || {
            // A bug here must not leave the loop waiting forever.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                perform(&course, &job, style)
            }))
            .unwrap_or_else(|_| {
                JobResult::Failed(
                    "the companion failed while running the tests (a bug); press r to try again"
                        .to_owned(),
                )
            });
            let _ = tx.send(Event::Done(result));
        });
    }

    fn finished(&mut self, result: JobResult) {
        let style = self.style;
        match result {
            JobResult::Failed(e) => say(&format!("\n{}\n", style.red(&e))),
            JobResult::Found { done, first } => {
                for (i, _) in &done {
                    self.passed[*i] = true;
                }
                match first {
                    Some((i, outcome)) => {
                        self.current = Some(i);
                        self.sources = outcome.sources.clone();
                        self.heading(i);
                        self.show(i, &outcome);
                    }
                    None => self.all_done(),
                }
            }
            JobResult::Ran(i, outcome) => {
                self.heading(i);
                self.show(i, &outcome);
                if Some(i) == self.current {
                    self.sources = outcome.sources.clone();
                }
                self.passed[i] = outcome.done();
                if outcome.done() {
                    let rest = self.not_passed();
                    if rest.is_empty() {
                        self.all_done();
                    } else {
                        say(&format!("\n{}\n", style.bold("On to the next exercise.")));
                        self.start(Job::Find(rest));
                    }
                }
            }
            JobResult::Listed(outcomes) => {
                say(&format!(
                    "\n{}",
                    report::table(&self.course, &outcomes, style)
                ));
                for (i, o) in &outcomes {
                    self.passed[*i] = o.done();
                }
            }
        }
    }

    fn show(&self, i: usize, outcome: &Outcome) {
        let e = &self.course.exercises[i];
        say(&format!(
            "\n{}",
            report::outcome(&self.course, e, outcome, self.verbose, self.style)
        ));
    }

    fn all_done(&mut self) {
        self.current = None;
        self.shown = None;
        say(&format!(
            "\n{}\n",
            self.style.green(&format!(
                "All {} exercises are done. Well done! (`cargo course list` shows them all.)",
                self.course.exercises.len()
            ))
        ));
    }
}

/// Does a job on its own thread: builds and runs, printing progress as it
/// goes; the result goes back to the loop.
fn perform(course: &Course, job: &Job, style: Style) -> JobResult {
    match job {
        Job::Run(i) => {
            let e = &course.exercises[*i];
            say(&format!(
                "{}\n",
                style.dim(&format!("Building and running the tests of {}…", e.id))
            ));
            match run::build_for(course, &[e], style.on) {
                Ok(build) => {
                    let outcome = run::outcome_of(course, &build, e, &mut progress_printer(style));
                    JobResult::Ran(*i, outcome)
                }
                Err(err) => JobResult::Failed(err),
            }
        }
        Job::Find(order) => {
            let mut done = Vec::new();
            let mut k = 0;
            while k < order.len() {
                // One build for the run of exercises of the same chapter.
                let package = &course.exercises[order[k]].package;
                let end = order[k..]
                    .iter()
                    .position(|&i| course.exercises[i].package != *package)
                    .map_or(order.len(), |n| k + n);
                let group: Vec<&crate::course::Exercise> = order[k..end]
                    .iter()
                    .map(|&i| &course.exercises[i])
                    .collect();
                say(&format!(
                    "{}\n",
                    style.dim(&format!(
                        "Building and running the tests of {}…",
                        if group.len() == 1 {
                            group[0].id.clone()
                        } else {
                            format!("{} to {}", group[0].id, group[group.len() - 1].id)
                        }
                    ))
                ));
                let build = match run::build_for(course, &group, style.on) {
                    Ok(b) => b,
                    Err(err) => return JobResult::Failed(err),
                };
                for &i in &order[k..end] {
                    let e = &course.exercises[i];
                    let outcome = run::outcome_of(course, &build, e, &mut progress_printer(style));
                    if outcome.done() {
                        say(&format!(
                            "{} {} {}: all {} tests pass\n",
                            style.green("✓"),
                            e.id,
                            report::plain_title(&e.title),
                            outcome.passed
                        ));
                        done.push((i, outcome));
                    } else {
                        return JobResult::Found {
                            done,
                            first: Some((i, outcome)),
                        };
                    }
                }
                k = end;
            }
            JobResult::Found { done, first: None }
        }
        Job::List => {
            let notice = match run::build_notice(course) {
                Some(n) => format!("Running every exercise's tests… ({n}; q quits at any time)"),
                None => "Running every exercise's tests… (q quits at any time)".to_owned(),
            };
            say(&format!("{}\n", style.dim(&notice)));
            let all: Vec<&crate::course::Exercise> = course.exercises.iter().collect();
            match run::run_all(course, &all, style.on) {
                Ok(outcomes) => JobResult::Listed(outcomes.into_iter().enumerate().collect()),
                Err(err) => JobResult::Failed(err),
            }
        }
    }
}

/// Says, while tests run, that some have not finished yet: a hang shows as
/// a countdown to the watchdog, never as a frozen screen.
fn progress_printer(style: Style) -> impl FnMut(Progress) {
    let mut total = 0;
    let mut finished = 0;
    let mut last_note = Instant::now();
    let mut noted = false;
    move |p| match p {
        Progress::Started(n) => {
            total = n;
            finished = 0;
            last_note = Instant::now();
            noted = false;
        }
        Progress::Finished => finished += 1,
        Progress::Waiting(elapsed) => {
            let running = total.saturating_sub(finished);
            if running > 0
                && elapsed >= Duration::from_secs(2)
                && (!noted || last_note.elapsed() >= Duration::from_secs(10))
            {
                noted = true;
                last_note = Instant::now();
                say(&format!(
                    "{}\n",
                    style.yellow(&format!(
                        "  … {running} of {total} tests still running after {}s; a test that is \
                         stuck is stopped by its watchdog after {}s",
                        elapsed.as_secs(),
                        watchdog_secs()
                    ))
                ));
            }
        }
    }
}

/// The watchdog's limit, as the tests read it.
fn watchdog_secs() -> u64 {
    std::env::var("COURSE_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&s| s > 0)
        .unwrap_or(5)
}

/// Watches the exercises folder; each burst of saves of `.rs` files in a
/// `src/` folder becomes one `Event::Changed`.
fn start_watcher(dir: &Path, tx: Sender<Event>) -> Result<notify::RecommendedWatcher, String> {
    let (raw_tx, raw_rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let relevant = match event.kind {
            EventKind::Create(_) | EventKind::Remove(_) => true,
            EventKind::Modify(ModifyKind::Metadata(_)) => false,
            EventKind::Modify(_) => true,
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            _ => false,
        };
        if !relevant {
            return;
        }
        for path in event.paths {
            if is_learner_file(&path) {
                let _ = raw_tx.send(run::normalize(&path));
            }
        }
    })
    .map_err(|e| format!("cannot watch {} for changes: {e}", dir.display()))?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {} for changes: {e}", dir.display()))?;
    thread::spawn(move || debounce(&raw_rx, &tx));
    Ok(watcher)
}

/// `…/src/NAME.rs`, and not an editor's temporary or lock file.
fn is_learner_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.extension().is_some_and(|e| e == "rs")
        && !name.starts_with('.')
        && path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|p| p == "src")
}

/// Blocks until a path comes (no CPU used while nobody saves), then gathers
/// the ones that follow within [`DEBOUNCE`] of each other.
fn debounce(raw: &Receiver<PathBuf>, tx: &Sender<Event>) {
    while let Ok(first) = raw.recv() {
        let started = Instant::now();
        let mut paths = vec![first];
        loop {
            let wait = DEBOUNCE.min(DEBOUNCE_MAX.saturating_sub(started.elapsed()));
            match raw.recv_timeout(wait) {
                Ok(p) => {
                    if !paths.contains(&p) {
                        paths.push(p);
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if tx.send(Event::Changed(paths)).is_err() {
            return;
        }
    }
}

/// Reads keys (or, without a terminal, bytes) from standard input.
fn start_keys(tx: Sender<Event>) {
    thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 64];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Event::InputEnd);
                    return;
                }
                Ok(n) => {
                    for &b in &buf[..n] {
                        if tx.send(Event::Key(b)).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_learner_sources_count() {
        assert!(is_learner_file(Path::new(
            "/r/exercises/chapter-3/src/fan_in.rs"
        )));
        assert!(!is_learner_file(Path::new(
            "/r/exercises/chapter-3/src/.fan_in.rs.swp"
        )));
        assert!(!is_learner_file(Path::new(
            "/r/exercises/chapter-3/src/.#fan_in.rs"
        )));
        assert!(!is_learner_file(Path::new(
            "/r/exercises/chapter-3/src/fan_in.rs~"
        )));
        assert!(!is_learner_file(Path::new(
            "/r/exercises/chapter-3/src/4913"
        )));
        assert!(!is_learner_file(Path::new(
            "/r/exercises/chapter-3/tests/fan_in.rs"
        )));
    }

    #[test]
    fn a_burst_of_saves_is_one_change() {
        let (raw_tx, raw_rx) = mpsc::channel();
        let (tx, rx) = mpsc::channel();
        let worker = thread::spawn(move || debounce(&raw_rx, &tx));
        for _ in 0..3 {
            raw_tx.send(PathBuf::from("/a.rs")).unwrap();
        }
        raw_tx.send(PathBuf::from("/b.rs")).unwrap();
        let Ok(Event::Changed(paths)) = rx.recv_timeout(Duration::from_secs(5)) else {
            panic!("no change reported");
        };
        assert_eq!(paths, [PathBuf::from("/a.rs"), PathBuf::from("/b.rs")]);
        drop(raw_tx);
        worker.join().unwrap();
        assert!(rx.try_recv().is_err(), "one change, not several");
    }
}
