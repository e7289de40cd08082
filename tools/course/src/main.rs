//! `cargo course`: the learner's companion. See `cargo course help`.

mod book;
mod course;
mod files;
mod report;
mod run;
mod term;
mod watch;

use std::process::ExitCode;

use course::Course;
use term::Style;

const HELP: &str = "\
cargo course: your guide through the exercises

  cargo course [watch] [EXERCISE]   find the first exercise whose tests do not all
                                    pass (or start at EXERCISE), run its tests, and
                                    run them again on every save; keys: h hint,
                                    l list, r run again, q quit
  cargo course list                 every exercise: done, failing or untouched
  cargo course hint [EXERCISE]      the next hint from the exercise's page
  cargo course run EXERCISE         run one exercise's tests once
  cargo course check [--json]       run every exercise; exit 0 only when all are
                                    done (--json: a report for graders)
  cargo course reset EXERCISE       put the starter back (your file is saved under
                                    target/course/backup/ first)

EXERCISE is a number as the book gives it (3.8.2), a name (fan_in), or a
chapter and a name (chapter-3/fan_in).

Options: --verbose (-v) shows everything the compiler and the tests print.
Environment: COURSE_BOOK_URL, the published book's address (by default,
the GitHub Pages address of the `origin` remote); COURSE_TIMEOUT_SECS, how
long a test may run before its watchdog stops it (5).
";

fn main() -> ExitCode {
    term::install_signal_handlers();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            let style = Style {
                on: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            };
            eprintln!("{} {message}", style.red("error:"));
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<u8, String> {
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let json = args.iter().any(|a| a == "--json");
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{HELP}");
        return Ok(0);
    }
    let unknown: Vec<&String> = args
        .iter()
        .filter(|a| a.starts_with('-') && !matches!(a.as_str(), "--verbose" | "-v" | "--json"))
        .collect();
    if let Some(flag) = unknown.first() {
        return Err(format!("unknown option `{flag}`\n\n{HELP}"));
    }
    let words: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let (command, rest) = match words.split_first() {
        Some((c, rest)) => (*c, rest),
        None => ("watch", &[][..]),
    };
    if json && command != "check" {
        return Err("--json goes with `cargo course check`".to_owned());
    }
    let cwd = std::env::current_dir().map_err(|e| format!("no current folder: {e}"))?;
    let style = Style { on: term::color() };
    let at_most_one = |rest: &[&str]| -> Result<Option<String>, String> {
        match rest {
            [] => Ok(None),
            [one] => Ok(Some((*one).to_owned())),
            _ => Err(format!("too many arguments: {}\n\n{HELP}", rest.join(" "))),
        }
    };
    match command {
        "help" => {
            print!("{HELP}");
            Ok(0)
        }
        "watch" => {
            let course = Course::load(&cwd)?;
            let start = match at_most_one(rest)? {
                Some(name) => Some(course.resolve(&name)?),
                None => None,
            };
            watch::watch(course, start, verbose).map(|_| 0)
        }
        "list" | "check" => {
            if !rest.is_empty() {
                return Err(format!("`cargo course {command}` takes no exercise"));
            }
            let course = Course::load(&cwd)?;
            if !json {
                let notice = match run::build_notice(&course) {
                    Some(n) => format!("Running every exercise's tests… ({n})"),
                    None => "Running every exercise's tests…".to_owned(),
                };
                eprintln!("{}", style.dim(&notice));
            }
            let all: Vec<&course::Exercise> = course.exercises.iter().collect();
            let outcomes = run::run_all(&course, &all, style.on && !json)?;
            let outcomes: Vec<(usize, run::Outcome)> = outcomes.into_iter().enumerate().collect();
            if json {
                println!("{}", report::json(&course, &outcomes));
            } else {
                print!("{}", report::table(&course, &outcomes, style));
            }
            let all_done = outcomes.iter().all(|(_, o)| o.done());
            Ok(if command == "check" && !all_done {
                1
            } else {
                0
            })
        }
        "run" => {
            let course = Course::load(&cwd)?;
            let name = at_most_one(rest)?
                .ok_or_else(|| "which exercise? `cargo course run 3.8.2`".to_owned())?;
            let i = course.resolve(&name)?;
            let e = &course.exercises[i];
            print!("{}", report::heading(&course, i, style));
            let build = run::build_for(&course, &[e], style.on)?;
            let outcome = run::outcome_of(&course, &build, e, &mut |_| {});
            print!(
                "\n{}",
                report::outcome(&course, e, &outcome, verbose, style)
            );
            Ok(if outcome.done() { 0 } else { 1 })
        }
        "hint" => {
            let course = Course::load(&cwd)?;
            let i = match at_most_one(rest)? {
                Some(name) => course.resolve(&name)?,
                None => match first_unfinished(&course, style)? {
                    Some(i) => i,
                    None => {
                        println!("Every exercise is done: no hint needed.");
                        return Ok(0);
                    }
                },
            };
            print!("{}", files::next_hint(&course, i, style)?);
            Ok(0)
        }
        "reset" => {
            let course = Course::load(&cwd)?;
            let name = at_most_one(rest)?.ok_or_else(|| {
                "which exercise? `cargo course reset 3.8.2` (your file is saved first)".to_owned()
            })?;
            let i = course.resolve(&name)?;
            print!("{}", files::reset(&course, i)?);
            Ok(0)
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    }
}

/// The first exercise in book order whose tests do not all pass.
fn first_unfinished(course: &Course, style: Style) -> Result<Option<usize>, String> {
    eprintln!(
        "{}",
        style.dim("Finding the first exercise whose tests do not all pass…")
    );
    let mut k = 0;
    let n = course.exercises.len();
    while k < n {
        let package = &course.exercises[k].package;
        let end = (k..n)
            .find(|&i| course.exercises[i].package != *package)
            .unwrap_or(n);
        let group: Vec<&course::Exercise> = course.exercises[k..end].iter().collect();
        let build = run::build_for(course, &group, style.on)?;
        for (offset, e) in group.iter().enumerate() {
            if !run::outcome_of(course, &build, e, &mut |_| {}).done() {
                return Ok(Some(k + offset));
            }
        }
        k = end;
    }
    Ok(None)
}
