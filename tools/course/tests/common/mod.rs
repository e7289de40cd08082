//! A temporary copy of the course for the companion to work on: the book's
//! pages, the chapters a test needs, test-support, and a workspace
//! manifest with just those members. Each test has a copy of its own, with
//! its own `target/`, so tests never see each other's files or builds.

#![allow(dead_code)]

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// The course repository this crate is part of.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository")
}

pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    /// A fresh copy named `name` with the exercises of `chapters`.
    pub fn new(name: &str, chapters: &[u32]) -> Workspace {
        let repo = repo();
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("course-{name}"));
        if root.exists() {
            fs::remove_dir_all(&root).expect("remove the old copy");
        }
        fs::create_dir_all(&root).unwrap();
        for file in ["book.toml", "rust-toolchain.toml", "Cargo.lock"] {
            fs::copy(repo.join(file), root.join(file)).unwrap();
        }
        copy_tree(&repo.join("src"), &root.join("src"), &|p| {
            p.extension().is_some_and(|e| e == "md")
        });
        copy_tree(
            &repo.join("tools/test-support"),
            &root.join("tools/test-support"),
            &|_| true,
        );
        for n in chapters {
            copy_tree(
                &repo.join(format!("exercises/chapter-{n}")),
                &root.join(format!("exercises/chapter-{n}")),
                &|_| true,
            );
            let tasks = repo.join(format!("compile-fail/chapter-{n}/tasks"));
            if tasks.is_dir() {
                copy_tree(
                    &tasks,
                    &root.join(format!("compile-fail/chapter-{n}/tasks")),
                    &|_| true,
                );
            }
        }
        // The workspace's own manifest (profile, shared dependencies), with
        // only the members copied here.
        let manifest = fs::read_to_string(repo.join("Cargo.toml")).unwrap();
        let start = manifest.find("members = [").expect("a members list");
        let end = start + manifest[start..].find(']').unwrap() + 1;
        let manifest = format!(
            "{}members = [\"exercises/*\", \"tools/test-support\"]{}",
            &manifest[..start],
            &manifest[end..]
        );
        fs::write(root.join("Cargo.toml"), manifest).unwrap();
        Workspace { root }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).unwrap()
    }

    /// Writes as editors that save atomically do: a new file renamed into
    /// place, so that no build ever reads half a file.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        let temp = path.with_extension("rs.tmp");
        fs::write(&temp, text).unwrap();
        fs::rename(&temp, &path).unwrap();
    }

    /// Puts the reference solution of `chapter-N/src/NAME.rs` in place.
    pub fn solve(&self, chapter: u32, name: &str) {
        let solution =
            fs::read_to_string(repo().join(format!("solutions/chapter-{chapter}/src/{name}.rs")))
                .unwrap();
        self.write(
            &format!("exercises/chapter-{chapter}/src/{name}.rs"),
            &solution,
        );
    }

    /// `course ARGS` in this copy, as a learner would run it (no terminal,
    /// no colours, no published book).
    pub fn course(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_course"));
        cmd.current_dir(&self.root)
            .args(args)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .env_remove("RUST_BACKTRACE")
            .env("COURSE_BOOK_URL", "")
            .env("NO_COLOR", "1");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.course(args)
            .stdin(Stdio::null())
            .output()
            .expect("the course binary runs")
    }

    /// Starts `course ARGS` with its standard input and output piped.
    pub fn spawn(&self, args: &[&str], env: &[(&str, &str)]) -> Session {
        let mut cmd = self.course(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the course binary starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Session {
            stdin: child.stdin.take(),
            child,
            lines,
            seen: Vec::new(),
        }
    }
}

/// A running companion: its output, line by line, as it comes.
pub struct Session {
    pub child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<(Instant, String)>,
    /// Every line so far, with the time it came.
    pub seen: Vec<(Instant, String)>,
}

impl Session {
    /// Waits for a line containing `text`, read after the lines seen so far;
    /// returns when it came. Panics with the output after `limit`.
    pub fn wait_for(&mut self, text: &str, limit: Duration) -> Instant {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((at, line)) => {
                    let found = line.contains(text);
                    self.seen.push((at, line));
                    if found {
                        return at;
                    }
                }
                Err(_) => panic!(
                    "no line with {text:?} within {limit:?}; the output:\n{}",
                    self.output()
                ),
            }
        }
    }

    /// The lines that come within `quiet` (none expected, say).
    pub fn lines_within(&mut self, quiet: Duration) -> Vec<String> {
        let deadline = Instant::now() + quiet;
        let mut out = Vec::new();
        while let Ok((at, line)) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            out.push(line.clone());
            self.seen.push((at, line));
        }
        out
    }

    pub fn output(&self) -> String {
        self.seen
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn send(&mut self, keys: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Closes standard input (end of input: the companion quits) and waits.
    pub fn finish(mut self, limit: Duration) -> (std::process::ExitStatus, String) {
        drop(self.stdin.take());
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok((at, line)) = self.lines.recv_timeout(Duration::from_secs(1)) {
                    self.seen.push((at, line));
                }
                return (status, self.output());
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "the companion did not quit within {limit:?}; the output:\n{}",
                    self.output()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let dest = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&path, &dest, keep);
        } else if keep(&path) {
            fs::create_dir_all(to).unwrap();
            fs::copy(&path, &dest).unwrap();
        }
    }
}
