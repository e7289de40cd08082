//! Finds the starter files in the book's pages and writes them out.
//! `main.rs` connects this to mdBook.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// One page of the book, as the renderer receives it.
pub struct Page {
    /// How errors name the page, e.g. `src/chapter-1/ex-spawn-all.md`.
    pub name: String,
    /// The page after mdBook's preprocessors (`{{#include}}` expanded).
    pub content: String,
    /// The page's file as written, to report line numbers that match it.
    pub raw: Option<String>,
}

/// A file to write: a path relative to the output directory, and its text.
#[derive(Debug, PartialEq)]
pub struct StarterFile {
    pub path: PathBuf,
    pub text: String,
    /// Where the file came from, e.g. `src/chapter-1/ex-spawn-all.md:12`.
    pub origin: String,
}

/// A problem with a `<!-- File -->` marker, with the page and line.
#[derive(Debug, PartialEq)]
pub struct MarkerError {
    pub origin: String,
    pub message: String,
}

impl fmt::Display for MarkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// The name of the list of written files, kept in the output directory so
/// that the next run can remove files that are no longer in the book.
pub const MANIFEST: &str = ".exerciser-files";

/// Finds every marked code block in the pages. Either every marker is
/// good and all files are returned, or every problem is returned.
pub fn extract(pages: &[Page]) -> Result<Vec<StarterFile>, Vec<MarkerError>> {
    let mut files: Vec<StarterFile> = Vec::new();
    let mut errors = Vec::new();
    let mut claimed: BTreeMap<PathBuf, String> = BTreeMap::new();

    for page in pages {
        for found in markers(page) {
            let origin = format!("{}:{}", page.name, found.line);
            let result = found.block.ok_or_else(|| {
                format!(
                    "`<!-- File {} -->` must be followed by a fenced code block, \
                     but {} comes next",
                    found.path, found.next
                )
            });
            let result = result.and_then(|block| check_path(&found.path).map(|p| (p, block)));
            match result {
                Err(message) => errors.push(MarkerError { origin, message }),
                Ok((path, block)) => {
                    if let Some(first) = claimed.get(&path) {
                        errors.push(MarkerError {
                            message: format!(
                                "`{}` is already written by the marker at {first}",
                                path.display()
                            ),
                            origin,
                        });
                        continue;
                    }
                    claimed.insert(path.clone(), origin.clone());
                    files.push(StarterFile {
                        path,
                        text: block,
                        origin,
                    });
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Writes the files under `dest`, first removing what the previous run
/// wrote there (and nothing else).
pub fn write_files(dest: &Path, files: &[StarterFile]) -> io::Result<()> {
    let manifest = dest.join(MANIFEST);
    if let Ok(old) = fs::read_to_string(&manifest) {
        for line in old.lines() {
            // Only paths this program could have written are removed.
            if let Ok(path) = check_path(line) {
                let _ = fs::remove_file(dest.join(path));
            }
        }
    }
    let mut listed = String::new();
    for file in files {
        let target = dest.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&target, &file.text)?;
        listed.push_str(&file.path.to_string_lossy());
        listed.push('\n');
    }
    fs::create_dir_all(dest)?;
    fs::write(manifest, listed)
}

/// A `<!-- File PATH -->` marker and the code block after it, if any.
struct Found {
    path: String,
    line: usize,
    block: Option<String>,
    /// What follows the marker when it is not a code block.
    next: &'static str,
}

/// The path in a `<!-- File PATH -->` comment.
fn marker_path(html: &str) -> Option<&str> {
    let inner = html
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let rest = inner.strip_prefix("File")?;
    // `<!-- Filesystem notes -->` is not a marker; `<!-- File -->` is one
    // without a path.
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim())
}

fn markers(page: &Page) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // A marker waiting for its code block.
    let mut open: Option<Found> = None;
    // Set inside the code block that belongs to `open`.
    let mut capture: Option<(String, bool)> = None;
    let mut seen_per_text: BTreeMap<String, usize> = BTreeMap::new();

    for (event, range) in Parser::new(&page.content).into_offset_iter() {
        if let Some((text, rust)) = capture.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (text, rust) = (std::mem::take(text), *rust);
                    capture = None;
                    let mut marker = open.take().expect("a marker is open");
                    marker.block = Some(if rust { unhide(&text) } else { text });
                    found.push(marker);
                }
                _ => {}
            }
            continue;
        }
        let html_path = match &event {
            Event::Html(html) | Event::InlineHtml(html) => marker_path(html).map(str::to_owned),
            _ => None,
        };
        if let Some(path) = html_path {
            if let Some(mut waiting) = open.take() {
                waiting.next = "another File marker";
                found.push(waiting);
            }
            let marker_text = page.content[range.clone()].trim().to_owned();
            let nth = seen_per_text.entry(marker_text.clone()).or_insert(0);
            *nth += 1;
            let line = source_line(page, &marker_text, *nth, range.start);
            open = Some(Found {
                path,
                line,
                block: None,
                next: "the end of the page",
            });
            continue;
        }
        if open.is_none() {
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                capture = Some((String::new(), is_rust(&info)));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                let mut waiting = open.take().expect("a marker is open");
                waiting.next = "an indented code block";
                found.push(waiting);
            }
            // The marker's own HTML block ends; blank lines are fine.
            Event::End(TagEnd::HtmlBlock) | Event::Start(Tag::HtmlBlock) => {}
            Event::SoftBreak | Event::HardBreak => {}
            Event::Text(ref t) if t.trim().is_empty() => {}
            other => {
                let mut waiting = open.take().expect("a marker is open");
                waiting.next = describe(&other);
                found.push(waiting);
            }
        }
    }
    if let Some(waiting) = open.take() {
        found.push(waiting);
    }
    found
}

fn describe(event: &Event<'_>) -> &'static str {
    match event {
        Event::Start(Tag::Paragraph) | Event::Text(_) => "a paragraph",
        Event::Start(Tag::Heading { .. }) => "a heading",
        Event::Start(Tag::List(_)) => "a list",
        Event::Start(Tag::BlockQuote(_)) => "a block quote",
        Event::Start(Tag::Table(_)) => "a table",
        Event::Html(_) | Event::InlineHtml(_) => "HTML",
        Event::Rule => "a horizontal rule",
        _ => "something else",
    }
}

/// Whether a fenced block's info string (`rust,editable`, `rust ignore`)
/// makes it a Rust block.
fn is_rust(info: &str) -> bool {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .next()
        .is_some_and(|lang| lang == "rust")
}

/// mdBook hides lines of Rust code that start with `# ` (or are just `#`);
/// the starter file gets them without that prefix. `##` stands for a line
/// that really starts with `#`.
fn unhide(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let trimmed = body.trim_start();
        let indent = &body[..body.len() - trimmed.len()];
        if let Some(rest) = trimmed.strip_prefix("##") {
            out.push_str(indent);
            out.push('#');
            out.push_str(rest);
        } else if let Some(rest) = trimmed.strip_prefix("# ") {
            out.push_str(indent);
            out.push_str(rest);
        } else if trimmed == "#" {
            out.push_str(indent);
        } else {
            out.push_str(body);
        }
        out.push_str(newline);
    }
    out
}

/// A path that stays inside the output directory: relative, no `..`, no
/// `.`, not empty.
fn check_path(path: &str) -> Result<PathBuf, String> {
    let p = Path::new(path);
    if path.is_empty() {
        return Err("the File marker names no path".to_owned());
    }
    if p.has_root() || p.is_absolute() {
        return Err(format!(
            "`{path}` is absolute; write a path relative to exercises/, such as chapter-1/src/lib.rs"
        ));
    }
    if path.contains('\\') {
        return Err(format!("`{path}`: use `/` to separate folders"));
    }
    for component in p.components() {
        match component {
            Component::Normal(_) => {}
            Component::ParentDir => {
                return Err(format!(
                    "`{path}` uses `..` and could leave the output folder"
                ));
            }
            _ => return Err(format!("`{path}` is not a plain relative path")),
        }
    }
    if path.ends_with('/') {
        return Err(format!("`{path}` names a folder, not a file"));
    }
    Ok(p.to_path_buf())
}

/// The 1-based line of the `nth` occurrence of `marker` in the page as
/// written; falls back to the line in the preprocessed text.
fn source_line(page: &Page, marker: &str, nth: usize, offset: usize) -> usize {
    if let Some(raw) = &page.raw
        && let Some((at, _)) = raw.match_indices(marker).nth(nth - 1)
    {
        return raw[..at].matches('\n').count() + 1;
    }
    page.content[..offset].matches('\n').count() + 1
}

#[cfg(test)]
mod tests;
