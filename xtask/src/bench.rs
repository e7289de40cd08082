//! `cargo xtask bench [--processes P] [--runs N] [--mib M]`: Chapter 7's
//! measurement.
//!
//! Builds the reference solution's benchmark
//! (`solutions/chapter-7/benches/word_count.rs`) in release mode, runs it
//! `P` times (5 unless told), each time for `N` runs of every workload,
//! takes the median time of each workload over all the runs, and writes
//! what the book shows into `src/chapter-7/bench/`:
//!
//! - `results.md`: the medians and speed-ups as a table, with the machine
//!   (core count, CPU model), the rustc version, the date and the command;
//! - `chart.svg`: the same medians as bars, drawn with the theme's classes.
//!
//! Several processes, not only several runs in one: on a machine whose
//! cores are not equally fast (a virtual machine on a busy host), one
//! process can spend its life on the slower core.
//!
//! The benchmark prints `key<TAB>value` lines about the run and one
//! `sample<TAB>workload<TAB>nanoseconds` line per measurement.

use std::fmt::Write as _;
use std::fs;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{project, run};

const PACKAGE: &str = "chapter-7-solution";
const BENCH: &str = "word_count";
const PROCESSES: usize = 5;

pub fn run(args: &[String]) -> Result<(), String> {
    let options = bench_args(args)?;
    println!("bench: building {PACKAGE}'s `{BENCH}` benchmark in release mode");
    let exe = build()?;
    let mut stdout = String::new();
    for i in 1..=options.processes {
        let mut cmd = run::command(&exe, &[]);
        cmd.args(&options.passed);
        println!(
            "bench: run {i} of {}: {}",
            options.processes,
            run::describe(&cmd)
        );
        let output = run::checked(&mut cmd)?;
        stdout.push_str(&String::from_utf8_lossy(&output.stdout));
    }
    let report = parse(&stdout, options.processes)?;
    let machine = machine()?;
    let command = if args.is_empty() {
        "cargo xtask bench".to_owned()
    } else {
        format!("cargo xtask bench {}", args.join(" "))
    };

    let dir = project::root().join("src/chapter-7/bench");
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let table = table(&report, &machine, &command);
    let chart = chart(&report, &machine, &command);
    fs::write(dir.join("results.md"), &table).map_err(|e| e.to_string())?;
    fs::write(dir.join("chart.svg"), chart).map_err(|e| e.to_string())?;
    print!("{table}");
    println!("bench: wrote src/chapter-7/bench/results.md and chart.svg");
    Ok(())
}

struct Options {
    processes: usize,
    /// `--runs N` and `--mib M`, passed on to the benchmark.
    passed: Vec<String>,
}

fn bench_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        processes: PROCESSES,
        passed: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if !["--processes", "--runs", "--mib"].contains(&arg.as_str()) {
            return Err(format!(
                "unexpected argument `{arg}` (bench takes --processes P, --runs N, --mib M)"
            ));
        }
        let value = args.next().ok_or(format!("{arg} needs a number"))?;
        let n = value
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or(format!("{arg} needs a positive number, not `{value}`"))?;
        if arg == "--processes" {
            options.processes = n;
        } else {
            options.passed.extend([arg.clone(), value.clone()]);
        }
    }
    Ok(options)
}

/// `cargo bench --no-run` (the bench profile is the release profile), and
/// the path of the benchmark's executable.
fn build() -> Result<String, String> {
    let output = run::checked(&mut run::cargo(&[
        "bench",
        "--package",
        PACKAGE,
        "--bench",
        BENCH,
        "--no-run",
        "--message-format=json",
    ]))?;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] == "compiler-artifact"
            && msg["target"]["name"] == BENCH
            && let Some(exe) = msg["executable"].as_str()
        {
            return Ok(exe.to_owned());
        }
    }
    Err(format!(
        "cargo built no executable for the `{BENCH}` benchmark"
    ))
}

/// What one run of the benchmark measured.
struct Report {
    info: Vec<(String, String)>,
    /// Workloads in the order the benchmark ran them, with their medians
    /// in nanoseconds.
    medians: Vec<(String, f64)>,
    /// How many times each workload ran, in all.
    runs: usize,
    /// In how many processes of the benchmark.
    processes: usize,
}

impl Report {
    fn info(&self, key: &str) -> &str {
        self.info
            .iter()
            .find(|(k, _)| k == key)
            .map_or("?", |(_, v)| v.as_str())
    }
}

fn parse(stdout: &str, processes: usize) -> Result<Report, String> {
    let mut info = Vec::new();
    let mut samples: Vec<(String, Vec<u128>)> = Vec::new();
    for line in stdout.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["sample", name, nanos] => {
                let nanos: u128 = nanos
                    .parse()
                    .map_err(|_| format!("a sample that is not a number: {line}"))?;
                match samples.iter_mut().find(|(n, _)| n == name) {
                    Some((_, times)) => times.push(nanos),
                    None => samples.push((name.to_string(), vec![nanos])),
                }
            }
            [key, value] => info.push((key.to_string(), value.to_string())),
            _ => {
                return Err(format!(
                    "the benchmark printed a line I do not know: {line}"
                ));
            }
        }
    }
    if samples.is_empty() {
        return Err("the benchmark printed no samples".into());
    }
    let runs = samples.iter().map(|(_, t)| t.len()).min().unwrap_or(0);
    let medians = samples
        .into_iter()
        .map(|(name, mut times)| {
            times.sort_unstable();
            let mid = times.len() / 2;
            let median = if !times.len().is_multiple_of(2) {
                times[mid] as f64
            } else {
                (times[mid - 1] + times[mid]) as f64 / 2.0
            };
            (name, median)
        })
        .collect();
    Ok(Report {
        info,
        medians,
        runs,
        processes,
    })
}

/// The machine the numbers were measured on.
struct Machine {
    cores: usize,
    cpu: String,
    os: String,
    rustc: String,
    date: String,
}

fn machine() -> Result<Machine, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or_else(
            || "unknown CPU".to_owned(),
            |(_, name)| name.trim().to_owned(),
        );
    // The CPU flag `hypervisor` is set inside a virtual machine, whose
    // cores are shared with whatever else runs on the host.
    let virtual_machine = cpuinfo
        .lines()
        .any(|l| l.starts_with("flags") && l.split_whitespace().any(|f| f == "hypervisor"));
    let mut os = match fs::read_to_string("/proc/sys/kernel/osrelease") {
        Ok(release) => format!("Linux {}", release.trim()),
        Err(_) => std::env::consts::OS.to_owned(),
    };
    if virtual_machine {
        os.push_str(" in a virtual machine");
    }
    let rustc = run::checked(&mut run::command("rustc", &["--version"]))?;
    let rustc = String::from_utf8_lossy(&rustc.stdout).trim().to_owned();
    Ok(Machine {
        cores,
        cpu,
        os,
        rustc,
        date: today(),
    })
}

/// Today's date (UTC), as YYYY-MM-DD.
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn millis(nanos: f64) -> String {
    let ms = nanos / 1e6;
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// `1234567` -> `1,234,567`
fn grouped(number: &str) -> String {
    let digits: Vec<char> = number.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

fn table(report: &Report, machine: &Machine, command: &str) -> String {
    let baseline = report.medians[0].1;
    let mut out = String::from(
        "<!-- Written by `cargo xtask bench`; do not edit. -->\n\n\
         | workload | median time | speed-up over 1 thread |\n|---|---:|---:|\n",
    );
    for (name, median) in &report.medians {
        let _ = writeln!(
            out,
            "| {name} | {} | {:.2}× |",
            millis(*median),
            baseline / median
        );
    }
    let bytes: f64 = report.info("bytes").parse().unwrap_or(0.0);
    let _ = write!(
        out,
        "\nMeasured with `{command}` on {date}: {cores} cores ({cpu}), {os}, {rustc}. \
         Each workload ran {runs} times ({per} runs in each of {processes} processes), \
         taking turns, on a text of {mib:.0} MiB \
         ({words} words, {distinct} different ones); the table shows the median \
         of each.\n",
        date = machine.date,
        cores = machine.cores,
        cpu = machine.cpu,
        os = machine.os,
        rustc = machine.rustc,
        runs = report.runs,
        per = report.runs / report.processes.max(1),
        processes = report.processes,
        mib = bytes / (1 << 20) as f64,
        words = grouped(report.info("words")),
        distinct = grouped(report.info("distinct")),
    );
    out
}

fn chart(report: &Report, machine: &Machine, command: &str) -> String {
    let baseline = report.medians[0].1;
    let slowest = report.medians.iter().map(|(_, m)| *m).fold(0.0, f64::max);
    let (left, bar_max, row) = (150.0, 330.0, 34.0);
    let top = 40.0;
    let height = top + row * report.medians.len() as f64 + 30.0;
    let described: Vec<String> = report
        .medians
        .iter()
        .map(|(name, m)| format!("{name}: {} ({:.2} times as fast)", millis(*m), baseline / m))
        .collect();
    let mut svg = format!(
        "<svg class=\"diagram\" viewBox=\"0 0 660 {height:.0}\" width=\"660\" role=\"img\" \
         aria-labelledby=\"bench-title bench-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <title id=\"bench-title\">Median time to count the words, by workload</title>\n\
         <desc id=\"bench-desc\">Bars for the median time of each workload, shorter is \
         faster, measured on {} cores ({}): {}.</desc>\n\
         <text x=\"10\" y=\"20\">median time (shorter is faster), and speed-up over 1 thread</text>\n",
        machine.cores,
        xml(&machine.cpu),
        xml(&described.join("; "))
    );
    for (i, (name, median)) in report.medians.iter().enumerate() {
        let y = top + row * i as f64;
        let width = (median / slowest * bar_max).max(1.0);
        let class = if i == 0 { "run" } else { "run2" };
        let _ = write!(
            svg,
            "<text x=\"10\" y=\"{:.0}\">{}</text>\n\
             <rect class=\"{class}\" x=\"{left:.0}\" y=\"{y:.0}\" width=\"{width:.1}\" height=\"22\"/>\n\
             <text x=\"{:.1}\" y=\"{:.0}\">{} · {:.2}×</text>\n",
            y + 16.0,
            xml(name),
            left + width + 8.0,
            y + 16.0,
            millis(*median),
            baseline / median
        );
    }
    let axis_y = top + row * report.medians.len() as f64;
    let _ = write!(
        svg,
        "<line class=\"thin\" x1=\"{left:.0}\" y1=\"{:.0}\" x2=\"{left:.0}\" y2=\"{axis_y:.0}\"/>\n\
         <text class=\"muted\" x=\"10\" y=\"{:.0}\">{} cores, {}; {command}; {}</text>\n\
         </svg>\n",
        top - 6.0,
        axis_y + 20.0,
        machine.cores,
        xml(&machine.cpu),
        machine.date,
        command = xml(command),
    );
    svg
}

/// Text made safe to put inside an SVG element.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_median_of_each_workload_in_order() {
        let out = "threads\t2\n# a note\nsample\tb\t5\nsample\ta\t9\nsample\tb\t1\n\
                   sample\ta\t3\nsample\tb\t3\nsample\ta\t1\n";
        let report = parse(out, 1).unwrap();
        assert_eq!(report.info("threads"), "2");
        assert_eq!(
            report.medians,
            [("b".to_owned(), 3.0), ("a".to_owned(), 3.0)]
        );
        assert_eq!(report.runs, 3);
        let even = parse("sample\tx\t1\nsample\tx\t4\n", 1).unwrap();
        assert_eq!(even.medians, [("x".to_owned(), 2.5)]);
    }

    #[test]
    fn groups_digits() {
        assert_eq!(grouped("1234567"), "1,234,567");
        assert_eq!(grouped("999"), "999");
    }
}
