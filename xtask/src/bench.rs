//! `cargo xtask bench [--processes P] [--runs N] [--mib M]`: Chapter 7's
//! measurement.
//!
//! Builds the reference solution's benchmark
//! (`solutions/chapter-7/benches/word_count.rs`) in release mode, runs it
//! `P` times (5 unless told), each time for `N` turns of every workload,
//! and writes what the book shows into `src/chapter-7/bench/`:
//!
//! - `results.md`: a table with one row per kind of work, the word count
//!   and the machine's own ceiling (loops bound by arithmetic or by memory,
//!   `benches/ceiling.rs`), each on 1 thread and on N: the median times,
//!   the speed-up (the median of the turns' speed-ups) and how much it
//!   varied (the middle half of the turns); then the machine (logical CPUs,
//!   the cores Linux reports, the CPU model), how busy other programs kept
//!   it, the rustc version, the date and the command;
//! - `chart.svg`: the speed-ups as bars, drawn with the theme's classes.
//!
//! A row's speed-up is measured in pairs: its 1-thread and its N-thread
//! workload run one right after the other in every turn, and the speed-up
//! of the turn is the ratio of the two. A slow spell of a shared machine
//! then slows both halves of a pair alike, and the median of the pairs
//! keeps the turns where it did not.
//!
//! Several processes, not only several turns in one: on a machine whose
//! cores are not equally fast (a virtual machine on a busy host), one
//! process can spend its life on the slower core.
//!
//! The benchmark prints `key<TAB>value` lines about the run, one
//! `sample<TAB>row<TAB>threads<TAB>nanoseconds` line per measurement, and
//! `serial<TAB>nanoseconds` for the part of the N-thread word count that
//! runs on one thread (the split and the merge).

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
    let mut outputs = Vec::new();
    let mut load = Some(Load::default());
    for i in 1..=options.processes {
        let mut cmd = run::command(&exe, &[]);
        cmd.args(&options.passed);
        println!(
            "bench: run {i} of {}: {}",
            options.processes,
            run::describe(&cmd)
        );
        let before = CpuTimes::now();
        let output = run::checked(&mut cmd)?;
        load = match (load, before, CpuTimes::now()) {
            (Some(load), Some(before), Some(after)) => Some(load.add(&before, &after)),
            _ => None,
        };
        outputs.push(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let report = parse(&outputs)?;
    let machine = machine(load)?;
    let command = if args.is_empty() {
        "cargo xtask bench".to_owned()
    } else {
        format!("cargo xtask bench {}", args.join(" "))
    };

    let dir = project::root().join("src/chapter-7/bench");
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let table = table(&report, &machine, &command);
    let chart = chart(&report, &machine);
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

/// One row of the table: the same work on 1 thread and on N.
#[derive(Debug, PartialEq)]
struct Row {
    name: String,
    /// Every time on 1 thread, and on N, in nanoseconds.
    one: Vec<f64>,
    many: Vec<f64>,
    /// The speed-up of every turn: its time on 1 thread over its time on N.
    ratios: Vec<f64>,
}

impl Row {
    fn speed_up(&self) -> f64 {
        quantile(&self.ratios, 0.5)
    }
}

/// What all the processes of the benchmark measured.
struct Report {
    /// The `key<TAB>value` lines of the first process.
    info: Vec<(String, String)>,
    /// The rows, in the order the benchmark ran them.
    rows: Vec<Row>,
    /// The split and merge of the N-thread word count, in nanoseconds.
    serial: Vec<f64>,
    /// N.
    threads: usize,
    /// How many turns each process ran, and how many processes.
    turns: usize,
    processes: usize,
}

impl Report {
    fn info(&self, key: &str) -> &str {
        self.info
            .iter()
            .find(|(k, _)| k == key)
            .map_or("?", |(_, v)| v.as_str())
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.info(key).parse().ok()
    }
}

/// Reads the output of every process, and pairs each 1-thread sample of a
/// row with the N-thread sample of the same turn in the same process.
fn parse(outputs: &[String]) -> Result<Report, String> {
    let mut info = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut serial = Vec::new();
    let mut threads = 0;
    let mut turns = usize::MAX;
    for (process, stdout) in outputs.iter().enumerate() {
        // (row, threads) -> the samples of this process, in order.
        let mut samples: Vec<(String, usize, Vec<f64>)> = Vec::new();
        for line in stdout.lines().filter(|l| !l.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            let number = |field: &str| -> Result<f64, String> {
                field
                    .parse::<u128>()
                    .map(|n| n as f64)
                    .map_err(|_| format!("a number that is not one: {line}"))
            };
            match fields.as_slice() {
                ["sample", row, n, nanos] => {
                    let n: usize = n
                        .parse()
                        .map_err(|_| format!("a thread count that is not one: {line}"))?;
                    let nanos = number(nanos)?;
                    match samples.iter_mut().find(|(r, t, _)| r == row && *t == n) {
                        Some((_, _, times)) => times.push(nanos),
                        None => samples.push((row.to_string(), n, vec![nanos])),
                    }
                }
                ["serial", nanos] => serial.push(number(nanos)?),
                [key, value] if process == 0 => info.push((key.to_string(), value.to_string())),
                [_, _] => {}
                _ => {
                    return Err(format!(
                        "the benchmark printed a line I do not know: {line}"
                    ));
                }
            }
        }
        for (name, n, times) in &samples {
            if *n == 1 {
                continue;
            }
            if threads == 0 {
                threads = *n;
            } else if threads != *n {
                return Err(format!("`{name}` ran on {n} threads, not {threads}"));
            }
            let one = samples
                .iter()
                .find(|(r, t, _)| r == name && *t == 1)
                .map(|(_, _, times)| times)
                .ok_or(format!("`{name}` has no samples on 1 thread"))?;
            let pairs = one.len().min(times.len());
            turns = turns.min(pairs);
            let row = match rows.iter_mut().find(|r| &r.name == name) {
                Some(row) => row,
                None => {
                    rows.push(Row {
                        name: name.clone(),
                        one: Vec::new(),
                        many: Vec::new(),
                        ratios: Vec::new(),
                    });
                    rows.last_mut().expect("just pushed")
                }
            };
            row.one.extend(&one[..pairs]);
            row.many.extend(&times[..pairs]);
            row.ratios
                .extend(one[..pairs].iter().zip(&times[..pairs]).map(|(a, b)| a / b));
        }
    }
    if rows.is_empty() || turns == 0 {
        return Err("the benchmark printed no samples on 1 and on N threads".into());
    }
    Ok(Report {
        info,
        rows,
        serial,
        threads,
        turns,
        processes: outputs.len(),
    })
}

/// The `q` quantile of `values` (0.5 is the median), interpolated between
/// the two nearest values.
fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
}

/// CPU time on the whole machine and in the benchmark's processes, from
/// Linux's `/proc/stat` and `/proc/self/stat`, in clock ticks.
struct CpuTimes {
    /// Busy time of all CPUs (user, nice, system, irq, softirq).
    busy: u64,
    /// Time the hypervisor ran something else on our virtual CPUs (steal).
    steal: u64,
    /// All time of all CPUs, idle included.
    total: u64,
    /// CPU time of this process's children that have ended (the benchmark).
    children: u64,
}

impl CpuTimes {
    fn now() -> Option<CpuTimes> {
        let stat = fs::read_to_string("/proc/stat").ok()?;
        let cpu: Vec<u64> = stat
            .lines()
            .next()?
            .strip_prefix("cpu ")?
            .split_whitespace()
            .map(|f| f.parse().ok())
            .collect::<Option<_>>()?;
        // user nice system idle iowait irq softirq steal (guest time is
        // already counted in user and nice).
        let [user, nice, system, idle, iowait, irq, softirq, steal, ..] = cpu[..] else {
            return None;
        };
        let own = fs::read_to_string("/proc/self/stat").ok()?;
        // The fields after the command name, which is in parentheses: the
        // children's user and system time are fields 16 and 17 of the line.
        let fields: Vec<&str> = own.rsplit_once(')')?.1.split_whitespace().collect();
        let children =
            fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
        Some(CpuTimes {
            busy: user + nice + system + irq + softirq,
            steal,
            total: user + nice + system + idle + iowait + irq + softirq + steal,
            children,
        })
    }
}

/// How busy the machine was with other work while the benchmark ran.
#[derive(Default)]
struct Load {
    /// Ticks of CPU time that other programs used, stolen ticks, and all
    /// ticks, summed over the processes of the benchmark.
    others: u64,
    steal: u64,
    total: u64,
    /// Other programs' share of the CPUs during each process.
    per_process: Vec<f64>,
}

impl Load {
    fn add(mut self, before: &CpuTimes, after: &CpuTimes) -> Load {
        let ours = after.children.saturating_sub(before.children);
        let others = after.busy.saturating_sub(before.busy).saturating_sub(ours);
        let total = after.total.saturating_sub(before.total).max(1);
        self.others += others;
        self.steal += after.steal.saturating_sub(before.steal);
        self.total += total;
        self.per_process.push(others as f64 / total as f64);
        self
    }
}

/// The machine the numbers were measured on.
struct Machine {
    /// What `available_parallelism` returns.
    logical: usize,
    /// Cores and CPUs as Linux reports them, if it does.
    topology: Option<(usize, usize)>,
    cpu: String,
    os: String,
    rustc: String,
    date: String,
    load: Option<Load>,
}

impl Machine {
    /// "Intel(R) Xeon(R) Processor, 2 logical CPUs (2 cores, 1 thread each,
    /// as Linux reports them)"
    fn described(&self) -> String {
        let mut text = format!(
            "{}, {} logical CPU{}",
            self.cpu,
            self.logical,
            plural(self.logical)
        );
        if let Some((cores, cpus)) = self.topology {
            let per_core = if cpus.is_multiple_of(cores) {
                format!("{} thread{} each", cpus / cores, plural(cpus / cores))
            } else {
                format!("{cpus} CPUs")
            };
            let _ = write!(
                text,
                " ({cores} core{}, {per_core}, as Linux reports them)",
                plural(cores)
            );
        }
        text
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn machine(load: Option<Load>) -> Result<Machine, String> {
    let logical = std::thread::available_parallelism().map_or(1, |n| n.get());
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
        logical,
        topology: topology(),
        cpu,
        os,
        rustc,
        date: today(),
        load,
    })
}

/// How many cores and how many CPUs (hardware threads) Linux reports as
/// online: a core is a distinct (package, core id) pair in
/// `/sys/devices/system/cpu/cpuN/topology`.
fn topology() -> Option<(usize, usize)> {
    let mut cores = std::collections::BTreeSet::new();
    let mut cpus = 0;
    for entry in fs::read_dir("/sys/devices/system/cpu").ok()?.flatten() {
        let name = entry.file_name().into_string().ok()?;
        let Some(number) = name.strip_prefix("cpu") else {
            continue;
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let read = |file: &str| {
            fs::read_to_string(entry.path().join("topology").join(file))
                .ok()
                .map(|s| s.trim().to_owned())
        };
        // An offline CPU has no topology.
        let (Some(package), Some(core)) = (read("physical_package_id"), read("core_id")) else {
            continue;
        };
        cores.insert((package, core));
        cpus += 1;
    }
    (cpus > 0).then_some((cores.len(), cpus))
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
    } else if ms >= 1.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

fn percent(fraction: f64) -> String {
    format!("{:.0}%", fraction * 100.0)
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
    let n = report.threads;
    let mut out = format!(
        "<!-- Written by `cargo xtask bench`; do not edit. -->\n\n\
         | workload | 1 thread | {n} threads | speed-up | middle half of the turns |\n\
         |---|---:|---:|---:|---:|\n"
    );
    for row in &report.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.2}× | {:.2}–{:.2}× |",
            row.name,
            millis(quantile(&row.one, 0.5)),
            millis(quantile(&row.many, 0.5)),
            row.speed_up(),
            quantile(&row.ratios, 0.25),
            quantile(&row.ratios, 0.75),
        );
    }
    let _ = write!(
        out,
        "\nMeasured with `{command}` on {date}: {machine}; {os}; {rustc}. \
         Each workload ran {runs} times ({turns} turns in each of {processes} processes), \
         taking turns with the others. The times are medians. The speed-up is the median \
         of the turns' speed-ups (a row's time on 1 thread over its time on {n}, measured \
         one right after the other); the last column is the range of the middle half of \
         them.\n",
        date = machine.date,
        machine = machine.described(),
        os = machine.os,
        rustc = machine.rustc,
        runs = report.rows[0].ratios.len(),
        turns = report.turns,
        processes = report.processes,
    );
    let mib = |bytes: f64| {
        format!(
            "{} MiB",
            grouped(&format!("{:.0}", bytes / (1 << 20) as f64))
        )
    };
    let rate = |bytes: f64, nanos: f64| {
        let gb_per_s = bytes / nanos;
        if gb_per_s >= 1.0 {
            format!("{gb_per_s:.1} GB/s")
        } else {
            format!("{:.0} MB/s", gb_per_s * 1000.0)
        }
    };
    let text = report.number("bytes").unwrap_or(0.0);
    let _ = write!(
        out,
        "\nThe word count reads a text of {} ({words} words, {distinct} different ones), \
         at {} on 1 thread.",
        mib(text),
        rate(text, quantile(&report.rows[0].one, 0.5)),
        words = grouped(report.info("words")),
        distinct = grouped(report.info("distinct")),
    );
    if let Some(row) = report.rows.first()
        && !report.serial.is_empty()
    {
        // Amdahl's law with the serial part measured: the sequential count's
        // time shared perfectly among N threads, plus the split and merge.
        let (one, serial) = (quantile(&row.one, 0.5), quantile(&report.serial, 0.5));
        let _ = write!(
            out,
            " On {n} threads, its split and merge, which run on one thread, took {} \
             of its {}: even with the counting shared perfectly, they would allow at most \
             {:.2}×.",
            millis(serial),
            millis(quantile(&row.many, 0.5)),
            one / (one / n as f64 + serial),
        );
    }
    if let Some(bytes) = report.number("stream_bytes")
        && let Some(memory) = report.rows.iter().find(|r| r.name.contains("memory"))
    {
        let _ = write!(out, " The memory loop reads {}", mib(bytes));
        if let Some(cache) = report.number("cache") {
            let _ = write!(
                out,
                ", {:.0} times the largest cache Linux reports ({})",
                bytes / cache,
                mib(cache)
            );
        }
        let _ = write!(
            out,
            ": {} on 1 thread, {} on {n}.",
            rate(bytes, quantile(&memory.one, 0.5)),
            rate(bytes, quantile(&memory.many, 0.5)),
        );
    }
    out.push('\n');
    if let Some(load) = &machine.load {
        let _ = writeln!(
            out,
            "\nWhile it ran, other programs kept the CPUs {} busy (from {} to {} during \
             each process), and the hypervisor ran something else on them {} of the time \
             (steal).",
            percent(load.others as f64 / load.total.max(1) as f64),
            percent(
                load.per_process
                    .iter()
                    .copied()
                    .fold(f64::INFINITY, f64::min)
            ),
            percent(load.per_process.iter().copied().fold(0.0, f64::max)),
            percent(load.steal as f64 / load.total.max(1) as f64),
        );
    }
    out
}

/// The speed-ups as bars, on a scale from 0 to N, N marked. Laid out to be
/// read on a phone: at 390 px, a figure in the book is 270 px wide, so 300
/// units of width keep the 13 px text above 11 px.
fn chart(report: &Report, machine: &Machine) -> String {
    let n = report.threads as f64;
    let (left, scale_width, row_height, top) = (10.0, 200.0, 48.0, 52.0);
    let x = |speed_up: f64| left + speed_up.clamp(0.0, n) / n * scale_width;
    let rows = report.rows.len() as f64;
    let bottom = top + row_height * rows;
    let height = bottom + 44.0;
    let described: Vec<String> = report
        .rows
        .iter()
        .map(|row| format!("{}: {:.2} times as fast", row.name, row.speed_up()))
        .collect();
    let mut svg = format!(
        "<svg class=\"diagram\" viewBox=\"0 0 300 {height:.0}\" width=\"360\" role=\"img\" \
         aria-labelledby=\"bench-title bench-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <title id=\"bench-title\">Speed-up on {threads} threads: the word count beside the \
         machine's ceiling</title>\n\
         <desc id=\"bench-desc\">One bar per row of the table, the median speed-up on \
         {threads} threads over 1, on a scale from 0 to {threads}; a thin line under each \
         bar spans the middle half of the turns. Measured on {machine}: {rows}.</desc>\n\
         <text x=\"{left:.0}\" y=\"18\">speed-up on {threads} threads over 1</text>\n\
         <text x=\"{left:.0}\" y=\"36\">dashed line: {threads}×, the best possible</text>\n",
        threads = report.threads,
        machine = xml(&machine.described()),
        rows = xml(&described.join("; ")),
    );
    for (i, row) in report.rows.iter().enumerate() {
        let y = top + row_height * i as f64;
        let speed_up = row.speed_up();
        let end = x(speed_up);
        let class = if row.name.starts_with("ceiling") {
            "run2"
        } else {
            "run"
        };
        let (q1, q3) = (
            x(quantile(&row.ratios, 0.25)),
            x(quantile(&row.ratios, 0.75)),
        );
        let _ = write!(
            svg,
            "<text x=\"{left:.0}\" y=\"{:.0}\">{}</text>\n\
             <rect class=\"{class}\" x=\"{left:.0}\" y=\"{:.0}\" width=\"{:.1}\" height=\"16\"/>\n\
             <text x=\"{:.1}\" y=\"{:.0}\">{speed_up:.2}×</text>\n\
             <line class=\"thin\" x1=\"{q1:.1}\" y1=\"{:.0}\" x2=\"{q3:.1}\" y2=\"{:.0}\"/>\n\
             <line class=\"dash\" x1=\"{ideal:.0}\" y1=\"{:.0}\" x2=\"{ideal:.0}\" y2=\"{:.0}\"/>\n\
             <line class=\"thin\" x1=\"{left:.0}\" y1=\"{:.0}\" x2=\"{left:.0}\" y2=\"{:.0}\"/>\n",
            y + 13.0,
            xml(&row.name),
            y + 19.0,
            (end - left).max(1.0),
            x(n).max(end) + 6.0,
            y + 32.0,
            y + 39.0,
            y + 39.0,
            // The 2× line and the axis run beside the bar only, never
            // through the row's label above it.
            y + 17.0,
            y + row_height - 2.0,
            y + 17.0,
            y + row_height - 2.0,
            ideal = x(n),
        );
    }
    let _ = write!(
        svg,
        "<text class=\"muted\" x=\"{left:.0}\" y=\"{:.0}\">{}</text>\n\
         <text class=\"muted\" x=\"{left:.0}\" y=\"{:.0}\">{} logical CPU{}, {}</text>\n\
         </svg>\n",
        bottom + 18.0,
        xml(&shortened(&machine.cpu, 36)),
        bottom + 36.0,
        machine.logical,
        plural(machine.logical),
        machine.date,
    );
    svg
}

/// `text`, cut to at most `max` characters with an ellipsis.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
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
    fn pairs_the_turns_of_each_process() {
        let first = "threads\t2\n# a note\nsample\ta\t1\t10\nsample\ta\t2\t5\nserial\t7\n\
                     sample\tb\t1\t9\nsample\tb\t2\t9\nsample\ta\t1\t12\nsample\ta\t2\t4\n\
                     sample\tb\t1\t8\nsample\tb\t2\t2\n";
        let second = "threads\t2\nsample\ta\t2\t10\nsample\ta\t1\t10\nsample\tb\t1\t3\n\
                      sample\tb\t2\t1\n";
        let report = parse(&[first.to_owned(), second.to_owned()]).unwrap();
        assert_eq!(report.info("threads"), "2");
        assert_eq!(report.threads, 2);
        assert_eq!((report.turns, report.processes), (1, 2));
        assert_eq!(report.serial, [7.0]);
        let names: Vec<&str> = report.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(report.rows[0].ratios, [2.0, 3.0, 1.0]);
        assert_eq!(report.rows[1].ratios, [1.0, 4.0, 3.0]);
        assert_eq!(report.rows[1].speed_up(), 3.0);
    }

    #[test]
    fn a_row_without_its_one_thread_half_is_an_error() {
        assert!(parse(&["sample\ta\t2\t5\n".to_owned()]).is_err());
        assert!(parse(&["sample\ta\t1\t5\n".to_owned()]).is_err());
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), 2.0);
        assert_eq!(quantile(&[1.0, 4.0], 0.5), 2.5);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.25), 2.0);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.75), 3.25);
    }

    #[test]
    fn groups_digits() {
        assert_eq!(grouped("1234567"), "1,234,567");
        assert_eq!(grouped("999"), "999");
    }

    #[test]
    fn shortens_long_names() {
        assert_eq!(shortened("abc", 3), "abc");
        assert_eq!(shortened("abcd", 3), "ab…");
    }
}
