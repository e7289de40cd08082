//! Every exercise page tells the learner a command that runs its tests
//! (`cargo test -p chapter-3 fan_in`). That command must select exactly the
//! exercise's own tests: a learner on a finished stage must not see the
//! failures of a later stage.
//!
//! libtest selects, in every test binary of the package, the tests whose
//! name contains the filter. So one `cargo test -- --list` per chapter
//! gives every binary's tests, and each page's command is worked out from
//! that. The reference solution's package (`chapter-N-solution`) is listed:
//! it declares the very same test targets and files as the learner's
//! `chapter-N` (so the names are the same), and verify builds it anyway.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::repo;

/// Pages whose command is known to select more than their exercise, with
/// why. Each entry must still be wrong (the test fails once it is fixed,
/// so that the entry goes); the pages are not this crate's to change.
const KNOWN_WRONG: &[(&str, &str)] = &[];

/// The tests of each test target of a package: target name -> test names.
fn list(package: &str) -> BTreeMap<String, BTreeSet<String>> {
    let (mut reader, writer) = std::io::pipe().unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(cargo)
        .current_dir(repo())
        .args(["test", "--package", package, "--", "--list"])
        .env_remove("RUST_BACKTRACE")
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .spawn()
        .unwrap();
    let mut text = String::new();
    reader.read_to_string(&mut text).unwrap();
    assert!(child.wait().unwrap().success(), "{text}");
    // `Running ../../exercises/chapter-3/tests/fan_in.rs (target/debug/deps/ex2_fan_in-HASH)`
    // comes before the list of that binary.
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.trim_start().strip_prefix("Running ") {
            current = rest
                .rsplit_once('(')
                .and_then(|(_, exe)| exe.strip_suffix(')'))
                .and_then(|exe| Path::new(exe).file_name())
                .and_then(|f| f.to_str())
                .and_then(|f| f.rsplit_once('-'))
                .map(|(name, _)| name.to_owned());
            if let Some(c) = &current {
                out.entry(c.clone()).or_default();
            }
            continue;
        }
        if let (Some(c), Some(name)) = (&current, line.strip_suffix(": test")) {
            out.get_mut(c).unwrap().insert(name.to_owned());
        }
    }
    out
}

/// The `[[test]]` targets of a manifest: (name, path).
fn targets(manifest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut name = None;
    for line in manifest.lines() {
        let line = line.trim();
        let value = || line.split('"').nth(1).unwrap_or("").to_owned();
        if line == "[[test]]" {
            name = None;
        } else if line.starts_with("name") {
            name = Some(value());
        } else if line.starts_with("path")
            && let Some(n) = name.take()
        {
            out.push((n, value()));
        }
    }
    out
}

/// The `cargo test -p chapter-N ...` commands a page shows, in backticks.
fn commands(page: &str, package: &str) -> Vec<String> {
    let start = format!("`cargo test -p {package} ");
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find(&start) {
        let after = &rest[i + 1..];
        let end = after.find('`').unwrap();
        out.push(after[..end].to_owned());
        rest = &after[end..];
    }
    out
}

/// The tests a `cargo test -p PACKAGE ARGS` command runs.
fn selected(command: &str, tests: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let words: Vec<&str> = command.split_whitespace().skip(4).collect();
    let mut filters = Vec::new();
    let mut only: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "--test" => {
                only.push(words[i + 1]);
                i += 1;
            }
            "--" => break,
            w if w.starts_with('-') => {}
            w => filters.push(w),
        }
        i += 1;
    }
    tests
        .iter()
        .filter(|(target, _)| only.is_empty() || only.contains(&target.as_str()))
        .flat_map(|(_, names)| names.iter())
        .filter(|name| filters.is_empty() || filters.iter().any(|f| name.contains(f)))
        .cloned()
        .collect()
}

#[test]
fn each_pages_command_runs_exactly_its_exercises_tests() {
    let repo = repo();
    let mut problems = Vec::new();
    let mut still_wrong = Vec::new();
    let mut checked = 0;
    let mut chapters: Vec<_> = fs::read_dir(repo.join("exercises"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    chapters.sort();
    for dir in chapters {
        let package = dir.file_name().unwrap().to_string_lossy().into_owned();
        let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let tests = list(&format!("{package}-solution"));
        let pages: Vec<_> = fs::read_dir(repo.join("src").join(&package))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        for (target, path) in targets(&manifest) {
            let Some(exercise) = path
                .strip_prefix("tests/")
                .and_then(|p| p.strip_suffix(".rs"))
            else {
                continue;
            };
            if exercise.ends_with("_loom") {
                continue;
            }
            let marker = format!("<!-- File {package}/src/{exercise}.rs -->");
            let Some(page) = pages
                .iter()
                .find(|p| fs::read_to_string(p).unwrap().contains(&marker))
            else {
                problems.push(format!("{package}: no page has {marker}"));
                continue;
            };
            let shown = format!("{package}/{}", page.file_name().unwrap().to_string_lossy());
            let own: BTreeSet<String> = tests
                .iter()
                .filter(|(t, _)| **t == target || **t == format!("{target}_loom"))
                .flat_map(|(_, names)| names.iter().cloned())
                .collect();
            assert!(!own.is_empty(), "{target} has tests");
            let documented = commands(&fs::read_to_string(page).unwrap(), &package);
            if documented.is_empty() {
                problems.push(format!("{shown}: no `cargo test -p {package} ...` command"));
            }
            let known = KNOWN_WRONG.iter().find(|(p, _)| *p == shown);
            for command in documented {
                checked += 1;
                let got = selected(&command, &tests);
                let wrong = got != own;
                match (wrong, known) {
                    (false, None) => {}
                    (true, Some(_)) => still_wrong.push(shown.clone()),
                    (false, Some(_)) => problems.push(format!(
                        "{shown}: `{command}` is right now; remove it from KNOWN_WRONG"
                    )),
                    (true, None) => {
                        let extra: Vec<&String> = got.difference(&own).collect();
                        let missing: Vec<&String> = own.difference(&got).collect();
                        problems.push(format!(
                            "{shown}: `{command}` also runs {extra:?} and misses {missing:?}"
                        ));
                    }
                }
            }
        }
    }
    for (page, _) in KNOWN_WRONG {
        if !still_wrong.iter().any(|p| p == page) && !problems.iter().any(|p| p.starts_with(page)) {
            problems.push(format!(
                "{page}: in KNOWN_WRONG, but no command of it was checked"
            ));
        }
    }
    assert!(checked > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
