//! The book's structure, read from `src/SUMMARY.md`, and the check that
//! every `(book: 1.4 Waiting for a thread)` pointer in the exercises names a
//! real section.

use std::fs;

use crate::project;

/// One entry of the table of contents.
#[derive(Debug, PartialEq)]
pub struct Section {
    /// mdBook's number for it, such as `1.7.1`; `None` for unnumbered pages.
    pub number: Option<String>,
    pub title: String,
    /// The page, relative to `src/`.
    pub path: String,
}

/// The entries of `src/SUMMARY.md`, numbered the way mdBook numbers them.
pub fn sections() -> Result<Vec<Section>, String> {
    let path = project::root().join("src/SUMMARY.md");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(parse_summary(&text))
}

fn parse_summary(text: &str) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut counters: Vec<u32> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let numbered = trimmed.starts_with("- ") || trimmed.starts_with("* ");
        let link = if numbered { &trimmed[2..] } else { trimmed };
        let Some((title, path)) = parse_link(link) else {
            continue;
        };
        let number = if numbered {
            let depth = (line.len() - trimmed.len()) / 2;
            counters.truncate(depth + 1);
            while counters.len() < depth + 1 {
                counters.push(0);
            }
            counters[depth] += 1;
            let parts: Vec<String> = counters.iter().map(u32::to_string).collect();
            Some(parts.join("."))
        } else {
            None
        };
        sections.push(Section {
            number,
            title: title.to_owned(),
            path: path.to_owned(),
        });
    }
    sections
}

/// `[Title](path)` -> (Title, path)
fn parse_link(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('[')?;
    let (title, rest) = rest.split_once("](")?;
    let (path, _) = rest.split_once(')')?;
    Some((title, path))
}

/// The pages of chapter `n`, relative to `src/`: those in `chapter-N/`,
/// and its quiz page, `chapter-N-quiz.md`.
pub fn pages_of(chapter: u32) -> Result<Vec<String>, String> {
    let prefix = format!("chapter-{chapter}/");
    let quiz = format!("chapter-{chapter}-quiz.md");
    Ok(sections()?
        .into_iter()
        .filter(|s| s.path.starts_with(&prefix) || s.path == quiz)
        .map(|s| s.path)
        .collect())
}

/// The files a page pulls in with `{{#include path}}` or
/// `{{#rustdoc_include path:anchor}}`, resolved from the page's folder.
pub fn included_files(page: &str) -> Vec<std::path::PathBuf> {
    let src = project::root().join("src");
    let path = src.join(page);
    let dir = path.parent().unwrap_or(&src).to_path_buf();
    let text = fs::read_to_string(&path).unwrap_or_default();
    let mut files = Vec::new();
    for directive in ["{{#include ", "{{#rustdoc_include "] {
        for (at, _) in text.match_indices(directive) {
            let rest = &text[at + directive.len()..];
            let Some(end) = rest.find("}}") else { continue };
            let target = rest[..end].trim();
            let file = target.split(':').next().unwrap_or(target);
            files.push(dir.join(file));
        }
    }
    files
}

/// A `(book: 1.4 Title)` pointer found in a file.
#[derive(Debug, PartialEq)]
struct Pointer {
    number: String,
    title: Option<String>,
}

fn pointers(text: &str) -> Vec<Pointer> {
    // A string literal may go on past a `\` at the end of a line; Rust then
    // drops the line break and the next line's leading white space.
    let mut joined = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\\n") {
        joined.push_str(&rest[..at]);
        rest = rest[at + 2..].trim_start_matches([' ', '\t']);
    }
    joined.push_str(rest);
    let text = joined.as_str();
    let mut found = Vec::new();
    for (at, _) in text.match_indices("book: ") {
        let rest = &text[at + "book: ".len()..];
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = rest[..number_len].trim_end_matches('.');
        if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let after = &rest[number_len..];
        let title = after.strip_prefix(' ').map(|t| {
            let end = t.find([')', '"', '\n']).unwrap_or(t.len());
            t[..end].trim().trim_end_matches('.').to_owned()
        });
        found.push(Pointer {
            number: number.to_owned(),
            title: title.filter(|t| !t.is_empty()),
        });
    }
    found
}

/// Checks every book pointer in the chapters' exercises, tests and tasks.
/// Returns how many were checked.
pub fn check_pointers(chapters: &[u32]) -> Result<usize, String> {
    let sections = sections()?;
    let root = project::root();
    let mut problems = Vec::new();
    let mut checked = 0;
    for &n in chapters {
        let mut files = project::files_under(&root.join(format!("exercises/chapter-{n}")), ".rs");
        files.extend(project::files_under(
            &root.join(format!("compile-fail/chapter-{n}/tasks")),
            ".rs",
        ));
        for file in files {
            let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
            for pointer in pointers(&text) {
                checked += 1;
                let section = sections
                    .iter()
                    .find(|s| s.number.as_deref() == Some(&pointer.number));
                let problem = match (section, &pointer.title) {
                    (None, _) => Some(format!("there is no section {}", pointer.number)),
                    (Some(s), Some(title)) if *title != s.title => Some(format!(
                        "section {} is \"{}\", not \"{title}\"",
                        pointer.number, s.title
                    )),
                    _ => None,
                };
                if let Some(problem) = problem {
                    problems.push(format!("{}: {problem}", project::shown(&file)));
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

/// A cross-reference in a page: a link whose text starts with a section
/// number, such as `[3.4 Closing a channel](closing.md)` or `[3.4](closing.md#x)`.
#[derive(Debug, PartialEq)]
struct CrossReference {
    line: usize,
    /// The link's text.
    text: String,
    /// The link's target, without its `#anchor`.
    target: String,
    /// The word just before the link, if it is "Section" or "section(s)".
    section_word: bool,
}

fn cross_references(page: &str) -> Vec<CrossReference> {
    let mut found = Vec::new();
    let mut in_code = false;
    for (i, line) in page.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if in_code {
            continue;
        }
        for (at, _) in line.match_indices('[') {
            let rest = &line[at + 1..];
            let Some((text, after)) = rest.split_once("](") else {
                continue;
            };
            if text.contains('[') || !text.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let number_len = text
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(text.len());
            // A section's number has an inner dot (`3.4`, `7.6.2`); a
            // chapter's (`1. Threads`) is not a cross-reference to check.
            let number = text[..number_len].trim_end_matches('.');
            if !number.contains('.') {
                continue;
            }
            let Some((target, _)) = after.split_once(')') else {
                continue;
            };
            let target = target.split('#').next().unwrap_or("").to_owned();
            let before = line[..at].trim_end().to_lowercase();
            found.push(CrossReference {
                line: i + 1,
                text: text.to_owned(),
                target,
                section_word: before.ends_with("section") || before.ends_with("sections"),
            });
        }
    }
    found
}

/// Checks that every cross-reference in the book has the one form: the
/// number of the page it links to, followed at its first mention on a page
/// by that page's title (`[3.4 Closing a channel](closing.md)`, then
/// `[3.4](closing.md)`), and no "Section" before it. Returns how many were
/// checked.
pub fn check_cross_references() -> Result<usize, String> {
    let sections = sections()?;
    let src = project::root().join("src");
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in project::files_under(&src, ".md") {
        let page = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if page == "SUMMARY.md" {
            continue;
        }
        let dir = std::path::Path::new(&page)
            .parent()
            .unwrap_or(std::path::Path::new(""));
        let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let mut seen = std::collections::BTreeSet::new();
        for r in cross_references(&text) {
            checked += 1;
            let at = format!("{}:{}", project::shown(&file), r.line);
            let target = if r.target.is_empty() {
                page.clone()
            } else {
                normalize(&dir.join(&r.target).to_string_lossy())
            };
            let Some(section) = sections
                .iter()
                .find(|s| s.path == target && s.number.is_some())
            else {
                problems.push(format!(
                    "{at}: [{}] links to {target}, which has no number",
                    r.text
                ));
                continue;
            };
            let number = section.number.as_deref().unwrap();
            let full = format!("{number} {}", section.title);
            // The title may be followed by more words (`7.2 More tools in
            // std: atomics`); code spans in titles may keep their backticks.
            let plain = r.text.replace('`', "");
            let full_plain = full.replace('`', "");
            let with_title = plain == full_plain || plain.starts_with(&format!("{full_plain}:"));
            let first = seen.insert(number.to_owned());
            if r.section_word {
                problems.push(format!(
                    "{at}: write [{}](...) without \"Section\" before it",
                    r.text
                ));
            }
            if first && !with_title {
                problems.push(format!(
                    "{at}: the first mention of {number} on this page is [{full}](...), not [{}](...)",
                    r.text
                ));
            } else if !first && r.text != number && !with_title {
                problems.push(format!(
                    "{at}: {target} is [{number}](...) (or [{full}](...)), not [{}](...)",
                    r.text
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems.join("\n"))
    }
}

/// `a/b/../c.md` -> `a/c.md`
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The book's own pages (verify checks them too; this is the quick way).
    #[test]
    fn the_books_cross_references_have_one_form() {
        let n = check_cross_references().unwrap_or_else(|e| panic!("{e}"));
        assert!(n > 100, "{n} cross-references");
    }

    #[test]
    fn finds_cross_references_outside_code() {
        let page = "See Section [3.4 Closing](closing.md#x) and [3.4](closing.md).\n\
                    ```text\n[1.2](x.md)\n```\n[Threads](index.md) [2.1 A](../chapter-2/a.md)\n";
        let found = cross_references(page);
        let brief: Vec<(usize, &str, &str, bool)> = found
            .iter()
            .map(|r| (r.line, r.text.as_str(), r.target.as_str(), r.section_word))
            .collect();
        assert_eq!(
            brief,
            [
                (1, "3.4 Closing", "closing.md", true),
                (1, "3.4", "closing.md", false),
                (5, "2.1 A", "../chapter-2/a.md", false),
            ]
        );
        assert_eq!(normalize("chapter-1/../chapter-2/a.md"), "chapter-2/a.md");
    }

    #[test]
    fn numbers_sections_like_mdbook() {
        let summary = "# Summary\n\n[Introduction](introduction.md)\n\n---\n\n\
            - [Threads](chapter-1/index.md)\n  - [Why](chapter-1/why.md)\n  - [Exercises](chapter-1/ex.md)\n\
            \x20   - [One](chapter-1/one.md)\n  - [Solutions](chapter-1/sol.md)\n- [Ownership](chapter-2/index.md)\n";
        let parsed = parse_summary(summary);
        let numbers: Vec<(Option<&str>, &str)> = parsed
            .iter()
            .map(|s| (s.number.as_deref(), s.title.as_str()))
            .collect();
        assert_eq!(
            numbers,
            [
                (None, "Introduction"),
                (Some("1"), "Threads"),
                (Some("1.1"), "Why"),
                (Some("1.2"), "Exercises"),
                (Some("1.2.1"), "One"),
                (Some("1.3"), "Solutions"),
                (Some("2"), "Ownership"),
            ]
        );
    }

    #[test]
    fn finds_pointers_with_and_without_titles() {
        let text = r#"todo!("x (book: 1.4 Waiting for a thread)") //! Sum (book: 1.7.2)."#;
        assert_eq!(
            pointers(text),
            [
                Pointer {
                    number: "1.4".into(),
                    title: Some("Waiting for a thread".into())
                },
                Pointer {
                    number: "1.7.2".into(),
                    title: None
                },
            ]
        );
    }

    #[test]
    fn reads_a_pointer_across_a_string_continuation() {
        let text = "panic!(\"a ring (book: 6.6.3 A ring buffer for two \\\n      threads)\")";
        assert_eq!(
            pointers(text),
            [Pointer {
                number: "6.6.3".into(),
                title: Some("A ring buffer for two threads".into())
            }]
        );
    }
}
