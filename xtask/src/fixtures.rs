//! Fixtures: other answers to the exercises, kept with the reference
//! solution in `solutions/chapter-N/fixtures/EXERCISE/`. A fixture is a
//! unified diff, `NAME.diff`, against the file its `--- a/PATH` line names:
//! the reference `solutions/chapter-N/src/EXERCISE.rs` (for an answer a few
//! lines away from it) or the starter `exercises/chapter-N/src/EXERCISE.rs`
//! (for an answer written from the starter, as a learner writes it); make
//! one with `diff -u`. Either way it applies to whatever the given code is
//! now, and stops applying, loudly, when a change touches its lines. A
//! whole replacement, `NAME.rs`, remains only where an answer rewrites the
//! file. Each fixture says in its header what it must do against the
//! exercise's tests:
//!
//! ```text
//! //! Joins each thread right after spawning it: only one job runs at a time.
//! // expect: fail
//! // message: spawn_all waited for a job
//! ```
//!
//! - `expect: fail` is a realistic wrong answer. The exercise's tests must
//!   fail, fast, and their output must contain every `message:` line: the
//!   words a learner who wrote this code should see. With `repeat: N` (for
//!   a race), they must fail so N times, and once more pinned to one core.
//! - `expect: loom` is a wrong answer that only a model checker catches:
//!   the exercise's plain tests pass, and its loom models fail with every
//!   `message:`.
//! - `expect: pass` is a correct answer that takes another route than the
//!   reference. The tests must pass: they must not over-constrain.
//!
//! Verify builds every fixture as a crate of its own under
//! `target/fixtures/` (the chapter's package, its `src/` the reference
//! solution with the answer swapped in) and runs the exercise's test
//! targets on it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::{cache, crates, project, run, source};

/// How long a fixture's tests may run; wrong answers that hang are stopped
/// by the watchdog, which gets a shorter limit here.
const LIMIT: Duration = Duration::from_secs(60);
const WATCHDOG_SECS: &str = "2";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Pass,
    Fail,
    /// The plain tests pass; the loom models fail.
    Loom,
}

#[derive(Debug)]
struct Fixture {
    chapter: u32,
    exercise: String,
    name: String,
    path: PathBuf,
    /// The fixture file as read by `parse`.
    text: String,
    expect: Expect,
    messages: Vec<String>,
    /// How many times a wrong answer must fail (`repeat: N`, for answers
    /// whose bug is a race): N runs, and one more pinned to one core.
    repeat: usize,
}

impl Fixture {
    /// The generated package's name.
    fn package(&self) -> String {
        format!("fixture-{}-{}-{}", self.chapter, self.exercise, self.name).replace('_', "-")
    }
}

fn parse(chapter: u32, exercise: &str, path: &Path) -> Result<Fixture, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut expect = None;
    let mut messages = Vec::new();
    let mut repeat = 1;
    let header = &text[..diff_start(&text).unwrap_or(text.len())];
    for line in header.lines() {
        let line = line.trim();
        if let Some(value) = line.strip_prefix("// expect:") {
            expect = match value.trim() {
                "pass" => Some(Expect::Pass),
                "fail" => Some(Expect::Fail),
                "loom" => Some(Expect::Loom),
                other => {
                    return Err(format!(
                        "{}: `expect: {other}` must be `pass`, `fail` or `loom`",
                        project::shown(path)
                    ));
                }
            };
        } else if let Some(value) = line.strip_prefix("// repeat:") {
            repeat = value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| {
                    format!(
                        "{}: `repeat:` needs a whole number of runs, not `{}`",
                        project::shown(path),
                        value.trim()
                    )
                })?;
        } else if let Some(value) = line.strip_prefix("// message:") {
            messages.push(value.trim().to_owned());
        }
    }
    let expect = expect.ok_or_else(|| {
        format!(
            "{}: no `// expect: pass|fail|loom` line",
            project::shown(path)
        )
    })?;
    if expect != Expect::Pass && messages.is_empty() {
        return Err(format!(
            "{}: a wrong answer needs at least one `// message:` line",
            project::shown(path)
        ));
    }
    Ok(Fixture {
        chapter,
        exercise: exercise.to_owned(),
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        path: path.to_path_buf(),
        text,
        expect,
        messages,
        repeat,
    })
}

fn find(chapters: &[u32]) -> Result<Vec<Fixture>, String> {
    let root = project::root();
    let mut fixtures = Vec::new();
    for &n in chapters {
        let dir = root.join(format!("solutions/chapter-{n}/fixtures"));
        let mut files = project::files_under(&dir, ".rs");
        files.extend(project::files_under(&dir, ".diff"));
        let mut names = std::collections::BTreeSet::new();
        for path in files {
            if !names.insert(path.with_extension("")) {
                return Err(format!(
                    "{}: a fixture of this name exists as .rs and as .diff",
                    project::shown(&path)
                ));
            }
            let exercise = path
                .parent()
                .and_then(|p| p.file_name())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !root
                .join(format!("solutions/chapter-{n}/src/{exercise}.rs"))
                .exists()
            {
                return Err(format!(
                    "{}: its folder must be named after an exercise file in solutions/chapter-{n}/src/",
                    project::shown(&path)
                ));
            }
            fixtures.push(parse(n, &exercise, &path)?);
        }
    }
    Ok(fixtures)
}

/// Writes one crate per fixture, in a workspace of their own: the
/// learner's package of the chapter, its `src/` the reference solution with
/// the fixture's answer in place of the exercise's file.
fn write_workspace(fixtures: &[&Fixture]) -> Result<PathBuf, String> {
    let root = project::root();
    let dir = root.join("target/fixtures");
    let mut crates = Vec::new();
    for f in fixtures {
        let solution_src = root.join(format!("solutions/chapter-{}/src", f.chapter));
        let mut src = Vec::new();
        for file in project::files_under(&solution_src, ".rs") {
            let relative = file.strip_prefix(&solution_src).unwrap().to_path_buf();
            let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
            let text = if relative == Path::new(&format!("{}.rs", f.exercise)) {
                answer(f, &file, &text)?
            } else {
                text
            };
            src.push((relative, text));
        }
        crates.push(crates::ExerciseCrate {
            package: f.package(),
            chapter: f.chapter,
            exercise: Some(f.exercise.clone()),
            src,
        });
    }
    crates::write_workspace(&dir, &crates)?;
    Ok(dir)
}

/// The fixture's version of the exercise file: the `.rs` fixture itself,
/// or the `.diff` fixture applied to the file its `--- a/PATH` line names:
/// the reference (`reference`, read from `reference_path`), or the starter
/// that the reference gives (for an answer written from the starter, as a
/// learner writes it).
fn answer(f: &Fixture, reference_path: &Path, reference: &str) -> Result<String, String> {
    if f.path.extension().is_some_and(|e| e == "rs") {
        return Ok(f.text.clone());
    }
    let start = diff_start(&f.text)
        .ok_or_else(|| format!("{}: no `--- ` line starts a diff", project::shown(&f.path)))?;
    let base_line = f.text[start..].lines().next().unwrap_or("");
    let starter = format!("exercises/chapter-{}/src/{}.rs", f.chapter, f.exercise);
    let (base_path, base) = if base_line.contains(&starter) {
        // The starter as the reference gives it (see source.rs), not the
        // file in exercises/, which a learner may have changed.
        let text = source::starter(reference, &project::shown(reference_path))?;
        (project::root().join(&starter), text)
    } else {
        (reference_path.to_path_buf(), reference.to_owned())
    };
    let patch = diffy::Patch::from_str(&f.text[start..])
        .map_err(|e| format!("{}: not a unified diff: {e}", project::shown(&f.path)))?;
    diffy::apply(&base, &patch).map_err(|e| {
        format!(
            "{}: no longer applies to {} ({e}); write the answer out in full and \
             make the diff again with `diff -u`",
            project::shown(&f.path),
            project::shown(&base_path)
        )
    })
}

/// Where the diff of a `.diff` fixture starts: at its first `--- ` line.
/// What comes before is the header.
fn diff_start(text: &str) -> Option<usize> {
    if text.starts_with("--- ") {
        return Some(0);
    }
    text.find("\n--- ").map(|i| i + 1)
}

/// What a fixture's verdict depends on: the fixture, the chapter's tests
/// and manifest, the exercise's compile-fail tasks, the rest of the
/// reference solution, the test helpers, the lock file, the toolchain, and
/// this file.
fn inputs(f: &Fixture) -> Vec<PathBuf> {
    let root = project::root();
    let learner = root.join(format!("exercises/chapter-{}", f.chapter));
    let mut files = vec![
        f.path.clone(),
        learner.join("Cargo.toml"),
        root.join("Cargo.toml"),
        root.join("Cargo.lock"),
        root.join("rust-toolchain.toml"),
    ];
    files.extend(project::files_under(&learner.join("tests"), ".rs"));
    files.extend(project::files_under(
        &root.join(format!(
            "compile-fail/chapter-{}/tasks/{}",
            f.chapter, f.exercise
        )),
        ".rs",
    ));
    files.extend(project::files_under(
        &root.join(format!("solutions/chapter-{}/src", f.chapter)),
        ".rs",
    ));
    files.extend(project::files_under(
        &root.join("tools/test-support/src"),
        ".rs",
    ));
    files
}

/// Builds and runs every fixture of the chapters whose inputs changed since
/// it last passed. Returns a summary.
pub fn check(chapters: &[u32]) -> Result<String, String> {
    let fixtures = find(chapters)?;
    if fixtures.is_empty() {
        return Ok("no fixtures".to_owned());
    }
    let this_file = include_str!("fixtures.rs");
    let keys: Vec<String> = fixtures
        .iter()
        .map(|f| cache::key(&inputs(f), &[this_file]))
        .collect();
    let stale: Vec<&Fixture> = (0..fixtures.len())
        .filter(|&i| !cache::fresh(&fixtures[i].package(), &keys[i]))
        .map(|i| &fixtures[i])
        .collect();
    let count = |e: Expect| fixtures.iter().filter(|f| f.expect == e).count();
    let loom = match count(Expect::Loom) {
        0 => String::new(),
        n => format!(", {n} pass the plain tests and fail under loom"),
    };
    let summary = format!(
        "{} wrong answers fail{loom}, {} other answers pass ({} run, {} unchanged)",
        count(Expect::Fail),
        count(Expect::Pass),
        stale.len(),
        fixtures.len() - stale.len()
    );
    if stale.is_empty() {
        return Ok(summary);
    }

    let dir = write_workspace(&stale)?;
    let packages: Vec<String> = stale.iter().map(|f| f.package()).collect();
    let built = crates::build_tests(&dir, &packages)?;
    let mut targets = BTreeMap::new();
    for &n in chapters {
        targets.insert(n, crates::targets(n)?);
    }

    // Wrong answers mostly wait for the watchdog, so several run at once.
    let queue = Mutex::new(stale.iter());
    let problems = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..PARALLEL {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next().copied();
                    let Some(f) = next else { break };
                    let exercise_targets = targets[&f.chapter]
                        .get(&f.exercise)
                        .cloned()
                        .unwrap_or_default();
                    let runs: Vec<Run> = exercise_targets
                        .iter()
                        .map(|t| Run {
                            target: t.clone(),
                            exe: built.binaries.get(&(f.package(), t.name.clone())).cloned(),
                            dir: dir.join(f.package()),
                        })
                        .collect();
                    let verdict = match built.errors.get(&f.package()) {
                        Some(errors) => Err(format!(
                            "{}: does not compile:\n{errors}",
                            project::shown(&f.path)
                        )),
                        None => run_fixture(f, &runs),
                    };
                    match verdict {
                        Ok(()) => {
                            let i = fixtures.iter().position(|x| std::ptr::eq(x, f)).unwrap();
                            cache::record(&f.package(), &keys[i]);
                        }
                        Err(problem) => problems.lock().unwrap().push(problem),
                    }
                }
            });
        }
    });
    let mut problems = problems.into_inner().unwrap();
    problems.sort();
    if problems.is_empty() {
        Ok(summary)
    } else {
        Err(problems.join("\n"))
    }
}

/// How many fixtures run at once.
const PARALLEL: usize = 4;

/// One test binary of a fixture's crate.
struct Run {
    target: crates::Target,
    exe: Option<PathBuf>,
    dir: PathBuf,
}

/// The outcome of running some of a fixture's test binaries once.
struct Outcome {
    passed: bool,
    timed_out: bool,
    output: String,
}

fn run_binaries(f: &Fixture, runs: &[&Run], pinned: bool) -> Result<Outcome, String> {
    let mut outcome = Outcome {
        passed: true,
        timed_out: false,
        output: String::new(),
    };
    for run in runs {
        let exe = run.exe.as_ref().ok_or_else(|| {
            format!(
                "{}: no test binary was built for {}",
                project::shown(&f.path),
                run.target.name
            )
        })?;
        let exe = exe.to_string_lossy().into_owned();
        let mut cmd = if pinned {
            run::command("taskset", &["-c", "0", &exe])
        } else {
            run::command(&exe, &[])
        };
        // A wrong answer that hangs is stopped by the watchdog soon; a right
        // answer gets the learner's limit, so a loaded machine cannot fail it.
        let watchdog = match f.expect {
            Expect::Pass => "5",
            Expect::Fail | Expect::Loom => WATCHDOG_SECS,
        };
        cmd.current_dir(&run.dir)
            .env("COURSE_TIMEOUT_SECS", watchdog)
            .env("CARGO_MANIFEST_DIR", &run.dir)
            .env("CARGO_PKG_NAME", f.package())
            .env("RUST_BACKTRACE", "0");
        let timed = run::with_limit(&mut cmd, LIMIT)?;
        outcome.passed &= timed.output.status.success();
        outcome.timed_out |= timed.timed_out;
        outcome
            .output
            .push_str(&String::from_utf8_lossy(&timed.output.stdout));
        outcome
            .output
            .push_str(&String::from_utf8_lossy(&timed.output.stderr));
    }
    Ok(outcome)
}

fn run_fixture(f: &Fixture, runs: &[Run]) -> Result<(), String> {
    let shown = project::shown(&f.path);
    if runs.is_empty() {
        return Err(format!("{shown}: the exercise has no test targets"));
    }
    let plain: Vec<&Run> = runs.iter().filter(|r| !r.target.is_loom()).collect();
    let loom: Vec<&Run> = runs.iter().filter(|r| r.target.is_loom()).collect();
    match f.expect {
        Expect::Pass => {
            let all: Vec<&Run> = runs.iter().collect();
            let outcome = run_binaries(f, &all, false)?;
            if outcome.passed {
                Ok(())
            } else {
                Err(format!(
                    "{shown}: a correct answer failed the tests:\n{}",
                    tail(&outcome.output)
                ))
            }
        }
        Expect::Fail => must_fail(f, &runs.iter().collect::<Vec<_>>()),
        Expect::Loom => {
            if loom.is_empty() {
                return Err(format!(
                    "{shown}: `expect: loom`, but the exercise has no loom models"
                ));
            }
            let outcome = run_binaries(f, &plain, false)?;
            if !outcome.passed {
                return Err(format!(
                    "{shown}: `expect: loom` means the plain tests pass, and they failed:\n{}",
                    tail(&outcome.output)
                ));
            }
            must_fail(f, &loom)
        }
    }
}

/// The binaries must fail, with every message, on every run: once, or with
/// `repeat: N`, N times and once more pinned to one core.
fn must_fail(f: &Fixture, runs: &[&Run]) -> Result<(), String> {
    let shown = project::shown(&f.path);
    let pinned = f.repeat > 1
        && std::process::Command::new("taskset")
            .arg("-V")
            .output()
            .is_ok();
    for i in 0..f.repeat + usize::from(pinned) {
        let on_one_core = i == f.repeat;
        let outcome = run_binaries(f, runs, on_one_core)?;
        let which = if f.repeat == 1 {
            String::new()
        } else if on_one_core {
            " on the run pinned to one core".to_owned()
        } else {
            format!(" on run {} of {}", i + 1, f.repeat)
        };
        if outcome.timed_out {
            return Err(format!(
                "{shown}: the tests were still running after {LIMIT:?}{which}"
            ));
        }
        if outcome.passed {
            return Err(format!("{shown}: a wrong answer passed the tests{which}"));
        }
        let missing: Vec<String> = f
            .messages
            .iter()
            .filter(|m| !outcome.output.contains(m.as_str()))
            .map(|m| {
                format!(
                    "{shown}: the failure does not say \"{m}\"{which}:\n{}",
                    tail(&outcome.output)
                )
            })
            .collect();
        if !missing.is_empty() {
            return Err(missing.join("\n"));
        }
    }
    Ok(())
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(40);
    lines[start..].join("\n")
}
