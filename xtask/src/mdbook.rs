//! The pinned mdBook: found on PATH or in `.tools/`, installed there when
//! missing.

use std::path::PathBuf;
use std::process::Command;

use crate::{project, run};

/// The mdBook release the book is built and tested with.
pub const VERSION: &str = "0.5.4";

/// The project-local install folder; `cargo install --root` puts the
/// binary in its `bin/`.
fn tools_dir() -> PathBuf {
    project::root().join(".tools")
}

fn version_of(program: &std::path::Path) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    // "mdbook v0.5.4"
    Some(
        text.trim()
            .trim_start_matches("mdbook")
            .trim()
            .trim_start_matches('v')
            .to_owned(),
    )
}

/// The path of an mdBook of exactly the pinned version: the one on PATH if it
/// is that version, else `.tools/bin/mdbook`, which is installed with
/// `cargo install --locked` if missing. An mdBook elsewhere on the machine is
/// never replaced.
pub fn ensure() -> Result<PathBuf, String> {
    let on_path = PathBuf::from("mdbook");
    if version_of(&on_path).as_deref() == Some(VERSION) {
        return Ok(on_path);
    }
    let local = tools_dir().join("bin").join(if cfg!(windows) {
        "mdbook.exe"
    } else {
        "mdbook"
    });
    if version_of(&local).as_deref() == Some(VERSION) {
        return Ok(local);
    }
    eprintln!(
        "xtask: installing mdBook {VERSION} into {} (once; takes a few minutes)",
        project::shown(&tools_dir())
    );
    let tools = tools_dir();
    let tools = tools.to_string_lossy();
    let status = run::cargo(&[
        "install",
        "mdbook",
        "--version",
        VERSION,
        "--locked",
        "--root",
        &tools,
    ])
    .status()
    .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if !status.success() {
        return Err(format!("`cargo install mdbook --version {VERSION}` failed"));
    }
    match version_of(&local) {
        Some(v) if v == VERSION => Ok(local),
        other => Err(format!(
            "installed mdBook reports version {other:?}, not {VERSION}"
        )),
    }
}

/// `mdbook args...` with the pinned mdBook, in the repository root.
pub fn command(args: &[&str]) -> Result<Command, String> {
    let mdbook = ensure()?;
    let mut cmd = Command::new(mdbook);
    cmd.args(args).current_dir(project::root());
    Ok(cmd)
}

/// `cargo xtask serve`: build the book and serve it on localhost.
pub fn serve(extra: &[String]) -> Result<(), String> {
    let mut cmd = command(&["serve"])?;
    if !extra
        .iter()
        .any(|a| a.starts_with("-n") || a.starts_with("--hostname"))
    {
        cmd.args(["--hostname", "127.0.0.1"]);
    }
    cmd.args(extra);
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run mdbook: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("mdbook serve failed ({status})"))
    }
}
