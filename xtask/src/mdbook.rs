//! The pinned book tools, mdBook and the mdbook-quiz preprocessor: found on
//! PATH or in `.tools/`, installed there when missing.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::{exercises_zip, project, run};

/// The mdBook release the book is built and tested with.
pub const VERSION: &str = "0.5.4";

/// The mdbook-quiz release (its quiz format and its mdBook 0.5 support).
pub const QUIZ_VERSION: &str = "0.5.0";

/// The cargo-mutants release `cargo xtask mutants` uses.
pub const MUTANTS_VERSION: &str = "27.1.0";

/// The project-local install folder; `cargo install --root` puts the
/// binaries in its `bin/`.
fn tools_dir() -> PathBuf {
    project::root().join(".tools")
}

fn bin_dir() -> PathBuf {
    tools_dir().join("bin")
}

/// The version a tool prints with `--version` ("mdbook v0.5.4",
/// "mdbook-quiz 0.5.0"); a cargo subcommand such as `cargo-mutants` wants
/// its subcommand name first.
fn version_of(program: &std::path::Path) -> Option<String> {
    let mut cmd = Command::new(program);
    let name = program.file_name()?.to_string_lossy().into_owned();
    if let Some(sub) = name.strip_prefix("cargo-") {
        cmd.arg(sub.trim_end_matches(".exe"));
    }
    let output = cmd.arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.split_whitespace().last()?;
    Some(last.trim_start_matches('v').to_owned())
}

/// The path of `name` at exactly `version`: the one on PATH if it is that
/// version, else `.tools/bin/name`, installed with `cargo install --locked`
/// if missing. A copy elsewhere on the machine is never replaced.
pub fn ensure_tool(name: &str, version: &str) -> Result<PathBuf, String> {
    let on_path = PathBuf::from(name);
    if version_of(&on_path).as_deref() == Some(version) {
        return Ok(on_path);
    }
    let exe = if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_owned()
    };
    let local = bin_dir().join(exe);
    if version_of(&local).as_deref() == Some(version) {
        return Ok(local);
    }
    eprintln!(
        "xtask: installing {name} {version} into {} (once; takes a few minutes)",
        project::shown(&tools_dir())
    );
    let tools = tools_dir();
    let tools = tools.to_string_lossy();
    let status = run::cargo(&[
        "install",
        name,
        "--version",
        version,
        "--locked",
        "--root",
        &tools,
    ])
    // One build folder for all the tools, so the dependencies they share are
    // compiled once, and a reinstall is quick.
    .env("CARGO_TARGET_DIR", tools_dir().join("build"))
    .status()
    .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if !status.success() {
        return Err(format!("`cargo install {name} --version {version}` failed"));
    }
    match version_of(&local) {
        Some(v) if v == version => Ok(local),
        other => Err(format!(
            "installed {name} reports version {other:?}, not {version}"
        )),
    }
}

/// The pinned mdBook, with the pinned mdbook-quiz beside it.
pub fn ensure() -> Result<PathBuf, String> {
    let mdbook = ensure_tool("mdbook", VERSION)?;
    ensure_tool("mdbook-quiz", QUIZ_VERSION)?;
    Ok(mdbook)
}

/// `mdbook args...` with the pinned mdBook, in the repository root.
pub fn command(args: &[&str]) -> Result<Command, String> {
    let mdbook = ensure()?;
    let mut cmd = Command::new(mdbook);
    // So that mdBook finds the quiz preprocessor where xtask installed it.
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin_dir()];
    dirs.extend(std::env::split_paths(&path));
    let path = std::env::join_paths(dirs).map_err(|e| e.to_string())?;
    cmd.args(args)
        .current_dir(project::root())
        .env("PATH", path);
    Ok(cmd)
}

/// `cargo xtask serve`: build the book and serve it on localhost. mdBook
/// rebuilds the book on every change and empties the HTML folder; each
/// time, `exercises.zip` is packed into it again.
pub fn serve(extra: &[String]) -> Result<(), String> {
    let mut cmd = command(&["serve"])?;
    if !extra
        .iter()
        .any(|a| a.starts_with("-n") || a.starts_with("--hostname"))
    {
        cmd.args(["--hostname", "127.0.0.1"]);
    }
    cmd.args(extra);
    let mut child = cmd.spawn().map_err(|e| format!("cannot run mdbook: {e}"))?;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        match exercises_zip::repack_if_stale() {
            Some(Ok(summary)) => eprintln!("xtask: packed exercises.zip ({summary})"),
            // Perhaps mid-rebuild: the next look tries again.
            Some(Err(e)) => eprintln!("xtask: cannot pack exercises.zip yet: {e}"),
            None => {}
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    if status.success() {
        Ok(())
    } else {
        Err(format!("mdbook serve failed ({status})"))
    }
}

/// `cargo xtask build-book`: the HTML book in `target/book/html`, with
/// `exercises.zip`; what the publishing workflow uploads.
pub fn build() -> Result<(), String> {
    run::checked(&mut command(&["build"])?)?;
    exercises_zip::pack()?;
    println!(
        "the book is in {}",
        project::shown(&project::root().join("target/book/html"))
    );
    Ok(())
}
