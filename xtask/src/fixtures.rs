//! Fixtures: other answers to the exercises, kept with the reference
//! solution in `solutions/chapter-N/fixtures/EXERCISE/`. A fixture is
//! either `NAME.rs`, a whole replacement for `src/EXERCISE.rs`, or
//! `NAME.diff`, a unified diff against the reference `src/EXERCISE.rs` (for
//! an answer that differs from the reference in a few lines; make one with
//! `diff -u`). Either way, it says in its header what it must do against the
//! chapter's tests for that exercise:
//!
//! ```text
//! //! Joins each thread right after spawning it: only one job runs at a time.
//! // expect: fail
//! // message: spawn_all waited for a job
//! ```
//!
//! - `expect: fail` is a realistic wrong answer. The exercise's tests must
//!   fail, fast, and their output must contain every `message:` line: the
//!   words a learner who wrote this code should see.
//! - `expect: pass` is a correct answer that takes another route than the
//!   reference. The tests must pass: they must not over-constrain.
//!
//! Verify builds every fixture as a crate of its own under
//! `target/fixtures/` (the solution with one file swapped) and runs the
//! exercise's tests on it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::{cache, project, run};

/// How long a fixture's tests may run; wrong answers that hang are stopped
/// by the watchdog, which gets a shorter limit here.
const LIMIT: Duration = Duration::from_secs(60);
const WATCHDOG_SECS: &str = "2";

#[derive(Debug, PartialEq)]
enum Expect {
    Pass,
    Fail,
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
    let header = &text[..diff_start(&text).unwrap_or(text.len())];
    for line in header.lines() {
        let line = line.trim();
        if let Some(value) = line.strip_prefix("// expect:") {
            expect = match value.trim() {
                "pass" => Some(Expect::Pass),
                "fail" => Some(Expect::Fail),
                other => {
                    return Err(format!(
                        "{}: `expect: {other}` must be `pass` or `fail`",
                        project::shown(path)
                    ));
                }
            };
        } else if let Some(value) = line.strip_prefix("// message:") {
            messages.push(value.trim().to_owned());
        }
    }
    let expect = expect
        .ok_or_else(|| format!("{}: no `// expect: pass|fail` line", project::shown(path)))?;
    if expect == Expect::Fail && messages.is_empty() {
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

/// Writes one crate per fixture, in a workspace of their own.
fn write_workspace(fixtures: &[Fixture]) -> Result<PathBuf, String> {
    let root = project::root();
    let dir = root.join("target/fixtures");
    let io = |e: std::io::Error| e.to_string();
    let mut members = Vec::new();
    for f in fixtures {
        let crate_dir = dir.join(f.package());
        let src = crate_dir.join("src");
        fs::create_dir_all(&src).map_err(io)?;
        let solution_src = root.join(format!("solutions/chapter-{}/src", f.chapter));
        for file in project::files_under(&solution_src, ".rs") {
            let relative = file.strip_prefix(&solution_src).unwrap();
            let text = fs::read_to_string(&file).map_err(io)?;
            let text = if relative == Path::new(&format!("{}.rs", f.exercise)) {
                answer(f, &file, &text)?
            } else {
                text
            };
            let target = src.join(relative);
            fs::create_dir_all(target.parent().unwrap()).map_err(io)?;
            write_if_changed(&target, &text)?;
        }
        let tests = root.join(format!("exercises/chapter-{}/tests/exercises", f.chapter));
        let mut main = format!(
            "#[path = {:?}]\nmod {};\n",
            tests.join(format!("{}.rs", f.exercise)),
            f.exercise
        );
        if tests.join("common.rs").exists() {
            main.push_str(&format!(
                "#[allow(dead_code)]\n#[path = {:?}]\nmod common;\n",
                tests.join("common.rs")
            ));
        }
        write_if_changed(&crate_dir.join("tests/exercises.rs"), &main)?;
        let manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [lib]\nname = \"chapter_{}\"\ntest = false\ndoctest = false\n\n\
             [dev-dependencies]\n{}",
            f.package(),
            f.chapter,
            dev_dependencies(f.chapter)?
        );
        write_if_changed(&crate_dir.join("Cargo.toml"), &manifest)?;
        members.push(format!("{:?}", f.package()));
    }
    let workspace = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{}\n[profile.dev]\ndebug = \"line-tables-only\"\n",
        members.join(", "),
        workspace_dependencies()?
    );
    write_if_changed(&dir.join("Cargo.toml"), &workspace)?;
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(io)?;
    if !dir.join("Cargo.lock").exists() {
        fs::write(dir.join("Cargo.lock"), lock).map_err(io)?;
    }
    Ok(dir)
}

/// The fixture's version of the exercise file: the `.rs` fixture itself,
/// or the reference (`reference`, read from `reference_path`) with the
/// `.diff` fixture applied.
fn answer(f: &Fixture, reference_path: &Path, reference: &str) -> Result<String, String> {
    if f.path.extension().is_some_and(|e| e == "rs") {
        return Ok(f.text.clone());
    }
    let start = diff_start(&f.text)
        .ok_or_else(|| format!("{}: no `--- ` line starts a diff", project::shown(&f.path)))?;
    let patch = diffy::Patch::from_str(&f.text[start..])
        .map_err(|e| format!("{}: not a unified diff: {e}", project::shown(&f.path)))?;
    diffy::apply(reference, &patch).map_err(|e| {
        format!(
            "{}: no longer applies to {} ({e}); write the answer out in full and \
             make the diff again with `diff -u`",
            project::shown(&f.path),
            project::shown(reference_path)
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

/// The dev-dependencies of the chapter's solution, as TOML lines, but for
/// `compile-fail` (fixtures run only the exercise tests).
fn dev_dependencies(chapter: u32) -> Result<String, String> {
    let path = project::root().join(format!("solutions/chapter-{chapter}/Cargo.toml"));
    let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
    Ok(table_lines(&text, "[dev-dependencies]")
        .into_iter()
        .filter(|line| !line.starts_with("compile-fail"))
        .map(|line| line + "\n")
        .collect())
}

/// The root workspace's `[workspace.dependencies]`, with paths made
/// absolute, so that `x.workspace = true` resolves in the fixtures'
/// workspace too.
fn workspace_dependencies() -> Result<String, String> {
    let root = project::root();
    let text = fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let mut out = String::from("[workspace.dependencies]\n");
    for line in table_lines(&text, "[workspace.dependencies]") {
        out.push_str(&line.replace("path = \"", &format!("path = \"{}/", root.display())));
        out.push('\n');
    }
    Ok(out)
}

/// The non-empty, non-comment lines of one `[table]` of a TOML file.
fn table_lines(text: &str, table: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed == table;
        } else if inside && !trimmed.is_empty() && !trimmed.starts_with('#') {
            lines.push(trimmed.to_owned());
        }
    }
    lines
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
        fs::write(path, text).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// What a fixture's verdict depends on: the fixture, the exercise's tests,
/// the rest of the reference solution, the test helpers, the lock file,
/// the toolchain, and this file.
fn inputs(f: &Fixture) -> Vec<PathBuf> {
    let root = project::root();
    let tests = root.join(format!("exercises/chapter-{}/tests/exercises", f.chapter));
    let mut files = vec![
        f.path.clone(),
        tests.join(format!("{}.rs", f.exercise)),
        tests.join("common.rs"),
        root.join(format!("solutions/chapter-{}/Cargo.toml", f.chapter)),
        root.join("Cargo.lock"),
        root.join("rust-toolchain.toml"),
    ];
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
    let stale: Vec<usize> = (0..fixtures.len())
        .filter(|&i| !cache::fresh(&fixtures[i].package(), &keys[i]))
        .collect();
    let (wrong, right) = fixtures.iter().fold((0, 0), |(w, r), f| match f.expect {
        Expect::Fail => (w + 1, r),
        Expect::Pass => (w, r + 1),
    });
    let summary = format!(
        "{wrong} wrong answers fail, {right} other answers pass ({} run, {} unchanged)",
        stale.len(),
        fixtures.len() - stale.len()
    );
    if stale.is_empty() {
        return Ok(summary);
    }

    let dir = write_workspace(&fixtures)?;
    let target = dir.join("target");
    let mut args = vec!["test", "--no-run", "--message-format=json", "--offline"];
    let packages: Vec<String> = stale.iter().map(|&i| fixtures[i].package()).collect();
    for p in &packages {
        args.extend(["--package", p]);
    }
    let mut build = run::cargo(&args);
    build.current_dir(&dir).env("CARGO_TARGET_DIR", &target);
    let output = run::checked(&mut build)?;
    let mut binaries: BTreeMap<String, PathBuf> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" || msg["profile"]["test"] != true {
            continue;
        }
        let package = msg["package_id"].as_str().unwrap_or("");
        if let Some(name) = packages
            .iter()
            .find(|p| package.contains(&format!("/{p}#")))
            && let Some(exe) = msg["executable"].as_str()
        {
            binaries.insert(name.clone(), PathBuf::from(exe));
        }
    }

    // Wrong answers mostly wait for the watchdog, so several run at once.
    let queue = Mutex::new(stale.iter());
    let problems = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..PARALLEL {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next().copied();
                    let Some(i) = next else { break };
                    let f = &fixtures[i];
                    match run_fixture(f, binaries.get(&f.package())) {
                        Ok(()) => cache::record(&f.package(), &keys[i]),
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

fn run_fixture(f: &Fixture, exe: Option<&PathBuf>) -> Result<(), String> {
    let shown = project::shown(&f.path);
    let exe = exe.ok_or_else(|| format!("{shown}: no test binary was built"))?;
    let mut cmd = run::command(&exe.to_string_lossy(), &[]);
    // A wrong answer that hangs is stopped by the watchdog soon; a right
    // answer gets the learner's limit, so a loaded machine cannot fail it.
    let watchdog = match f.expect {
        Expect::Fail => WATCHDOG_SECS,
        Expect::Pass => "5",
    };
    cmd.env("COURSE_TIMEOUT_SECS", watchdog)
        .env("RUST_BACKTRACE", "0");
    let timed = run::with_limit(&mut cmd, LIMIT)?;
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&timed.output.stdout),
        String::from_utf8_lossy(&timed.output.stderr)
    );
    let passed = timed.output.status.success();
    match f.expect {
        Expect::Pass if !passed => Err(format!(
            "{shown}: a correct answer failed the tests:\n{}",
            tail(&out)
        )),
        Expect::Pass => Ok(()),
        Expect::Fail if timed.timed_out => Err(format!(
            "{shown}: the tests were still running after {LIMIT:?}"
        )),
        Expect::Fail if passed => Err(format!("{shown}: a wrong answer passed the tests")),
        Expect::Fail => {
            let missing: Vec<String> = f
                .messages
                .iter()
                .filter(|m| !out.contains(m.as_str()))
                .map(|m| format!("{shown}: the failure does not say \"{m}\":\n{}", tail(&out)))
                .collect();
            if missing.is_empty() {
                Ok(())
            } else {
                Err(missing.join("\n"))
            }
        }
    }
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(40);
    lines[start..].join("\n")
}
