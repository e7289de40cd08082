//! `cargo xtask <command>`: the course's maintenance commands.
//!
//! - `serve`: build the book and serve it on localhost, installing the
//!   pinned mdBook into `.tools/` first if it is missing.
//! - `verify [--chapter N]`: the one test command (see `verify.rs`).
//! - `write-starters [--chapter N]`: generate the starters from the
//!   reference solutions into `exercises/` and the exercise pages.
//! - `browser-test`: check the built book in headless Chromium.
//! - `fixtures [--chapter N]`: only verify's fixtures step.
//! - `stress [--runs N]`: run the solution tests many times, under load.
//! - `mutants [--chapter N]`: mutation testing of the exercise tests.
//! - `bench`: measure Chapter 7's word count; write its table and chart.
//! - `build-book [--published]`: the HTML book, local or as published.
//! - `book-preprocessor`: the book's mdBook preprocessor (see `preprocess.rs`).

mod bench;
mod book;
mod browser;
mod cache;
mod clauses;
mod crates;
mod exercises_zip;
mod fixtures;
mod hangs;
mod links;
mod listings;
mod mdbook;
mod mutants;
mod preprocess;
mod project;
mod quiz;
mod run;
mod site;
mod source;
mod starters;
mod stress;
mod verify;
mod zip_check;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [MDBOOK-ARGS...]          build the book and serve it on http://localhost:3000
  verify [--chapter N]            prove solutions pass, starters fail, snapshots match,
                                  the book builds and its code runs, book and exercises agree
  write-starters [--chapter N]    generate the starters from the reference solutions into
                                  exercises/ and the exercise pages
  clauses [--chapter N]           check that every sentence of the doc comment of an item the
                                  learner implements is listed, with its tests, in the test file
  fixtures [--chapter N]          run the wrong and other answers kept as fixtures against the
                                  exercises' tests (one step of verify)
  stress [--runs N] [--chapter N] run the solution tests N times (default 200): on all cores,
                                  pinned to one core, and with the other cores kept busy
  mutants [--chapter N]           mutation testing of the exercise tests (cargo-mutants);
                                  each chapter must catch 90% of its viable mutants
  build-book [--published]        build the book into target/book/html (and exercises.zip);
                                  --published: as published from $GITHUB_REPOSITORY (owner/name)
  browser-test                    check the built book in headless Chromium at 1280 and 390 px
                                  (layout, axe-core, contrast, links, search, print, keys,
                                  and the published book served under a sub-path)
  bench [--processes P] [--runs N] [--mib M]
                                  measure Chapter 7's word count, write its table and chart
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let result = match command.as_str() {
        "serve" => mdbook::serve(rest),
        "verify" => chapter_option(rest).and_then(verify::run),
        "write-starters" => chapter_option(rest).and_then(starters::write),
        "clauses" => chapter_option(rest).and_then(|chapter| {
            let chapters = project::selected(chapter)?;
            let n = clauses::check(&chapters)?;
            println!("clauses: {n} clauses, each checked by a test");
            Ok(())
        }),
        "browser-test" => browser::run_command(),
        "build-book" => site::build_command(rest),
        "book-preprocessor" => preprocess::run(rest),
        "fixtures" => chapter_option(rest).and_then(|chapter| {
            let summary = fixtures::check(&project::selected(chapter)?)?;
            println!("fixtures: {summary}");
            Ok(())
        }),
        "stress" => stress::run(rest),
        "mutants" => chapter_option(rest).and_then(mutants::run),
        "bench" => bench::run(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Parses an optional `--chapter N` (or `--chapter=N`).
fn chapter_option(args: &[String]) -> Result<Option<u32>, String> {
    let mut chapter = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--chapter") {
            Some("") => args.next().cloned(),
            Some(rest) if rest.starts_with('=') => Some(rest[1..].to_owned()),
            _ => return Err(format!("unexpected argument `{arg}`\n\n{USAGE}")),
        };
        let value = value.ok_or("--chapter needs a number")?;
        let n = value
            .parse::<u32>()
            .map_err(|_| format!("--chapter needs a number, not `{value}`"))?;
        chapter = Some(n);
    }
    Ok(chapter)
}
