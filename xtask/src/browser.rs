//! `cargo xtask browser-test`: the built book in headless Chromium, checked
//! by `tools/browser-test/check.mjs` (Playwright's `playwright-core` driving
//! the system's Chromium, and axe-core), at 1280 and 390 px, in the light,
//! navy and ayu themes. It also builds the book as the publishing workflow
//! would, for a made-up repository, and checks it served under a sub-path.
//! Installs the pinned Node packages with `npm ci` when they are missing or
//! the lock file changed. The report and the screenshots go to
//! `target/browser-test/`.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::{mdbook, project, run, site};

/// The repository the test publishes the book for; the owner is made up.
const TEST_REPOSITORY: &str = "example-owner/fearless-concurrency";

/// Chromium: `$CHROMIUM`, or Debian's `/usr/bin/chromium`.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    path.exists().then_some(path)
}

/// Whether a missing Chromium is a failure rather than a reason to skip
/// (CI sets `COURSE_REQUIRE_BROWSER=1`).
pub fn required() -> bool {
    std::env::var("COURSE_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// `npm ci` in `dir`, unless `node_modules` was installed from this very
/// `package-lock.json` (its hash is kept in `node_modules/.course-lock`).
fn ensure_node_packages(dir: &Path) -> Result<(), String> {
    let lock = fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("cannot read tools/browser-test/package-lock.json: {e}"))?;
    let mut hasher = DefaultHasher::new();
    lock.hash(&mut hasher);
    let key = hasher.finish().to_string();
    let stamp = dir.join("node_modules/.course-lock");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str()) {
        return Ok(());
    }
    let mut npm = run::command("npm", &["ci", "--no-audit", "--no-fund"]);
    npm.current_dir(dir);
    run::checked(&mut npm)?;
    fs::write(&stamp, key).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

/// Runs the browser checks on the book in `target/book/html`, which must be
/// built. Returns the summary line.
pub fn check() -> Result<String, String> {
    let text = run_checks()?;
    let last = text.lines().last().unwrap_or("").to_owned();
    Ok(format!("{last}; screenshots in target/browser-test/"))
}

/// Runs the browser checks; returns their report, one line per check.
fn run_checks() -> Result<String, String> {
    let chromium = chromium().ok_or(
        "Chromium not found: install Debian's `chromium` package, or set CHROMIUM to its path",
    )?;
    let root = project::root();
    let dir = root.join("tools/browser-test");
    ensure_node_packages(&dir)?;
    let out = root.join("target/browser-test");
    let published = out.join("published");
    site::build_published(TEST_REPOSITORY, "main", &published)?;
    let mut node = run::command(
        "node",
        &[
            "check.mjs",
            &root.join("target/book/html").to_string_lossy(),
            &root.join("src/SUMMARY.md").to_string_lossy(),
            &out.to_string_lossy(),
            &published.join("html").to_string_lossy(),
            TEST_REPOSITORY,
        ],
    );
    node.current_dir(&dir).env("CHROMIUM", chromium);
    let output = node.output().map_err(|e| format!("cannot run node: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!("{text}{}", String::from_utf8_lossy(&output.stderr)))
    }
}

/// `cargo xtask browser-test`.
pub fn run_command() -> Result<(), String> {
    mdbook::build()?;
    print!("{}", run_checks()?);
    println!("report and screenshots in target/browser-test/");
    Ok(())
}
