//! Contract clauses. Every sentence of the doc comment of an item the
//! learner implements (an item with an answer region in the reference
//! solution) is a clause of the exercise's contract, and needs a test that
//! fails without it. Each exercise's test file lists them at its top, with
//! the tests that check each one:
//!
//! ```text
//! //! - "Returns the sum of `f(x)` over `numbers`, ...": adds_up_every_number_once
//! //! - "Panics: If `threads` is zero.": zero_threads_panic
//! //! - "Waits for none of them.": not a behaviour of its own: see spawn_all_returns_...
//! ```
//!
//! Verify checks that every clause is listed, word for word, and that every
//! test named exists in the file (or in the exercise's loom models,
//! `tests/loom/EXERCISE.rs`). A clause under a `# Panics` heading is
//! listed with the heading first (`"Panics: ..."`).

use std::fs;

use crate::{project, source};

/// One clause: the sentence, and where it is.
#[derive(Debug, PartialEq)]
pub struct Clause {
    pub text: String,
    pub line: usize,
}

/// The clauses of a reference solution's source: the sentences of the doc
/// comments (`///`) of items that contain an answer region.
pub fn clauses(source: &str) -> Vec<Clause> {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].trim_start().starts_with("///") {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].trim_start().starts_with("///") {
            i += 1;
        }
        // The item the comment documents: its first line if that ends the
        // item (`pub struct S;`), else up to the line, indented as the
        // comment, that closes it (`}`, `];`, ...), as rustfmt writes it.
        let indent = lines[start].len() - lines[start].trim_start().len();
        let closes = |line: &&str| {
            line.len() - line.trim_start().len() == indent
                && matches!(line.trim(), "}" | "};" | "];" | ");" | ")")
        };
        let end = if lines.get(i).is_some_and(|l| l.trim_end().ends_with(';')) {
            i + 1
        } else {
            lines[i..]
                .iter()
                .position(closes)
                .map_or(lines.len(), |k| i + k + 1)
        };
        let has_answer = lines[i..end]
            .iter()
            .any(|l| l.trim_start().starts_with("// ANSWER"));
        if has_answer {
            found.extend(sentences(&lines[start..i], start + 1));
        }
    }
    found
}

/// The sentences of a doc comment whose first line is line `first`.
fn sentences(comment: &[&str], first: usize) -> Vec<Clause> {
    let mut found = Vec::new();
    let mut heading = String::new();
    let mut current = String::new();
    let mut current_line = first;
    let flush = |current: &mut String, heading: &str, line: usize, found: &mut Vec<Clause>| {
        let text = current.trim();
        if !text.is_empty() {
            let text = if heading.is_empty() {
                text.to_owned()
            } else {
                format!("{heading}: {text}")
            };
            found.push(Clause { text, line });
        }
        current.clear();
    };
    for (k, line) in comment.iter().enumerate() {
        let text = line.trim_start().trim_start_matches("///").trim();
        if let Some(title) = text.strip_prefix("# ") {
            flush(&mut current, &heading, current_line, &mut found);
            heading = title.trim().to_owned();
            continue;
        }
        if text.is_empty() {
            flush(&mut current, &heading, current_line, &mut found);
            continue;
        }
        let mut rest = text;
        while !rest.is_empty() {
            if current.is_empty() {
                current_line = first + k;
            } else {
                current.push(' ');
            }
            match sentence_end(rest) {
                Some(end) => {
                    current.push_str(&rest[..end]);
                    flush(&mut current, &heading, current_line, &mut found);
                    rest = rest[end..].trim_start();
                }
                None => {
                    current.push_str(rest);
                    rest = "";
                }
            }
        }
    }
    flush(&mut current, &heading, current_line, &mut found);
    found
}

/// Where the first sentence of `text` ends: after a `.`, `!` or `?`, not
/// inside backticks, at the end of the line or before a space and a capital
/// letter (so "e.g. `x`" does not end one).
fn sentence_end(text: &str) -> Option<usize> {
    let mut in_code = false;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' => in_code = !in_code,
            b'.' | b'!' | b'?'
                if !in_code
                    && (i + 1 == bytes.len()
                        || (bytes[i + 1] == b' '
                            && bytes.get(i + 2).is_some_and(u8::is_ascii_uppercase))) =>
            {
                return Some(i + 1);
            }
            _ => {}
        }
    }
    None
}

/// The clause list at the top of a test file: `//! - "sentence": tests`.
fn listed(test_file: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in test_file.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            break;
        };
        let doc = doc.trim();
        if let Some(item) = doc.strip_prefix("- \"") {
            if let Some(done) = current.take() {
                found.push(split_item(&done));
            }
            current = Some(item.to_owned());
        } else if let Some(open) = current.as_mut() {
            if doc.is_empty() {
                found.push(split_item(&current.take().unwrap()));
            } else {
                open.push(' ');
                open.push_str(doc);
            }
        }
    }
    if let Some(done) = current {
        found.push(split_item(&done));
    }
    found
}

/// `sentence": tests` -> (sentence, tests).
fn split_item(item: &str) -> (String, String) {
    match item.rfind("\":") {
        Some(at) => (item[..at].to_owned(), item[at + 2..].trim().to_owned()),
        None => (item.trim_end_matches('"').to_owned(), String::new()),
    }
}

/// Checks every exercise of the chapters. Returns how many clauses.
pub fn check(chapters: &[u32]) -> Result<usize, String> {
    let root = project::root();
    let mut problems = Vec::new();
    let mut count = 0;
    for &n in chapters {
        for (relative, _) in source::starters_of(n)? {
            let exercise = relative.with_extension("").to_string_lossy().into_owned();
            let source_path = root.join(format!("solutions/chapter-{n}/src/{exercise}.rs"));
            let text = fs::read_to_string(&source_path).map_err(|e| e.to_string())?;
            let wanted = clauses(&text);
            if wanted.is_empty() {
                continue;
            }
            let test_path = root.join(format!(
                "exercises/chapter-{n}/tests/exercises/{exercise}.rs"
            ));
            let shown = project::shown(&test_path);
            let tests = fs::read_to_string(&test_path).map_err(|e| format!("{shown}: {e}"))?;
            let list = listed(&tests);
            let mut names = test_names(&tests);
            // The exercise's loom models count too (Chapter 6).
            let models = root.join(format!("exercises/chapter-{n}/tests/loom/{exercise}.rs"));
            if let Ok(models) = fs::read_to_string(&models) {
                names.extend(test_names(&models));
            }
            for clause in &wanted {
                count += 1;
                let Some((_, checked_by)) = list.iter().find(|(s, _)| *s == clause.text) else {
                    problems.push(format!(
                        "{shown}: the clause at {}:{} is not listed: - \"{}\": TESTS",
                        project::shown(&source_path),
                        clause.line,
                        clause.text
                    ));
                    continue;
                };
                if checked_by.is_empty() {
                    problems.push(format!(
                        "{shown}: name the tests that check \"{}\"",
                        clause.text
                    ));
                } else if !checked_by.starts_with("not a behaviour") {
                    for test in checked_by.split(',').map(str::trim) {
                        if !names.iter().any(|t| t == test) {
                            problems.push(format!(
                                "{shown}: \"{}\" names `{test}`, which is not a test in this file",
                                clause.text
                            ));
                        }
                    }
                }
            }
            for (sentence, _) in &list {
                if !wanted.iter().any(|c| c.text == *sentence) {
                    problems.push(format!(
                        "{shown}: \"{sentence}\" is not a clause of {} (changed or removed?)",
                        project::shown(&source_path)
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(count)
    } else {
        Err(problems.join("\n"))
    }
}

/// The names of the `#[test]` functions in a test file.
fn test_names(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut names = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "#[test]" {
            continue;
        }
        if let Some(f) = lines[i + 1..].iter().find(|l| l.starts_with("fn ")) {
            names.push(f[3..].split('(').next().unwrap_or("").to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "\
/// Given: not a clause, the item has no answer.
pub struct S;

/// Returns the sum of `f(x)` over `numbers`, computed by `threads`
/// threads. No threads are started for an empty list (e.g. `vec![]`).
///
/// # Panics
///
/// If `threads` is zero.
pub fn sum(numbers: Vec<u64>, threads: usize) -> u64 {
    // ANSWER: todo!()
    numbers.iter().sum()
    // END ANSWER
}
";

    #[test]
    fn the_sentences_of_implemented_items_are_clauses() {
        let found: Vec<String> = clauses(SOURCE).into_iter().map(|c| c.text).collect();
        assert_eq!(
            found,
            [
                "Returns the sum of `f(x)` over `numbers`, computed by `threads` threads.",
                "No threads are started for an empty list (e.g. `vec![]`).",
                "Panics: If `threads` is zero.",
            ]
        );
    }

    #[test]
    fn reads_the_list_at_the_top_of_a_test_file() {
        let tests = "//! Clauses:\n//!\n//! - \"Returns the sum.\": adds_up,\n//!   adds_up_again\n//! - \"Panics: If `threads` is zero.\": not a behaviour: see x\n\nuse x;\n";
        assert_eq!(
            listed(tests),
            [
                (
                    "Returns the sum.".to_owned(),
                    "adds_up, adds_up_again".to_owned()
                ),
                (
                    "Panics: If `threads` is zero.".to_owned(),
                    "not a behaviour: see x".to_owned()
                ),
            ]
        );
    }
}
