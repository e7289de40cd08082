//! Hang-proofing: every exercise test must run its body under the
//! watchdog, so that code which blocks fails within seconds instead of
//! hanging `cargo test`. The rule is simple enough to check by reading the
//! (rustfmt-formatted) test files: the first statement of every `#[test]`
//! function in `exercises/chapter-N/tests/exercises/` is a call to one of
//! the watchdogs: `watchdog(`, `watchdog_for(`, `watchdog_diagnosed(` or
//! `watchdog_diagnosed_for(`; in `tests/loom/`, a loom model's test may
//! instead call `model::check(`, which runs the model under `watchdog_for`.

use std::fs;

use crate::project;

/// Returns how many tests were checked.
pub fn check(chapters: &[u32]) -> Result<usize, String> {
    let root = project::root();
    let mut problems = Vec::new();
    let mut checked = 0;
    for &n in chapters {
        let tests = root.join(format!("exercises/chapter-{n}/tests"));
        let mut files = project::files_under(&tests.join("exercises"), ".rs");
        files.extend(project::files_under(&tests.join("loom"), ".rs"));
        for file in files {
            let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
            for (name, first) in tests_and_first_statements(&text) {
                checked += 1;
                let guarded = [
                    "watchdog(",
                    "watchdog_for(",
                    "watchdog_diagnosed(",
                    "watchdog_diagnosed_for(",
                    "test_support::watchdog",
                    // Loom models: `model::check` runs the model under
                    // `watchdog_for` (tests/loom/model.rs).
                    "model::check(",
                ]
                .iter()
                .any(|start| first.starts_with(start));
                if !guarded {
                    problems.push(format!(
                        "{}: test `{name}` does not start with `watchdog(...)`: wrap its body so a hang fails fast",
                        project::shown(&file)
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems.join("\n"))
    }
}

/// For each `#[test] fn name() {`, the name and the first line of its body.
fn tests_and_first_statements(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "#[test]" {
            continue;
        }
        // Skip further attributes and doc comments between #[test] and fn.
        let Some(offset) = lines[i + 1..].iter().position(|l| l.starts_with("fn ")) else {
            continue;
        };
        let fn_line = lines[i + 1 + offset];
        let name = fn_line["fn ".len()..]
            .split('(')
            .next()
            .unwrap_or("")
            .to_owned();
        let body = lines[i + 2 + offset..]
            .iter()
            .find(|l| !l.is_empty() && !l.starts_with("//"))
            .copied()
            .unwrap_or("");
        found.push((name, body.to_owned()));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_test_and_its_first_statement() {
        let text = "#[test]\nfn a() {\n    watchdog(HINT, || {});\n}\n\n#[test]\n#[ignore]\nfn b() {\n    // note\n    let x = 1;\n}\n";
        assert_eq!(
            tests_and_first_statements(text),
            [
                ("a".to_owned(), "watchdog(HINT, || {});".to_owned()),
                ("b".to_owned(), "let x = 1;".to_owned())
            ]
        );
    }
}
