//! `cargo xtask stress [--runs N] [--chapter N]`: flake detection. Runs every
//! chapter's solution tests (every test binary of `chapter-N-solution`) N times (default
//! 200) in three conditions: on all cores; pinned to one core
//! (`taskset -c 0`); and with every core but one kept busy by spinning
//! threads. Any failing run is reported with its condition and iteration,
//! and its output is kept in `target/stress/`.

use std::fs;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::{project, run};

/// One condition the tests run under.
#[derive(Clone, Copy)]
enum Condition {
    AllCores,
    OneCore,
    Loaded,
}

impl Condition {
    fn name(self) -> &'static str {
        match self {
            Condition::AllCores => "all cores",
            Condition::OneCore => "pinned to core 0",
            Condition::Loaded => "other cores busy",
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let (runs, chapter) = parse(args)?;
    let chapters = project::selected(chapter)?;
    let taskset = Command::new("taskset").arg("--version").output().is_ok();
    let out_dir = project::root().join("target/stress");
    fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;

    let mut total_failures = 0;
    let start = Instant::now();
    for n in chapters {
        let package = format!("chapter-{n}-solution");
        let binaries = run::test_binaries(&package)?;
        if binaries.is_empty() {
            return Err(format!("{package} has no test targets"));
        }
        let dir = project::root().join(format!("solutions/chapter-{n}"));
        for condition in [Condition::AllCores, Condition::OneCore, Condition::Loaded] {
            if matches!(condition, Condition::OneCore) && !taskset {
                println!(
                    "SKIP  chapter {n}, {}: `taskset` not found",
                    condition.name()
                );
                continue;
            }
            let hogs = Hogs::start(matches!(condition, Condition::Loaded));
            let began = Instant::now();
            let mut failures = Vec::new();
            for i in 1..=runs {
                // One run: every test binary of the chapter, one after another.
                // The compile-fail tasks are left out: they only ask rustc,
                // which answers the same every time.
                let mut failed = None;
                for exe in binaries.values() {
                    let mut cmd = match condition {
                        Condition::OneCore => {
                            let mut c = Command::new("taskset");
                            c.arg("-c").arg("0").arg(exe);
                            c
                        }
                        _ => Command::new(exe),
                    };
                    cmd.args(["-q", "--skip", "compile_fail_tasks"])
                        .current_dir(&dir)
                        .env("CARGO_MANIFEST_DIR", &dir)
                        .env("RUST_BACKTRACE", "0");
                    let timed = run::with_limit(&mut cmd, Duration::from_secs(120))?;
                    if !timed.output.status.success() || timed.timed_out {
                        failed = Some(timed);
                        break;
                    }
                }
                if let Some(timed) = failed {
                    let log = out_dir.join(format!(
                        "chapter-{n}-{}-run-{i}.log",
                        condition.name().replace(' ', "-")
                    ));
                    let text = format!(
                        "{}{}",
                        String::from_utf8_lossy(&timed.output.stdout),
                        String::from_utf8_lossy(&timed.output.stderr)
                    );
                    fs::write(&log, &text).map_err(|e| e.to_string())?;
                    failures.push(format!("run {i}: see {}", project::shown(&log)));
                }
            }
            drop(hogs);
            let verdict = if failures.is_empty() { "PASS" } else { "FAIL" };
            println!(
                "{verdict}  chapter {n}, {:<18} {runs} runs, {} failed ({:.1}s)",
                condition.name(),
                failures.len(),
                began.elapsed().as_secs_f64()
            );
            for f in &failures {
                println!("      {f}");
            }
            total_failures += failures.len();
        }
    }
    println!(
        "stress: {total_failures} failed runs ({:.0}s)",
        start.elapsed().as_secs_f64()
    );
    if total_failures == 0 {
        Ok(())
    } else {
        Err(format!("{total_failures} runs failed"))
    }
}

fn parse(args: &[String]) -> Result<(usize, Option<u32>), String> {
    let mut runs = 200;
    let mut chapter = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| -> Result<String, String> {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--runs" => {
                runs = value("--runs")?
                    .parse()
                    .map_err(|_| "--runs needs a number")?
            }
            "--chapter" => {
                chapter = Some(
                    value("--chapter")?
                        .parse()
                        .map_err(|_| "--chapter needs a number")?,
                )
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok((runs, chapter))
}

/// Threads that keep every core but one busy until dropped.
struct Hogs {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Hogs {
    fn start(active: bool) -> Hogs {
        let stop = Arc::new(AtomicBool::new(false));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let count = if active {
            cores.saturating_sub(1).max(1)
        } else {
            0
        };
        let threads = (0..count)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        x = std::hint::black_box(
                            x.wrapping_mul(6364136223846793005).wrapping_add(1),
                        );
                    }
                })
            })
            .collect();
        Hogs { stop, threads }
    }
}

impl Drop for Hogs {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
