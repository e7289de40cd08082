//! `cargo xtask verify [--chapter N]`: the one command that proves the
//! course is sound. Each step prints a PASS or FAIL line with its time; a
//! failed step says why. Nothing in `exercises/` is changed: whatever is
//! generated goes under `target/`.

use std::time::{Duration, Instant};

use crate::{
    book, browser, cache, clauses, exercises_zip, fixtures, hangs, links, listings, mdbook,
    project, quiz, run, starters, zip_check,
};

/// The result of one step: a short summary on success, the reason on failure.
type Outcome = Result<String, String>;

struct Report {
    passed: usize,
    failed: usize,
    skipped: usize,
}

/// A step's summary that starts with this did not run (and says why).
const SKIPPED: &str = "skipped: ";

impl Report {
    fn step(&mut self, name: &str, body: impl FnOnce() -> Outcome) -> bool {
        let start = Instant::now();
        let outcome = body();
        let time = format_time(start.elapsed());
        match outcome {
            Ok(summary) if summary.starts_with(SKIPPED) => {
                self.skipped += 1;
                println!("SKIP  {name:<40} {time:>6}  {}", &summary[SKIPPED.len()..]);
                true
            }
            Ok(summary) => {
                self.passed += 1;
                println!("PASS  {name:<40} {time:>6}  {summary}");
                true
            }
            Err(reason) => {
                self.failed += 1;
                println!("FAIL  {name:<40} {time:>6}");
                for line in reason.lines() {
                    println!("      {line}");
                }
                false
            }
        }
    }
}

fn format_time(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

pub fn run(chapter: Option<u32>) -> Result<(), String> {
    let chapters = project::selected(chapter)?;
    let names: Vec<String> = chapters.iter().map(|n| n.to_string()).collect();
    println!("verify: chapters {}", names.join(", "));
    let start = Instant::now();
    let mut report = Report {
        passed: 0,
        failed: 0,
        skipped: 0,
    };
    let solution_packages: Vec<String> = chapters
        .iter()
        .map(|n| format!("chapter-{n}-solution"))
        .collect();

    report.step("format (rustfmt --check)", || format_check(&chapters));
    report.step("clippy -D warnings", || clippy(&solution_packages));
    report.step("tools' own tests", tools_tests);
    let book_built = report.step("book builds (mdbook build)", || {
        run::checked(&mut mdbook::command(&["build"])?)?;
        exercises_zip::pack()?;
        Ok("html, starters, exercises.zip".to_owned())
    });
    report.step("starters are what the solutions give", || {
        starters::check_generated(&chapters)
            .map(|n| format!("{n} files, in exercises/ and the book"))
    });
    report.step("book and exercises/ agree", || {
        if !book_built {
            return Err("skipped: the book did not build".into());
        }
        starters::compare(&chapters).map(|n| format!("{n} starter files"))
    });
    report.step("listings run as the book says", || {
        listings::check(&chapters).map(|n| format!("{n} listings"))
    });
    report.step("quiz answers are what rustc does", || {
        quiz::check(&chapters)
    });
    report.step("solutions pass the tests", || {
        cargo_tests(&solution_packages)
    });
    report.step("compile-fail exhibits match snapshots", || {
        compile_fail_exhibits(chapter)
    });
    report.step("starters fail, fast", || {
        starters::fail_fast(&chapters).map(|n| format!("{n} tests failed as they should"))
    });
    report.step("every test runs under the watchdog", || {
        hangs::check(&chapters).map(|n| format!("{n} tests"))
    });
    report.step("every clause of a contract has a test", || {
        clauses::check(&chapters).map(|n| format!("{n} clauses"))
    });
    report.step("wrong answers fail, other answers pass", || {
        fixtures::check(&chapters)
    });
    report.step("book snippets compile and run", || mdbook_test(chapter));
    report.step("no broken links or anchors", || {
        if !book_built {
            return Err("skipped: the book did not build".into());
        }
        let html = project::root().join("target/book/html");
        links::check(&html).map(|c| format!("{} links in {} pages", c.links, c.pages))
    });
    report.step("exercises.zip works on its own", || {
        if !book_built {
            return Err("skipped: the book did not build".into());
        }
        zip_check::check()
    });
    report.step("the book in headless Chromium", || {
        if !book_built {
            return Err("skipped: the book did not build".into());
        }
        if browser::chromium().is_none() && !browser::required() {
            return Ok(format!("{SKIPPED}no Chromium here (CI runs it always)"));
        }
        let root = project::root();
        let mut inputs = project::files_under(&root.join("target/book/html"), "");
        inputs.push(root.join("tools/browser-test/check.mjs"));
        inputs.push(root.join("tools/browser-test/package-lock.json"));
        let key = cache::key(&inputs, &[]);
        if cache::fresh("browser-test", &key) {
            return Ok("the built book is unchanged since it last passed".to_owned());
        }
        let summary = browser::check()?;
        cache::record("browser-test", &key);
        Ok(summary)
    });
    report.step("book pointers and cross-references are real", || {
        let pointers = book::check_pointers(&chapters)?;
        let references = book::check_cross_references()?;
        Ok(format!(
            "{pointers} pointers in tests, {references} cross-references in pages"
        ))
    });

    let skipped = match report.skipped {
        0 => String::new(),
        n => format!(", {n} skipped"),
    };
    println!(
        "verify: {} passed, {} failed{skipped} ({})",
        report.passed,
        report.failed,
        format_time(start.elapsed())
    );
    if report.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} step(s) failed", report.failed))
    }
}

fn format_check(chapters: &[u32]) -> Outcome {
    run::checked(&mut run::cargo(&[
        "fmt",
        "--all",
        "--check",
        "--",
        "--color=never",
    ]))?;
    // Files that are not part of a crate: the listings, the compile-fail
    // cases and the fixtures.
    let root = project::root();
    let mut files = Vec::new();
    for n in chapters {
        files.extend(project::files_under(
            &root.join(format!("src/chapter-{n}/listings")),
            ".rs",
        ));
        files.extend(project::files_under(
            &root.join(format!("compile-fail/chapter-{n}")),
            ".rs",
        ));
        files.extend(project::files_under(
            &root.join(format!("solutions/chapter-{n}/fixtures")),
            ".rs",
        ));
    }
    let mut args = vec!["--check", "--edition=2024", "--color=never"]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run::checked(&mut run::command("rustfmt", &args))?;
    Ok(format!("workspace and {} loose files", files.len()))
}

fn clippy(solution_packages: &[String]) -> Outcome {
    let mut args = vec!["clippy", "--all-targets"];
    for p in solution_packages {
        args.extend(["--package", p]);
    }
    args.extend([
        "--package",
        "xtask",
        "--package",
        "mdbook-exerciser",
        "--package",
        "course",
        "--package",
        "test-support",
        "--package",
        "compile-fail",
        "--",
        "-D",
        "warnings",
    ]);
    run::checked(&mut run::cargo(&args))?;
    Ok("solutions, their tests, and the tools".to_owned())
}

fn tools_tests() -> Outcome {
    // All the exerciser's tests (its fixture book too), xtask's, and the
    // learner companion's (`cargo course`, on copies of the workspace).
    run::checked(&mut run::cargo(&[
        "test",
        "--package",
        "mdbook-exerciser",
        "--package",
        "course",
        "--package",
        "xtask",
    ]))?;
    run::checked(&mut run::cargo(&[
        "test",
        "--package",
        "test-support",
        "--package",
        "compile-fail",
        "--lib",
    ]))?;
    Ok("mdbook-exerciser, course, test-support, compile-fail, xtask".to_owned())
}

/// Runs every test target of the packages; all must pass.
fn cargo_tests(packages: &[String]) -> Outcome {
    let mut args = vec!["test", "--no-fail-fast"];
    for p in packages {
        args.extend(["--package", p]);
    }
    let output = run::checked(run::cargo(&args).env("RUST_BACKTRACE", "0"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(format!(
        "{} tests in {} package(s)",
        passed_tests(&stdout),
        packages.len()
    ))
}

/// How many tests libtest reported as passed, over every binary.
fn passed_tests(stdout: &str) -> usize {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum()
}

/// The exhibits (programs rustc must reject) against their snapshots:
/// `cargo test -p compile-fail`, for one chapter or all.
fn compile_fail_exhibits(chapter: Option<u32>) -> Outcome {
    let mut cmd = run::cargo(&["test", "--package", "compile-fail", "--test", "exhibits"]);
    if let Some(n) = chapter {
        cmd.env("COURSE_CHAPTER", n.to_string());
    }
    run::checked(&mut cmd)?;
    Ok(match chapter {
        Some(n) => format!("chapter {n}'s exhibits"),
        None => "every chapter's exhibits".to_owned(),
    })
}

/// `mdbook test`, page by page for the pages whose text or included files
/// changed since they last passed (all at once when every page did).
fn mdbook_test(chapter: Option<u32>) -> Outcome {
    let root = project::root();
    let pages: Vec<String> = match chapter {
        Some(n) => book::pages_of(n)?,
        None => book::sections()?
            .into_iter()
            .map(|s| s.path)
            .filter(|p| !p.is_empty())
            .collect(),
    };
    let keys: Vec<String> = pages
        .iter()
        .map(|page| {
            let mut inputs = book::included_files(page);
            inputs.push(root.join("src").join(page));
            inputs.push(root.join("book.toml"));
            inputs.push(root.join("rust-toolchain.toml"));
            cache::key(&inputs, &[])
        })
        .collect();
    let stale: Vec<usize> = (0..pages.len())
        .filter(|&i| !cache::fresh(&format!("mdbook-test-{}", pages[i]), &keys[i]))
        .collect();
    if stale.len() == pages.len() && chapter.is_none() {
        run::checked(&mut mdbook::command(&["test"])?)?;
    } else {
        let queue = std::sync::Mutex::new(stale.iter());
        let failures = std::sync::Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    loop {
                        let next = queue.lock().unwrap().next().copied();
                        let Some(i) = next else { break };
                        let result = mdbook::command(&["test", "--chapter", &pages[i]])
                            .and_then(|mut cmd| run::checked(&mut cmd).map(drop));
                        if let Err(e) = result {
                            failures.lock().unwrap().push(e);
                        }
                    }
                });
            }
        });
        let failures = failures.into_inner().unwrap();
        if !failures.is_empty() {
            return Err(failures.join("\n"));
        }
    }
    for &i in &stale {
        cache::record(&format!("mdbook-test-{}", pages[i]), &keys[i]);
    }
    Ok(format!(
        "{} pages ({} tested, {} unchanged)",
        pages.len(),
        stale.len(),
        pages.len() - stale.len()
    ))
}
