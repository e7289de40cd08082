//! The book's listings, `src/chapter-N/listings/*.rs`: each one compiles
//! without warnings (clippy's included), runs, exits with success, and prints
//! what the book says it prints. A listing's expected output is in a file
//! beside it:
//!
//! - `NAME.stdout`: exactly this;
//! - `NAME.lines`: these lines, in any order (for programs whose threads
//!   print in an order that changes from run to run).
//!
//! Compiled listings are kept in `target/listings/` and reused while the
//! source is unchanged.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::{project, run};

/// How long one listing may run.
const LIMIT: Duration = Duration::from_secs(30);

/// Checks the listings of the given chapters; returns how many there were.
pub fn check(chapters: &[u32]) -> Result<usize, String> {
    let root = project::root();
    let mut listings = Vec::new();
    for n in chapters {
        let dir = root.join(format!("src/chapter-{n}/listings"));
        listings.extend(
            project::files_under(&dir, ".rs")
                .into_iter()
                .map(|file| (*n, file)),
        );
    }
    let queue = Mutex::new(listings.iter());
    let problems = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((chapter, file)) = next else { break };
                    if let Err(problem) = check_one(*chapter, file) {
                        problems
                            .lock()
                            .unwrap()
                            .push(format!("{}: {problem}", project::shown(file)));
                    }
                }
            });
        }
    });
    let mut problems = problems.into_inner().unwrap();
    problems.sort();
    if problems.is_empty() {
        Ok(listings.len())
    } else {
        Err(problems.join("\n"))
    }
}

fn check_one(chapter: u32, file: &Path) -> Result<(), String> {
    let exe = compile(chapter, file)?;
    let mut cmd = run::command(&exe.to_string_lossy(), &[]);
    cmd.env("RUST_BACKTRACE", "0");
    let timed = run::with_limit(&mut cmd, LIMIT)?;
    if timed.timed_out {
        return Err(format!("did not finish within {LIMIT:?}"));
    }
    let stdout = String::from_utf8_lossy(&timed.output.stdout);
    if !timed.output.status.success() {
        return Err(format!(
            "exited with {}\nstdout:\n{stdout}stderr:\n{}",
            timed.output.status,
            String::from_utf8_lossy(&timed.output.stderr)
        ));
    }
    let exact = file.with_extension("stdout");
    let any_order = file.with_extension("lines");
    if let Ok(expected) = fs::read_to_string(&exact) {
        if stdout != expected {
            return Err(format!(
                "printed something else than {}:\n--- expected\n{expected}--- printed\n{stdout}",
                project::shown(&exact)
            ));
        }
    } else if let Ok(expected) = fs::read_to_string(&any_order) {
        let mut want: Vec<&str> = expected.lines().collect();
        let mut got: Vec<&str> = stdout.lines().collect();
        want.sort();
        got.sort();
        if want != got {
            return Err(format!(
                "did not print the lines of {} (in any order):\n--- expected\n{expected}--- printed\n{stdout}",
                project::shown(&any_order)
            ));
        }
    }
    Ok(())
}

/// Lints and compiles the listing, unless an up-to-date build is there.
fn compile(chapter: u32, file: &Path) -> Result<PathBuf, String> {
    let source = fs::read_to_string(file).map_err(|e| e.to_string())?;
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let out_dir = project::root().join(format!("target/listings/chapter-{chapter}"));
    fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let exe = out_dir.join(&stem);
    let stamp = out_dir.join(format!("{stem}.stamp"));

    let mut hasher = DefaultHasher::new();
    source.hash(&mut hasher);
    let key = hasher.finish().to_string();
    if exe.exists() && fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str()) {
        return Ok(exe);
    }
    let file_arg = file.to_string_lossy();
    let exe_arg = exe.to_string_lossy();
    let common = ["--edition=2024", "--crate-name", &stem, "-D", "warnings"];
    // Lints first (clippy's driver builds with settings of its own, so its
    // output is not the program that runs), then the program the book
    // shows, built by rustc as `mdbook test` and a reader would build it.
    let mut clippy = run::command("clippy-driver", &common);
    clippy.args([
        "--emit=metadata",
        "-o",
        &format!("{exe_arg}.rmeta"),
        &file_arg,
    ]);
    run::checked(&mut clippy).map_err(|e| format!("has clippy warnings:\n{e}"))?;
    let mut rustc = run::command("rustc", &common);
    rustc.args(["-o", &exe_arg, &file_arg]);
    run::checked(&mut rustc).map_err(|e| format!("does not compile cleanly:\n{e}"))?;
    fs::write(&stamp, key).map_err(|e| e.to_string())?;
    Ok(exe)
}
