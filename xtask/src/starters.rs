//! The starters: what the book shows must be what `exercises/` holds, and
//! every exercise test must fail on them, fast.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{crates, project, run, source};

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

/// `cargo xtask write-starters`: generate each starter from its reference
/// solution (see `source.rs`) into `exercises/` and into the exercise's
/// page. A file in `exercises/` that differs from the new starter (your own
/// work, say) is copied to `target/write-starters-backup/` first.
pub fn write(chapter: Option<u32>) -> Result<(), String> {
    let chapters = project::selected(chapter)?;
    let root = project::root();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let backup = root.join(format!("target/write-starters-backup/{stamp}"));
    for n in chapters {
        let starters = source::starters_of(n)?;
        for (relative, text) in &starters {
            let shown = format!("exercises/chapter-{n}/src/{}", relative.display());
            let target = root.join(&shown);
            let old = fs::read_to_string(&target).ok();
            if old.as_deref() == Some(text.as_str()) {
                continue;
            }
            if let Some(old) = old {
                let copy = backup.join(&shown);
                fs::create_dir_all(copy.parent().unwrap()).map_err(|e| e.to_string())?;
                fs::write(&copy, old).map_err(|e| e.to_string())?;
                println!("saved the old {shown} as {}", project::shown(&copy));
            }
            fs::create_dir_all(target.parent().unwrap()).map_err(|e| e.to_string())?;
            fs::write(&target, text).map_err(|e| e.to_string())?;
            println!("wrote {shown}");
        }
        let mut blocks = source::blocks(n)?;
        // Replace from the end of each page, so earlier ranges stay valid.
        blocks.sort_by(|a, b| (&a.page, b.text.start).cmp(&(&b.page, a.text.start)));
        for block in blocks {
            let Some((_, text)) = starters
                .iter()
                .find(|(rel, _)| block.path == format!("chapter-{n}/src/{}", rel.display()))
            else {
                return Err(format!(
                    "{}: `<!-- File {} -->` names no file of solutions/chapter-{n}/src/",
                    project::shown(&block.page),
                    block.path
                ));
            };
            let mut page = fs::read_to_string(&block.page).map_err(|e| e.to_string())?;
            if page[block.text.clone()] != **text {
                page.replace_range(block.text.clone(), text);
                fs::write(&block.page, page).map_err(|e| e.to_string())?;
                println!(
                    "wrote the starter of {} into {}",
                    block.path,
                    project::shown(&block.page)
                );
            }
        }
    }
    Ok(())
}

/// Every starter is what its reference solution gives: the file in
/// `exercises/` and the block in the book. Returns how many were checked.
pub fn check_generated(chapters: &[u32]) -> Result<usize, String> {
    let root = project::root();
    let mut problems = Vec::new();
    let mut checked = 0;
    for &n in chapters {
        let starters = source::starters_of(n)?;
        let blocks = source::blocks(n)?;
        for (relative, text) in &starters {
            checked += 1;
            let from = format!("solutions/chapter-{n}/src/{}", relative.display());
            let path = format!("chapter-{n}/src/{}", relative.display());
            let file = format!("exercises/{path}");
            match fs::read_to_string(root.join(&file)) {
                Ok(actual) if actual == *text => {}
                Ok(actual) => problems.push(format!(
                    "{file} is not the starter that {from} gives{}",
                    first_difference(text, &actual)
                        .replace("book:", "source gives:")
                        .replace("exercises:", "file has:")
                )),
                Err(_) => problems.push(format!("{file} is missing; {from} gives it")),
            }
            let shown: Vec<&source::Block> = blocks.iter().filter(|b| b.path == path).collect();
            match shown.as_slice() {
                [] => problems.push(format!(
                    "{from} is shown in no page: add a `<!-- File {path} -->` code block to its exercise page"
                )),
                [block] => {
                    let page = fs::read_to_string(&block.page).map_err(|e| e.to_string())?;
                    if page[block.text.clone()] != **text {
                        problems.push(format!(
                            "{}: the starter of {path} is not what {from} gives{}",
                            project::shown(&block.page),
                            first_difference(text, &page[block.text.clone()])
                                .replace("book:", "source gives:")
                                .replace("exercises:", "page has:")
                        ));
                    }
                }
                _ => problems.push(format!("{path} is shown in more than one page")),
            }
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        problems
            .push("(to write every starter from its source: `cargo xtask write-starters`)".into());
        Err(problems.join("\n"))
    }
}

/// How long one exercise test may take to fail on a starter.
const FAIL_FAST: Duration = Duration::from_secs(3);

/// How long a test that checks compile-fail tasks may take: it runs
/// `cargo check`, which takes seconds the first time.
const TASKS_LIMIT: Duration = Duration::from_secs(120);

/// On the starters as the book shows them, every exercise test fails, and
/// fails fast. They are built as crates of their own under
/// `target/starters-check/` (never from `exercises/`, whose files a learner
/// or a contributor may have changed, whatever their modification times
/// say). Returns how many tests were run.
pub fn fail_fast(chapters: &[u32]) -> Result<usize, String> {
    let book = exerciser_output();
    let dir = project::root().join("target/starters-check");
    let mut crates = Vec::new();
    for &n in chapters {
        let mut src = Vec::new();
        for file in starter_files(&book, n) {
            let text = fs::read_to_string(book.join(&file)).map_err(|e| e.to_string())?;
            let relative = file
                .strip_prefix(format!("chapter-{n}/src"))
                .unwrap()
                .to_path_buf();
            src.push((relative, text));
        }
        crates.push(crates::ExerciseCrate {
            package: format!("starters-{n}"),
            chapter: n,
            exercise: None,
            src,
        });
    }
    crates::write_workspace(&dir, &crates)?;
    let packages: Vec<String> = crates.iter().map(|c| c.package.clone()).collect();
    let built = crates::build_tests(&dir, &packages)?;
    if !built.errors.is_empty() {
        let errors: Vec<String> = built
            .errors
            .iter()
            .map(|(package, errors)| format!("{package}: the starters do not compile:\n{errors}"))
            .collect();
        return Err(errors.join("\n"));
    }
    let binaries = built.binaries;

    let mut problems = Vec::new();
    let mut count = 0;
    let mut listed: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for ((package, target), exe) in &binaries {
        let crate_dir = dir.join(package);
        let names = list_tests(exe, &crate_dir)?;
        listed.insert((package.clone(), target.clone()), names.clone());
        for name in names {
            count += 1;
            let limit = if name.ends_with("compile_fail_tasks") {
                TASKS_LIMIT
            } else {
                FAIL_FAST
            };
            let outcome = run_one(exe, &crate_dir, package, &name, limit)?;
            if let Some(problem) = outcome.problem() {
                let chapter = package.trim_start_matches("starters-");
                problems.push(format!("chapter-{chapter} {target} {name}: {problem}"));
            }
        }
    }
    for &n in chapters {
        problems.extend(filters_select_one_exercise(
            n,
            &format!("starters-{n}"),
            &listed,
        )?);
    }
    if problems.is_empty() {
        Ok(count)
    } else {
        Err(problems.join("\n"))
    }
}

/// `cargo test -p chapter-N EXERCISE`, the command each exercise's page
/// gives, must run exactly that exercise's tests: every test of its targets
/// starts with `EXERCISE::`, and no test of another target has `EXERCISE`
/// in its name (libtest selects tests whose name contains the filter). And
/// every such command in the chapter's pages names an exercise.
fn filters_select_one_exercise(
    chapter: u32,
    package: &str,
    listed: &BTreeMap<(String, String), Vec<String>>,
) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    let targets = crates::targets(chapter)?;
    for (exercise, own) in &targets {
        let own_names: Vec<&str> = own.iter().map(|t| t.name.as_str()).collect();
        for ((p, target), tests) in listed {
            if p != package {
                continue;
            }
            for test in tests {
                let mine = own_names.contains(&target.as_str());
                if mine && !test.starts_with(&format!("{exercise}::")) {
                    problems.push(format!(
                        "chapter-{chapter} {target}: test `{test}` must start with `{exercise}::`, \
                         so that `cargo test -p chapter-{chapter} {exercise}` selects it"
                    ));
                } else if !mine && test.contains(exercise.as_str()) {
                    problems.push(format!(
                        "chapter-{chapter}: `cargo test -p chapter-{chapter} {exercise}` would also \
                         run `{test}` of {target}: rename it"
                    ));
                }
            }
        }
    }
    let pages = project::files_under(
        &project::root().join(format!("src/chapter-{chapter}")),
        ".md",
    );
    let prefix = format!("cargo test -p chapter-{chapter} ");
    for page in pages {
        let text = fs::read_to_string(&page).map_err(|e| e.to_string())?;
        for (at, _) in text.match_indices(&prefix) {
            let word: String = text[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !word.is_empty() && !word.starts_with('-') && !targets.contains_key(&word) {
                problems.push(format!(
                    "{}: `{prefix}{word}` names no exercise of chapter {chapter}",
                    project::shown(&page)
                ));
            }
        }
    }
    Ok(problems)
}

struct Outcome {
    passed: bool,
    timed_out: bool,
    elapsed: Duration,
    limit: Duration,
}

impl Outcome {
    fn problem(&self) -> Option<String> {
        if self.timed_out {
            Some(format!(
                "still running after {:?}: a starter's test must fail fast",
                self.limit
            ))
        } else if self.passed {
            Some("passed on the untouched starter; it must fail until the exercise is done".into())
        } else if self.elapsed > self.limit {
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

/// Runs one test alone, the way `cargo test` runs it.
fn run_one(
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
