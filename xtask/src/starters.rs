//! The starters: what the book shows must be what `exercises/` holds, and
//! every exercise test must fail on them, fast.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{mdbook, project, run};

/// Where the exerciser renderer writes the starters: its own folder in the
/// build folder, in the flat layout (see book.toml).
pub fn exerciser_output() -> PathBuf {
    project::root().join("target/book/exerciser")
}

/// The `.rs` files of a chapter's starters in `dir` (the exerciser's output
/// or `exercises/`), relative to `dir`.
fn starter_files(dir: &Path, chapter: u32) -> BTreeSet<PathBuf> {
    let src = dir.join(format!("chapter-{chapter}/src"));
    project::files_under(&src, ".rs")
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// The book (as written out by the exerciser) and `exercises/` agree.
pub fn compare(chapters: &[u32]) -> Result<usize, String> {
    let book = exerciser_output();
    let exercises = project::root().join("exercises");
    let mut problems = Vec::new();
    let mut compared = 0;
    for &n in chapters {
        let in_book = starter_files(&book, n);
        let in_exercises = starter_files(&exercises, n);
        if in_book.is_empty() {
            problems.push(format!(
                "the book has no `<!-- File chapter-{n}/src/... -->` blocks for chapter {n}"
            ));
        }
        for file in in_exercises.difference(&in_book) {
            problems.push(format!(
                "exercises/{} is not shown in the book (no `<!-- File {} -->` block)",
                file.display(),
                file.display()
            ));
        }
        for file in &in_book {
            compared += 1;
            let shown = fs::read_to_string(book.join(file)).unwrap_or_default();
            match fs::read_to_string(exercises.join(file)) {
                Err(_) => problems.push(format!(
                    "exercises/{} is missing; the book shows it (run `cargo xtask write-starters`)",
                    file.display()
                )),
                Ok(actual) if actual != shown => problems.push(format!(
                    "exercises/{} differs from the book{}\n  (if the book is right: `cargo xtask write-starters --chapter {n}`)",
                    file.display(),
                    first_difference(&shown, &actual)
                )),
                Ok(_) => {}
            }
        }
    }
    if problems.is_empty() {
        Ok(compared)
    } else {
        Err(problems.join("\n"))
    }
}

fn first_difference(book: &str, actual: &str) -> String {
    let mut book_lines = book.lines();
    let mut actual_lines = actual.lines();
    for line in 1.. {
        match (book_lines.next(), actual_lines.next()) {
            (None, None) => return " (line endings)".to_owned(),
            (b, a) if b != a => {
                return format!(
                    " at line {line}:\n  book:      {}\n  exercises: {}",
                    b.unwrap_or("<end of file>"),
                    a.unwrap_or("<end of file>")
                );
            }
            _ => {}
        }
    }
    unreachable!()
}

/// `cargo xtask write-starters`: build the book and copy the starters it
/// shows into `exercises/`.
pub fn write(chapter: Option<u32>) -> Result<(), String> {
    let chapters = project::selected(chapter)?;
    run::checked(&mut mdbook::command(&["build"])?)?;
    let book = exerciser_output();
    let exercises = project::root().join("exercises");
    for n in chapters {
        for file in starter_files(&book, n) {
            let text = fs::read_to_string(book.join(&file)).map_err(|e| e.to_string())?;
            let target = exercises.join(&file);
            if fs::read_to_string(&target).ok().as_deref() != Some(text.as_str()) {
                fs::create_dir_all(target.parent().unwrap()).map_err(|e| e.to_string())?;
                fs::write(&target, text).map_err(|e| e.to_string())?;
                println!("wrote exercises/{}", file.display());
            }
        }
        for file in starter_files(&exercises, n).difference(&starter_files(&book, n)) {
            println!(
                "note: exercises/{} is not in the book; remove it or show it",
                file.display()
            );
        }
    }
    Ok(())
}

/// How long one exercise test may take to fail on a starter.
const FAIL_FAST: Duration = Duration::from_secs(3);

/// On the untouched starters, every exercise test fails, and fails fast;
/// the exhibits pass and the compile-fail tasks fail. Returns how many
/// tests were run.
pub fn fail_fast(chapters: &[u32]) -> Result<usize, String> {
    let mut problems = Vec::new();
    let mut count = 0;
    for &n in chapters {
        let package = format!("chapter-{n}");
        let dir = project::root().join(format!("exercises/{package}"));
        let binaries = run::test_binaries(&package)?;
        let exercises = binaries
            .get("exercises")
            .ok_or_else(|| format!("{package} has no `exercises` test target"))?;
        for name in list_tests(exercises, &dir)? {
            count += 1;
            let outcome = run_one(exercises, &dir, &package, &name)?;
            if let Some(problem) = outcome.problem(false) {
                problems.push(format!("{package} {name}: {problem}"));
            }
        }
        if let Some(compile_fail) = binaries.get("compile_fail") {
            for name in list_tests(compile_fail, &dir)? {
                count += 1;
                // Exhibits pass from the start; tasks wait for your code.
                let should_pass = name == "exhibits";
                let outcome = run_one_with(
                    compile_fail,
                    &dir,
                    &package,
                    &name,
                    Duration::from_secs(300),
                )?;
                if let Some(problem) = outcome.problem(should_pass) {
                    problems.push(format!("{package} compile_fail {name}: {problem}"));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(count)
    } else {
        Err(problems.join("\n"))
    }
}

struct Outcome {
    passed: bool,
    timed_out: bool,
    elapsed: Duration,
    limit: Duration,
}

impl Outcome {
    fn problem(&self, should_pass: bool) -> Option<String> {
        if self.timed_out {
            Some(format!(
                "still running after {:?}: a starter's test must fail fast",
                self.limit
            ))
        } else if self.passed && !should_pass {
            Some("passed on the untouched starter; it must fail until the exercise is done".into())
        } else if !self.passed && should_pass {
            Some("failed on the untouched starter; it must pass from the start".into())
        } else if !self.passed && self.elapsed > self.limit {
            Some(format!(
                "took {:?} to fail; the limit is {:?}",
                self.elapsed, self.limit
            ))
        } else {
            None
        }
    }
}

/// The tests in a test binary, by full name.
fn list_tests(exe: &Path, dir: &Path) -> Result<Vec<String>, String> {
    let mut cmd = run::command(&exe.to_string_lossy(), &["--list", "--format=terse"]);
    cmd.current_dir(dir);
    let output = run::checked(&mut cmd)?;
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect())
}

fn run_one(exe: &Path, dir: &Path, package: &str, name: &str) -> Result<Outcome, String> {
    run_one_with(exe, dir, package, name, FAIL_FAST)
}

/// Runs one test alone, the way `cargo test` runs it.
fn run_one_with(
    exe: &Path,
    dir: &Path,
    package: &str,
    name: &str,
    limit: Duration,
) -> Result<Outcome, String> {
    let mut cmd = run::command(
        &exe.to_string_lossy(),
        &["--exact", name, "--test-threads=1"],
    );
    cmd.current_dir(dir)
        .env("CARGO_MANIFEST_DIR", dir)
        .env("CARGO_PKG_NAME", package)
        .env("RUST_BACKTRACE", "0");
    // The watchdog would stop a hanging test after its own limit; this one
    // also catches a test that hangs outside it.
    let timed = run::with_limit(&mut cmd, limit + Duration::from_secs(5))?;
    let stdout = String::from_utf8_lossy(&timed.output.stdout);
    if !timed.timed_out && !stdout.contains("running 1 test") {
        return Err(format!(
            "{package}: could not run test `{name}` alone:\n{stdout}"
        ));
    }
    Ok(Outcome {
        passed: timed.output.status.success(),
        timed_out: timed.timed_out,
        elapsed: timed.elapsed,
        limit,
    })
}
