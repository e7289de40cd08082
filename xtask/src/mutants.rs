//! `cargo xtask mutants [--chapter N]`: mutation testing of the exercise
//! tests. cargo-mutants changes the reference solutions in small ways
//! (replaces a function body, flips a comparison, ...) and runs the
//! chapter's tests on each change; a mutant the tests do not catch is a hole
//! in the tests, unless it is equivalent to the original (then it is
//! excluded in `.cargo/mutants.toml`, with the reason).
//!
//! It runs `--in-place` on a copy of the tree in `target/mutants/tree/`, so
//! the working tree is never changed, with its own target directory, kept
//! between runs so builds are incremental. Each chapter must catch at least
//! 90% of its viable mutants (caught or timed out, of caught + missed +
//! timed out).

use std::fs;
use std::path::Path;

use crate::{mdbook, project, run};

const TARGET_SCORE: f64 = 0.90;

pub fn run(chapter: Option<u32>) -> Result<(), String> {
    let chapters = project::selected(chapter)?;
    let cargo_mutants = mdbook::ensure_tool("cargo-mutants", mdbook::MUTANTS_VERSION)?;
    let root = project::root();
    let work = root.join("target/mutants");
    let tree = work.join("tree");
    copy_tree(&tree)?;

    let mut below = Vec::new();
    for n in chapters {
        let out = work.join(format!("chapter-{n}"));
        let package = format!("chapter-{n}-solution");
        let mut cmd = run::command(
            &cargo_mutants.to_string_lossy(),
            &[
                "mutants",
                "--in-place",
                "--dir",
                &tree.to_string_lossy(),
                "--package",
                &package,
                "--test-package",
                &package,
                "--output",
                &out.to_string_lossy(),
                "--timeout",
                "120",
                "--colors",
                "never",
            ],
        );
        cmd.env("CARGO_TARGET_DIR", work.join("target"))
            // A mutant that hangs fails under the watchdog in two seconds.
            .env("COURSE_TIMEOUT_SECS", "2")
            .env("RUST_BACKTRACE", "0");
        // cargo-mutants exits non-zero when mutants are missed; the counts
        // below are what matter.
        let status = cmd
            .status()
            .map_err(|e| format!("cannot run cargo-mutants: {e}"))?;
        let outcomes = out.join("mutants.out/outcomes.json");
        let text = fs::read_to_string(&outcomes).map_err(|e| {
            format!(
                "cargo-mutants ({status}) wrote no {}: {e}",
                project::shown(&outcomes)
            )
        })?;
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let count = |key: &str| json[key].as_u64().unwrap_or(0);
        let (caught, missed, timeout, unviable) = (
            count("caught"),
            count("missed"),
            count("timeout"),
            count("unviable"),
        );
        let viable = caught + missed + timeout;
        let score = if viable == 0 {
            1.0
        } else {
            (caught + timeout) as f64 / viable as f64
        };
        println!(
            "chapter {n}: {} of {viable} viable mutants caught ({:.0}%; {timeout} by timeout, {unviable} unviable)",
            caught + timeout,
            score * 100.0
        );
        let missed_list = out.join("mutants.out/missed.txt");
        for line in fs::read_to_string(&missed_list).unwrap_or_default().lines() {
            println!("      missed: {line}");
        }
        if score < TARGET_SCORE {
            below.push(format!("chapter {n} ({:.0}%)", score * 100.0));
        }
    }
    if below.is_empty() {
        Ok(())
    } else {
        Err(format!("below 90%: {}", below.join(", ")))
    }
}

/// Copies the files git knows of (tracked, or new and not ignored) into
/// `tree`, leaving unchanged files alone so that builds stay incremental.
fn copy_tree(tree: &Path) -> Result<(), String> {
    let root = project::root();
    let output = run::checked(&mut run::command(
        "git",
        &[
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "-z",
        ],
    ))?;
    let listing = String::from_utf8_lossy(&output.stdout).into_owned();
    for file in listing.split('\0').filter(|f| !f.is_empty()) {
        let from = root.join(file);
        let Ok(bytes) = fs::read(&from) else { continue }; // deleted, not yet staged
        let to = tree.join(file);
        if fs::read(&to).ok().as_deref() != Some(bytes.as_slice()) {
            fs::create_dir_all(to.parent().unwrap()).map_err(|e| e.to_string())?;
            fs::write(&to, bytes).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
