//! Running other programs.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

use crate::project;

/// `program args...`, run in the repository root.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(project::root());
    cmd
}

/// `cargo args...`, with the cargo that runs xtask.
pub fn cargo(args: &[&str]) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    command(&cargo, args)
}

/// Runs the command and returns its output, or an error with the output if
/// it failed.
pub fn checked(cmd: &mut Command) -> Result<Output, String> {
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", describe(cmd)))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "`{}` failed ({}):\n{}{}",
            describe(cmd),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The outcome of a command run with a time limit.
pub struct Timed {
    pub output: Output,
    pub elapsed: Duration,
    pub timed_out: bool,
}

/// Runs the command, killing it if it takes longer than `limit`.
pub fn with_limit(cmd: &mut Command, limit: Duration) -> Result<Timed, String> {
    let start = std::time::Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", describe(cmd)))?;
    // Read the pipes on other threads, so a chatty child cannot block on a
    // full pipe while we wait for it.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || read_all(&mut out));
    let err_reader = std::thread::spawn(move || read_all(&mut err));
    let status = match child.wait_timeout(limit).map_err(|e| e.to_string())? {
        Some(status) => Some(status),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    };
    let elapsed = start.elapsed();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let timed_out = status.is_none();
    let status = match status {
        Some(status) => status,
        None => child.wait().map_err(|e| e.to_string())?,
    };
    Ok(Timed {
        output: Output {
            status,
            stdout,
            stderr,
        },
        elapsed,
        timed_out,
    })
}

fn read_all(reader: &mut impl std::io::Read) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = reader.read_to_end(&mut buf);
    buf
}

/// The command line, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    let args: Vec<String> = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // A long list of files (rustfmt's) would bury the reason below it.
    const SHOWN: usize = 12;
    words.extend(args.iter().take(SHOWN).cloned());
    if args.len() > SHOWN {
        words.push(format!("... ({} more)", args.len() - SHOWN));
    }
    let line = words.join(" ");
    match cmd.get_current_dir() {
        Some(dir) if dir != project::root() => format!("{line} (in {})", project::shown(dir)),
        _ => line,
    }
}

/// The executables of a package's test targets, built by `cargo test
/// --no-run`, by target name.
pub fn test_binaries(
    package: &str,
) -> Result<std::collections::BTreeMap<String, std::path::PathBuf>, String> {
    let output = checked(&mut cargo(&[
        "test",
        "--package",
        package,
        "--no-run",
        "--message-format=json",
    ]))?;
    let mut found = std::collections::BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" || msg["profile"]["test"] != true {
            continue;
        }
        if let (Some(name), Some(exe)) =
            (msg["target"]["name"].as_str(), msg["executable"].as_str())
        {
            found.insert(name.to_owned(), Path::new(exe).to_path_buf());
        }
    }
    Ok(found)
}
