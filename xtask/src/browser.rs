//! `cargo xtask browser-test`: the built book in headless Chromium, checked
//! by `tools/browser-test/check.mjs` (Playwright's `playwright-core` driving
//! the system's Chromium). Installs the pinned Node package with `npm ci`
//! when missing. The report and the screenshots go to `target/browser-test/`.

use std::path::PathBuf;

use crate::{mdbook, project, run};

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

/// Runs the browser checks on the book in `target/book/html`, which must be
/// built. Returns the summary line.
pub fn check() -> Result<String, String> {
    let chromium = chromium().ok_or(
        "Chromium not found: install Debian's `chromium` package, or set CHROMIUM to its path",
    )?;
    let root = project::root();
    let dir = root.join("tools/browser-test");
    if !dir
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        let mut npm = run::command("npm", &["ci", "--no-audit", "--no-fund"]);
        npm.current_dir(&dir);
        run::checked(&mut npm)?;
    }
    let out = root.join("target/browser-test");
    let mut node = run::command(
        "node",
        &[
            "check.mjs",
            &root.join("target/book/html").to_string_lossy(),
            &root.join("src/SUMMARY.md").to_string_lossy(),
            &out.to_string_lossy(),
        ],
    );
    node.current_dir(&dir).env("CHROMIUM", chromium);
    let output = node.output().map_err(|e| format!("cannot run node: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        let last = text.lines().last().unwrap_or("").to_owned();
        Ok(format!("{last}; screenshots in target/browser-test/"))
    } else {
        Err(format!("{text}{}", String::from_utf8_lossy(&output.stderr)))
    }
}

/// `cargo xtask browser-test`.
pub fn run_command() -> Result<(), String> {
    run::checked(&mut mdbook::command(&["build"])?)?;
    let summary = check()?;
    println!("{summary}");
    Ok(())
}
