//! Building an exercise's test binaries and running them: what passed,
//! what failed and why, in the test's own words.
//!
//! Building is one `cargo build --message-format json` for the test
//! targets (so that compiler errors come apart from test output, and each
//! belongs to its target); then each test binary is run directly, as
//! `cargo test` would run it (same folder, same environment variables).
//! That is the same work as `cargo test -p chapter-N --test exK_NAME`, and
//! no more: only the binaries the edit touched are rebuilt.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::course::{Course, Exercise};
use crate::term;

/// What to build: a package's named test targets, or all its tests.
pub struct Request<'a> {
    pub package: &'a str,
    /// `None`: every test target of the package.
    pub targets: Option<Vec<&'a str>>,
    pub features: Vec<&'a str>,
}

/// The result of one build.
#[derive(Default)]
pub struct Build {
    /// `(package folder, target)` -> its test executable.
    pub executables: HashMap<(PathBuf, String), PathBuf>,
    /// `(package folder, target)` -> its compiler errors.
    pub errors: HashMap<(PathBuf, String), Vec<CompileError>>,
    /// Warnings, rendered, by target (shown with `--verbose`).
    pub warnings: HashMap<(PathBuf, String), Vec<String>>,
    /// What cargo printed on standard error.
    pub stderr: String,
    pub success: bool,
}

/// Builds the test targets asked for, with `--keep-going` so that one
/// exercise that does not compile does not hold back the others.
pub fn build(root: &Path, requests: &[Request], color: bool) -> Result<Build, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args([
        "build",
        "--keep-going",
        "--color",
        "never",
        "--message-format",
        if color {
            "json-diagnostic-rendered-ansi"
        } else {
            "json"
        },
    ]);
    let mut features = Vec::new();
    let mut all_tests = false;
    for r in requests {
        cmd.args(["--package", r.package]);
        match &r.targets {
            None => all_tests = true,
            Some(targets) => {
                for t in targets {
                    cmd.args(["--test", t]);
                }
            }
        }
        features.extend(r.features.iter().map(|f| format!("{}/{f}", r.package)));
    }
    if all_tests {
        cmd.arg("--tests");
    }
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = term::spawn(&mut cmd).map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = child.stderr.take().expect("piped");
    let err_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut s);
        s
    });
    let mut build = Build::default();
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        let Ok(message) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let key = || -> Option<(PathBuf, String)> {
            let manifest = message.get("manifest_path")?.as_str()?;
            let dir = Path::new(manifest).parent()?.to_path_buf();
            let target = message.get("target")?.get("name")?.as_str()?.to_owned();
            Some((dir, target))
        };
        match message.get("reason").and_then(Value::as_str) {
            Some("compiler-artifact") => {
                if let (Some(key), Some(exe)) =
                    (key(), message.get("executable").and_then(Value::as_str))
                {
                    build.executables.insert(key, PathBuf::from(exe));
                }
            }
            Some("compiler-message") => {
                let Some(key) = key() else { continue };
                let Some(diagnostic) = message.get("message") else {
                    continue;
                };
                let level = diagnostic.get("level").and_then(Value::as_str);
                let text = diagnostic
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let rendered = diagnostic
                    .get("rendered")
                    .and_then(Value::as_str)
                    .unwrap_or(text);
                let rendered = tidy_paths(rendered);
                match level {
                    // "aborting due to N previous errors" and the like
                    // repeat what the errors say.
                    Some("error") if text.starts_with("aborting due to") => {}
                    Some("error") => build
                        .errors
                        .entry(key)
                        .or_default()
                        .push(CompileError::new(diagnostic, rendered)),
                    Some("warning")
                        if !text.contains("warnings emitted")
                            && !text.ends_with("warning emitted") =>
                    {
                        build.warnings.entry(key).or_default().push(rendered)
                    }
                    _ => {}
                }
            }
            Some("build-finished") => {
                build.success = message
                    .get("success")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
            }
            _ => {}
        }
    }
    let status = child.wait();
    term::forget(&child);
    build.stderr = err_reader.join().unwrap_or_default();
    if status.is_ok_and(|s| s.success()) {
        build.success = true;
    }
    Ok(build)
}

/// One error of the compiler.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CompileError {
    /// As rustc prints it, with the learner's paths (see [`tidy_paths`]).
    pub rendered: String,
    /// Its first line: `error[E0277]: ...`.
    pub message: String,
    /// Where it is (the primary span), as rustc names the file:
    /// `exercises/chapter-6/tests/exercises/spin.rs:94:27`.
    pub location: Option<String>,
    /// The file of that place, as rustc names it (relative to the
    /// workspace's root, or absolute).
    pub file: Option<String>,
    /// Whether that file is one of the exercise's test files, not the
    /// learner's code (set by [`outcome_of`]).
    pub in_tests: bool,
}

impl CompileError {
    /// From a diagnostic of `--message-format json` and its rendering.
    pub fn new(diagnostic: &Value, rendered: String) -> CompileError {
        let text = diagnostic
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("");
        let message = match diagnostic
            .get("code")
            .and_then(|c| c.get("code"))
            .and_then(Value::as_str)
        {
            Some(code) => format!("error[{code}]: {text}"),
            None => format!("error: {text}"),
        };
        let primary = diagnostic
            .get("spans")
            .and_then(Value::as_array)
            .and_then(|spans| {
                spans
                    .iter()
                    .find(|s| s.get("is_primary").and_then(Value::as_bool) == Some(true))
            });
        let file = primary
            .and_then(|s| s.get("file_name"))
            .and_then(Value::as_str)
            .map(tidy_paths);
        let location = primary.zip(file.as_ref()).map(|(span, file)| {
            let number = |key| span.get(key).and_then(Value::as_u64).unwrap_or(0);
            format!("{file}:{}:{}", number("line_start"), number("column_start"))
        });
        CompileError {
            rendered,
            message,
            location,
            file,
            in_tests: false,
        }
    }
}

/// The test target compiles `../src/NAME.rs` through `#[path = "../src"]`,
/// so rustc names it `exercises/chapter-N/tests/../src/NAME.rs`.
fn tidy_paths(text: &str) -> String {
    text.replace("/tests/../src/", "/src/")
}

/// One failing test: its name and its own message.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub name: String,
    /// The message that explains the failure, whole, without libtest's
    /// notes: the course's own diagnosis (the panic of the test's thread
    /// that names a section, `(book: 6.2 Orderings)`) when there is one,
    /// else the first panic of the test's thread (or the last panic).
    pub message: String,
    /// The test thread's other panics (loom's, an `unwrap`'s), each in one
    /// line.
    pub also: Vec<String>,
    /// Panics of other threads (the learner's), condensed.
    pub others: Vec<String>,
}

/// Everything known about one exercise after a run.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The compiler's errors, when a target did not compile.
    pub errors: Vec<CompileError>,
    /// Cargo's own error when it failed without a compiler error (a broken
    /// manifest, say).
    pub cargo_error: Option<String>,
    pub passed: usize,
    pub failed: usize,
    /// In the order the test file defines the tests.
    pub failures: Vec<Failure>,
    /// A test binary that ended without its summary (a crash, or killed
    /// after the time limit), and why.
    pub abnormal: Option<String>,
    /// Everything printed, for `--verbose`.
    pub raw: String,
    /// Whether the learner's file is still the starter.
    pub untouched: bool,
    /// The source files the exercise's test binaries were compiled from
    /// (from rustc's dep-info), absolute: a save of any of them re-runs it.
    pub sources: Vec<PathBuf>,
}

impl Outcome {
    pub fn compiled(&self) -> bool {
        self.errors.is_empty() && self.cargo_error.is_none()
    }
    /// Every compiler error is in a test file: the learner's code compiles,
    /// but the tests do not compile against it.
    pub fn only_tests_fail_to_compile(&self) -> bool {
        !self.errors.is_empty() && self.errors.iter().all(|e| e.in_tests)
    }
    pub fn done(&self) -> bool {
        self.compiled() && self.abnormal.is_none() && self.failed == 0 && self.passed > 0
    }
    pub fn state(&self) -> &'static str {
        if self.done() {
            "done"
        } else if self.untouched {
            "untouched"
        } else {
            "failing"
        }
    }
}

/// A line of a test binary's output, as it comes: for progress.
pub enum Progress {
    /// `running N tests`.
    Started(usize),
    /// One test finished.
    Finished,
    /// Once a second: the tests have run this long.
    Waiting(Duration),
}

/// How long a test binary may run at all. Each test's own watchdog stops a
/// hang after 5 s; this only bounds a binary that ignores it (and leaves
/// room for compile-fail tasks, which run `cargo check`).
pub const BINARY_LIMIT: Duration = Duration::from_secs(300);

/// Runs one test binary of `exercise` as `cargo test` would, reporting
/// progress to `progress` as lines come.
pub fn run_binary(
    course: &Course,
    exercise: &Exercise,
    exe: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<(String, Option<String>), String> {
    let package_dir = course.root.join(exercise.package_dir());
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(exe);
    cmd.current_dir(&package_dir)
        .args(["--color", "never"])
        .env("CARGO", cargo)
        .env("CARGO_MANIFEST_DIR", &package_dir)
        .env("CARGO_PKG_NAME", &exercise.package)
        .env("CARGO_CRATE_NAME", exercise.package.replace('-', "_"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child =
        term::spawn(&mut cmd).map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::channel::<String>();
    let out_reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let err_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let mut last_tick = start;
    let tick = Duration::from_secs(1);
    let mut text = String::new();
    let mut killed = false;
    loop {
        let elapsed = start.elapsed();
        if elapsed >= BINARY_LIMIT {
            term::kill(&mut child);
            killed = true;
            break;
        }
        // Once a second while the tests run, whether lines come or not,
        // report how long they have run.
        if last_tick.elapsed() >= tick {
            last_tick = Instant::now();
            progress(Progress::Waiting(elapsed));
        }
        let wait = tick
            .saturating_sub(last_tick.elapsed())
            .min(BINARY_LIMIT - elapsed);
        match rx.recv_timeout(wait) {
            Ok(line) => {
                if let Some(n) = line
                    .strip_prefix("running ")
                    .and_then(|r| r.strip_suffix(" tests").or(r.strip_suffix(" test")))
                    .and_then(|n| n.parse().ok())
                {
                    progress(Progress::Started(n));
                } else if line.starts_with("test ") && line.contains(" ... ") {
                    progress(Progress::Finished);
                }
                text.push_str(&line);
                text.push('\n');
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
    let status = child.wait();
    term::forget(&child);
    let _ = out_reader.join();
    let stderr = err_reader.join().unwrap_or_default();
    if !stderr.trim().is_empty() {
        text.push_str(&stderr);
    }
    let abnormal = if killed {
        Some(format!(
            "The tests were stopped after {} s: a test went on although its watchdog \
             should have stopped it. Something in your code keeps the test binary busy.",
            BINARY_LIMIT.as_secs()
        ))
    } else if !text.contains("\ntest result: ") && !text.starts_with("test result: ") {
        let how = match status {
            Ok(s) => describe_exit(s),
            Err(e) => e.to_string(),
        };
        let tail: Vec<&str> = text.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Some(format!(
            "The test binary ended before it could report ({how}). Its last words:\n{}",
            tail.join("\n")
        ))
    } else {
        None
    };
    Ok((text, abnormal))
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                6 => " (SIGABRT: an abort, e.g. a panic while panicking, or a stack overflow)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                _ => "",
            };
            return format!("signal {sig}{name}");
        }
    }
    format!("{status}")
}

/// Adds one binary's libtest output to an exercise's outcome.
pub fn add_libtest(outcome: &mut Outcome, stdout: &str, order: &str) {
    let (passed, failed) = summary(stdout);
    outcome.passed += passed;
    outcome.failed += failed;
    let mut failures = failures(stdout);
    // The order the test file defines its tests in, which is the order of
    // the page's list of checks; libtest sorts them by name.
    failures.sort_by_key(|f| {
        let short = f.name.rsplit("::").next().unwrap_or(&f.name);
        order.find(&format!("fn {short}(")).unwrap_or(usize::MAX)
    });
    outcome.failures.extend(failures);
}

/// Passed and failed counts over every `test result:` line.
fn summary(stdout: &str) -> (usize, usize) {
    let mut passed = 0;
    let mut failed = 0;
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test result: ") else {
            continue;
        };
        for part in rest.split(';') {
            let words: Vec<&str> = part.split_whitespace().collect();
            if let Some(i) = words.iter().position(|w| *w == "passed") {
                passed += i
                    .checked_sub(1)
                    .and_then(|j| words[j].parse().ok())
                    .unwrap_or(0);
            }
            if let Some(i) = words.iter().position(|w| *w == "failed") {
                failed += i
                    .checked_sub(1)
                    .and_then(|j| words[j].parse().ok())
                    .unwrap_or(0);
            }
        }
    }
    (passed, failed)
}

/// The failing tests with their captured output, from the `---- NAME
/// stdout ----` blocks; tests that failed without output get an empty one.
fn failures(stdout: &str) -> Vec<Failure> {
    let mut failed: Vec<String> = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, result)) = rest.rsplit_once(" ... ")
            && result.starts_with("FAILED")
        {
            failed.push(name.to_owned());
        }
    }
    let mut captured: HashMap<String, String> = HashMap::new();
    let mut current: Option<(String, String)> = None;
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|r| r.strip_suffix(" stdout ----"))
        {
            if let Some((n, t)) = current.take() {
                captured.insert(n, t);
            }
            current = Some((name.to_owned(), String::new()));
            continue;
        }
        if line == "failures:" || line.starts_with("test result: ") {
            if let Some((n, t)) = current.take() {
                captured.insert(n, t);
            }
            continue;
        }
        if let Some((_, t)) = current.as_mut() {
            t.push_str(line);
            t.push('\n');
        }
    }
    if let Some((n, t)) = current.take() {
        captured.insert(n, t);
    }
    failed
        .into_iter()
        .map(|name| {
            let output = captured.remove(&name).unwrap_or_default();
            let (message, also, others) = condense(&name, &output);
            Failure {
                name,
                message,
                also,
                others,
            }
        })
        .collect()
}

/// A test's captured output condensed: the message that explains the
/// failure, the test thread's other panics in one line each, and the first
/// lines of other threads' panics.
///
/// The message is the course's own diagnosis when there is one: the last
/// panic of the test's thread that names a section of the book (`(book: `).
/// A test that catches a failure to explain it panics after the failure's
/// own panic (loom's "Causality violation", an `unwrap` of a join), so the
/// diagnosis is the last of them. Without one, it is the test thread's first
/// panic, else a panic of another thread that names a section, else the
/// last panic.
pub fn condense(test: &str, output: &str) -> (String, Vec<String>, Vec<String>) {
    // (thread name, message) of every panic, in order.
    let mut panics: Vec<(String, String)> = Vec::new();
    let mut other_lines: Vec<&str> = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in output.lines() {
        let header = line.strip_prefix("thread '").and_then(|rest| {
            let (thread, after) = rest.split_once('\'')?;
            after.contains(" panicked at ").then_some(thread)
        });
        if let Some(thread) = header {
            if let Some((t, lines)) = current.take() {
                panics.push((t, trim_lines(&lines)));
            }
            current = Some((thread.to_owned(), Vec::new()));
            continue;
        }
        let note = line.starts_with("note: run with `RUST_BACKTRACE")
            || line.starts_with("note: Some details are omitted")
            || line == "stack backtrace:";
        if note {
            if let Some((t, lines)) = current.take() {
                panics.push((t, trim_lines(&lines)));
            }
            continue;
        }
        match current.as_mut() {
            Some((_, lines)) => lines.push(line),
            None => other_lines.push(line),
        }
    }
    if let Some((t, lines)) = current.take() {
        panics.push((t, trim_lines(&lines)));
    }
    if panics.is_empty() {
        return (trim_lines(&other_lines), Vec::new(), Vec::new());
    }
    let own = |(t, m): &(String, String)| t == test && !m.is_empty();
    let diagnosis = |(_, m): &(String, String)| m.contains("(book: ");
    let chosen = panics
        .iter()
        .rposition(|p| own(p) && diagnosis(p))
        .or_else(|| panics.iter().position(own))
        .or_else(|| panics.iter().rposition(diagnosis))
        .unwrap_or(panics.len() - 1);
    let message = panics[chosen].1.clone();
    let mut also: Vec<String> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for (i, (thread, text)) in panics.iter().enumerate() {
        if i == chosen || text.is_empty() || *text == message {
            continue;
        }
        if thread == test {
            let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            // Already quoted in the message (the course's "loom said: ..."): once is enough.
            let shown = message.split_whitespace().collect::<Vec<_>>().join(" ");
            if !also.contains(&line) && !shown.contains(&line) {
                also.push(line);
            }
            continue;
        }
        let first = text.lines().next().unwrap_or("");
        let entry = format!("thread '{thread}': {first}");
        if !others.contains(&entry) {
            others.push(entry);
        }
    }
    also.truncate(3);
    others.truncate(3);
    (message, also, others)
}

fn trim_lines(lines: &[&str]) -> String {
    let text = lines.join("\n");
    text.trim_matches('\n').trim_end().to_owned()
}

/// The `(book: 3.5 Several producers)` pointers of a message: the
/// section numbers, in order, without repeats.
pub fn book_pointers(message: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find("book: ") {
        rest = &rest[i + "book: ".len()..];
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let number = number.trim_end_matches('.').to_owned();
        if number.chars().next().is_some_and(|c| c.is_ascii_digit()) && !out.contains(&number) {
            out.push(number);
        }
    }
    out
}

/// The folder cargo builds in: `CARGO_TARGET_DIR`, else `target/` in the
/// repository. (Another one set in a cargo configuration is not seen: then
/// nothing looks built, and the companion only says once too often that a
/// build takes minutes.)
pub fn target_dir(course: &Course) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => course.root.join(dir),
        _ => course.root.join("target"),
    }
}

/// The chapters some of whose test binaries were never built in `target`:
/// those without a dep-info file (`target/debug/deps/NAME-HASH.d`, which
/// cargo leaves next to each test binary) that names the learner's file.
/// (The reference solutions' packages have test targets of the same names,
/// built from other files: they do not count.)
pub fn unbuilt_chapters(course: &Course, target: &Path) -> Vec<u32> {
    let deps = target.join("debug").join("deps");
    let names: Vec<String> = std::fs::read_dir(&deps)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".d"))
                .collect()
        })
        .unwrap_or_default();
    let mut out: Vec<u32> = Vec::new();
    for e in &course.exercises {
        if out.contains(&e.chapter) {
            continue;
        }
        let file = normalize(&course.root.join(&e.file));
        let built = e.targets.iter().all(|t| {
            names.iter().any(|n| {
                n.strip_suffix(".d")
                    .and_then(|stem| stem.rsplit_once('-'))
                    .is_some_and(|(name, _)| name == t.name)
                    && dep_info(&course.root, &deps.join(n)).contains(&file)
            })
        });
        if !built {
            out.push(e.chapter);
        }
    }
    out
}

/// What to say before running every exercise: that it first builds the
/// tests of the chapters never built, and takes minutes; nothing when every
/// chapter's tests were built before.
pub fn build_notice(course: &Course) -> Option<String> {
    let unbuilt = unbuilt_chapters(course, &target_dir(course));
    let mut chapters: Vec<u32> = course.exercises.iter().map(|e| e.chapter).collect();
    chapters.dedup();
    match unbuilt.as_slice() {
        [] => None,
        some if some.len() == chapters.len() => {
            Some("the first time, this builds every chapter's tests: a few minutes".to_owned())
        }
        [one] => Some(format!(
            "this first builds the tests of chapter {one}: it can take minutes"
        )),
        some => Some(format!(
            "this first builds the tests of chapters {}: it can take minutes",
            some.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Builds `exercises` and gives each its outcome, without running them.
/// The rest is [`outcome_of`], which runs an exercise's binaries.
pub fn build_for(course: &Course, exercises: &[&Exercise], color: bool) -> Result<Build, String> {
    // Whole packages when all their exercises are asked for (`--tests`),
    // else the exercises' own targets.
    let mut requests: Vec<Request> = Vec::new();
    let mut packages: Vec<&str> = exercises.iter().map(|e| e.package.as_str()).collect();
    packages.dedup();
    for package in packages {
        let wanted: Vec<&Exercise> = exercises
            .iter()
            .copied()
            .filter(|e| e.package == package)
            .collect();
        let all = course
            .exercises
            .iter()
            .filter(|e| e.package == package)
            .count();
        let features: Vec<&str> = wanted
            .iter()
            .flat_map(|e| e.targets.iter())
            .flat_map(|t| t.required_features.iter().map(String::as_str))
            .collect();
        let targets = (wanted.len() < all || !features.is_empty()).then(|| {
            wanted
                .iter()
                .flat_map(|e| e.targets.iter().map(|t| t.name.as_str()))
                .collect()
        });
        requests.push(Request {
            package,
            targets,
            features,
        });
    }
    // `--tests` and `--test NAME` apply to every package of one cargo
    // command: whole packages go together, others one by one.
    let (whole, parts): (Vec<Request>, Vec<Request>) =
        requests.into_iter().partition(|r| r.targets.is_none());
    let mut result = if whole.is_empty() {
        Build {
            success: true,
            ..Build::default()
        }
    } else {
        build(&course.root, &whole, color)?
    };
    for part in parts {
        let b = build(&course.root, &[part], color)?;
        result.executables.extend(b.executables);
        result.errors.extend(b.errors);
        result.warnings.extend(b.warnings);
        result.stderr.push_str(&b.stderr);
        result.success &= b.success;
    }
    Ok(result)
}

/// Runs the binaries `build` made for `exercise` and says how it went.
pub fn outcome_of(
    course: &Course,
    build: &Build,
    exercise: &Exercise,
    progress: &mut dyn FnMut(Progress),
) -> Outcome {
    let mut outcome = Outcome {
        untouched: std::fs::read_to_string(course.root.join(&exercise.file))
            .is_ok_and(|text| text == exercise.starter),
        ..Outcome::default()
    };
    let package_dir = course.root.join(exercise.package_dir());
    let mut exes = Vec::new();
    for target in &exercise.targets {
        let key = (package_dir.clone(), target.name.clone());
        if let Some(errors) = build.errors.get(&key) {
            let tests = normalize(&package_dir.join("tests"));
            for e in errors {
                let mut e = e.clone();
                e.in_tests = e.file.as_ref().is_some_and(|f| {
                    let file = normalize(&course.root.join(f));
                    file.starts_with(&tests) && file != normalize(&course.root.join(&exercise.file))
                });
                if !outcome.errors.contains(&e) {
                    outcome.errors.push(e);
                }
            }
        } else if let Some(exe) = build.executables.get(&key) {
            outcome
                .sources
                .extend(dep_info(&course.root, &exe.with_extension("d")));
            exes.push(exe.clone());
        } else {
            outcome.cargo_error = Some(cargo_error(&build.stderr));
        }
        if let Some(warnings) = build.warnings.get(&key) {
            for w in warnings {
                outcome.raw.push_str(w);
            }
        }
    }
    if !outcome.compiled() {
        outcome.raw.push_str(&build.stderr);
        return outcome;
    }
    // The test files, to put failures in the order they are written.
    let mut order = String::new();
    for target in &exercise.targets {
        let path = package_dir.join(&target.path);
        order.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
        if let Some(stem) = Path::new(&target.path).file_stem() {
            let module = package_dir
                .join("tests/exercises")
                .join(stem)
                .with_extension("rs");
            order.push_str(&std::fs::read_to_string(module).unwrap_or_default());
        }
    }
    for exe in exes {
        match run_binary(course, exercise, &exe, progress) {
            Ok((text, abnormal)) => {
                add_libtest(&mut outcome, &text, &order);
                outcome.raw.push_str(&text);
                if abnormal.is_some() && outcome.abnormal.is_none() {
                    outcome.abnormal = abnormal;
                }
            }
            Err(e) => outcome.abnormal = Some(e),
        }
    }
    outcome
}

/// The files a binary was built from, from rustc's dep-info file
/// (`TARGET: dep dep ...`, spaces in names escaped), made absolute and
/// without `..`.
fn dep_info(root: &Path, path: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Some(first) = text.lines().next() else {
        return Vec::new();
    };
    let Some((_, deps)) = first.split_once(": ") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                current.push(' ');
                chars.next();
            }
            ' ' => {
                if !current.is_empty() {
                    out.push(normalize(&root.join(&current)));
                    current.clear();
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(normalize(&root.join(&current)));
    }
    out
}

/// A path without `.` and `..`, worked out on the text alone.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out
}

/// Cargo's own complaint, when it built nothing and rustc said nothing:
/// its `error` lines and what follows them.
fn cargo_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("error"))
        .take(20)
        .collect();
    if lines.is_empty() {
        "cargo built no test binary for this exercise, and said nothing about it".to_owned()
    } else {
        lines.join("\n")
    }
}

/// Builds and runs `exercises` (in book order), `jobs` test binaries at a
/// time, and gives their outcomes in the same order.
pub fn run_all(
    course: &Course,
    exercises: &[&Exercise],
    color: bool,
) -> Result<Vec<Outcome>, String> {
    let build = build_for(course, exercises, color)?;
    let jobs = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<Outcome>>> =
        std::sync::Mutex::new(vec![None; exercises.len()]);
    thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(exercise) = exercises.get(i) else {
                        break;
                    };
                    let outcome = outcome_of(course, &build, exercise, &mut |_| {});
                    results.lock().unwrap()[i] = Some(outcome);
                }
            });
        }
    });
    Ok(results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|o| o.expect("every exercise was run"))
        .collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const LIBTEST: &str = "\nrunning 3 tests\ntest fan_in::b_second ... FAILED\n\
test fan_in::a_first ... FAILED\ntest fan_in::ok_one ... ok\n\nfailures:\n\n\
---- fan_in::b_second stdout ----\n\nthread '<unnamed>' (77) panicked at src/x.rs:3:5:\n\
not yet implemented: producer\nthread 'fan_in::b_second' (76) panicked at tests/x.rs:9:9:\n\n\n\
This test did not finish within 5s: something is stuck.\nLikely cause: a Sender is alive \
(book: 3.4 How a channel closes).\n\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
---- fan_in::a_first stdout ----\n\nthread 'fan_in::a_first' (75) panicked at tests/x.rs:1:1:\n\
assertion failed (book: 3.5 Several producers)\n  left: 1\n right: 2\n\n\
failures:\n    fan_in::a_first\n    fan_in::b_second\n\n\
test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 5.00s\n\n";

    #[test]
    fn reads_counts_and_failures_in_the_files_order() {
        let mut outcome = Outcome::default();
        add_libtest(
            &mut outcome,
            LIBTEST,
            "#[test]\nfn a_first() {}\n#[test]\nfn b_second() {}\n",
        );
        assert_eq!((outcome.passed, outcome.failed), (1, 2));
        let names: Vec<&str> = outcome.failures.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["fan_in::a_first", "fan_in::b_second"]);
        assert_eq!(
            outcome.failures[0].message,
            "assertion failed (book: 3.5 Several producers)\n  left: 1\n right: 2"
        );
        assert!(outcome.failures[0].others.is_empty());
        let hang = &outcome.failures[1];
        assert!(
            hang.message.starts_with(
                "This test did not finish within 5s: something is stuck.\nLikely cause:"
            ),
            "{}",
            hang.message
        );
        assert_eq!(
            hang.others,
            ["thread '<unnamed>': not yet implemented: producer"]
        );
    }

    /// What `cargo test -p chapter-6 --test ex1_slot_loom` prints when every
    /// Ordering of the slot is Relaxed: loom's panic, then, on the same
    /// thread, the course's diagnosis (backtraces shortened).
    pub const LOOM: &str = "\nrunning 3 tests\ntest slot::model_two_publishers ... ok\n\
test slot::model_two_takers ... ok\ntest slot::model_publish_then_take ... FAILED\n\n\
failures:\n\n---- slot::model_publish_then_take stdout ----\n\n\
thread 'slot::model_publish_then_take' (23595) panicked at /root/.cargo/registry/src/\
index.crates.io-1949cf8c6b5b557f/loom-0.7.3/src/rt/location.rs:115:9:\n\
Causality violation: Concurrent read and write accesses.\n\nstack backtrace:\n\
   0: __rustc::rust_begin_unwind\n             at /rustc/5980/library/std/src/panicking.rs:689:5\n\
  15: ex1_slot_loom::chapter_6::slot::Slot<T>::take\n             at ./tests/../src/slot.rs:73:18\n\
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n\n\
thread 'slot::model_publish_then_take' (23595) panicked at exercises/chapter-6/tests/loom/model.rs:55:17:\n\n\n\
loom found an execution of this model that fails (after 30.3ms).\n\
Look at: take() found the flag set but not the value written. The store that sets `ready` in \
publish must be Release, and the swap that clears it in take must be Acquire: the one pair that \
orders the write of the value before its read (book: 6.2 Orderings)\n\
loom said: Causality violation: Concurrent read and write accesses.\n\n\nstack backtrace:\n\
   0: __rustc::rust_begin_unwind\n\
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n\n\n\
failures:\n    slot::model_publish_then_take\n\n\
test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.16s\n\n";

    #[test]
    fn a_loom_failure_shows_the_courses_diagnosis_and_loom_after_it() {
        let mut outcome = Outcome::default();
        add_libtest(&mut outcome, LOOM, "");
        let f = &outcome.failures[0];
        assert_eq!(f.name, "slot::model_publish_then_take");
        assert!(
            f.message
                .starts_with("loom found an execution of this model that fails (after 30.3ms).\nLook at: take() found"),
            "{}",
            f.message
        );
        assert!(
            f.message.ends_with(
                "(book: 6.2 Orderings)\nloom said: Causality violation: Concurrent read and \
                 write accesses."
            ),
            "all of it: {}",
            f.message
        );
        // loom's own panic is quoted in the message ("loom said: ..."): not again.
        assert!(f.also.is_empty(), "{:?}", f.also);
        assert!(f.others.is_empty());
        assert_eq!(book_pointers(&f.message), ["6.2"]);
    }

    #[test]
    fn an_unwrap_before_the_courses_message_comes_after_it() {
        // Chapter 1's join_all with `handle.join().unwrap()`.
        let output = "\nthread 'spawn_all::join_all_passes_on_a_job_panic_with_its_payload' (30446) \
            panicked at exercises/chapter-1/tests/../src/spawn_all.rs:25:37:\n\
            called `Result::unwrap()` on an `Err` value: Any { .. }\n\
            note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
            thread 'spawn_all::join_all_passes_on_a_job_panic_with_its_payload' (30446) panicked \
            at exercises/chapter-1/tests/exercises/spawn_all.rs:393:13:\n\
            join_all must panic with the job's own payload: the job panicked with a &str, \
            \"job 2 gave up\" (book: 1.5 When a thread panics). Pass the Err from join on\n\n";
        let (message, also, others) = condense(
            "spawn_all::join_all_passes_on_a_job_panic_with_its_payload",
            output,
        );
        assert!(
            message.starts_with("join_all must panic with the job's own payload"),
            "{message}"
        );
        assert!(message.ends_with("Pass the Err from join on"), "{message}");
        assert_eq!(
            also,
            ["called `Result::unwrap()` on an `Err` value: Any { .. }"]
        );
        assert!(others.is_empty());
    }

    #[test]
    fn without_a_diagnosis_the_test_threads_first_panic_is_shown() {
        let output = "thread 't' (1) panicked at a.rs:1:1:\nfirst\nsecond line\n\
            thread 'worker' (2) panicked at b.rs:1:1:\nnot yet implemented (book: 1.3 Spawning)\n\
            thread 't' (1) panicked at c.rs:1:1:\nthen this\n";
        let (message, also, others) = condense("t", output);
        assert_eq!(message, "first\nsecond line");
        assert_eq!(also, ["then this"]);
        assert_eq!(
            others,
            ["thread 'worker': not yet implemented (book: 1.3 Spawning)"]
        );
        // No panic of the test's thread: another thread's diagnosis.
        let output = "thread 'a' (1) panicked at a.rs:1:1:\nboom (book: 3.4 Closing)\n\
            thread 'b' (2) panicked at b.rs:1:1:\nlast\n";
        let (message, also, others) = condense("t", output);
        assert_eq!(message, "boom (book: 3.4 Closing)");
        assert!(also.is_empty());
        assert_eq!(others, ["thread 'b': last"]);
    }

    #[test]
    fn finds_book_pointers() {
        assert_eq!(
            book_pointers(
                "x (book: 3.4 How a channel closes) y (book: 1.4 Waiting) (book: 3.4 Again)"
            ),
            ["3.4", "1.4"]
        );
        assert_eq!(
            book_pointers("Transfers without deadlock (book: 4.9.2)."),
            ["4.9.2"]
        );
    }

    #[test]
    fn a_chapter_is_built_when_cargo_left_the_dep_info_of_each_test_binary() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut course = Course::load(&repo).expect("the course loads");
        let root = std::env::temp_dir().join(format!("course-built-{}", std::process::id()));
        let deps = root.join("target/debug/deps");
        std::fs::create_dir_all(&deps).unwrap();
        course.root = root.clone();
        let target = root.join("target");
        let mut chapters: Vec<u32> = course.exercises.iter().map(|e| e.chapter).collect();
        chapters.dedup();
        assert_eq!(
            unbuilt_chapters(&course, &target),
            chapters,
            "nothing built"
        );

        // Every test binary of every chapter but the last, as cargo leaves
        // them: the learner's file through the test's `../src`.
        let last = *chapters.last().unwrap();
        for e in course.exercises.iter().filter(|e| e.chapter != last) {
            let src = e.file.strip_prefix(e.package_dir()).unwrap();
            for t in &e.targets {
                std::fs::write(
                    deps.join(format!("{}-0123abcd.d", t.name)),
                    format!(
                        "{0}/{1}-0123abcd: {2}/{3} {2}/tests/../{4}\n",
                        deps.display(),
                        t.name,
                        e.package_dir().display(),
                        t.path,
                        src.display()
                    ),
                )
                .unwrap();
            }
        }
        // The last chapter's binaries, but of the reference solution.
        for e in course.exercises.iter().filter(|e| e.chapter == last) {
            for t in &e.targets {
                std::fs::write(
                    deps.join(format!("{}-99.d", t.name)),
                    format!(
                        "x: solutions/chapter-{last}/src/{}.rs {}/{}\n",
                        e.name,
                        e.package_dir().display(),
                        t.path
                    ),
                )
                .unwrap();
            }
        }
        let unbuilt = unbuilt_chapters(&course, &target);
        // And one binary of the first chapter is gone.
        let first = &course.exercises[0];
        std::fs::remove_file(deps.join(format!("{}-0123abcd.d", first.targets[0].name))).unwrap();
        let one_gone = unbuilt_chapters(&course, &target);
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(unbuilt, [last]);
        assert_eq!(one_gone, [first.chapter, last]);
    }

    #[test]
    fn reads_dep_info() {
        let dir = std::env::temp_dir().join(format!("course-dep-info-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ex2_fan_in-abc.d");
        std::fs::write(
            &file,
            "/t/deps/ex2_fan_in-abc: exercises/chapter-3/tests/fan_in.rs \
             exercises/chapter-3/tests/../src/fan_in.rs /abs/my\\ file.rs\n\n\
             exercises/chapter-3/tests/fan_in.rs:\n",
        )
        .unwrap();
        let deps = dep_info(Path::new("/root"), &file);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            deps,
            [
                PathBuf::from("/root/exercises/chapter-3/tests/fan_in.rs"),
                PathBuf::from("/root/exercises/chapter-3/src/fan_in.rs"),
                PathBuf::from("/abs/my file.rs"),
            ]
        );
    }

    #[test]
    fn rustc_paths_through_tests_are_tidied() {
        assert_eq!(
            tidy_paths("--> exercises/chapter-3/tests/../src/fan_in.rs:3:5"),
            "--> exercises/chapter-3/src/fan_in.rs:3:5"
        );
    }
}
