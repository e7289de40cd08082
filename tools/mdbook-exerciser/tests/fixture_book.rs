//! The renderer as mdBook runs it: the book as JSON on standard input, in
//! its own output folder, on `tests/fixture-book`, a small book with the
//! patterns of Comprehensive Rust's exercise pages. What it writes must be
//! `tests/fixture-book/expected/`, file for file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use mdbook_renderer::RenderContext;
use mdbook_renderer::book::{Book, Chapter};
use mdbook_renderer::config::Config;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture-book")
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exerciser-it-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the fixture's book (book.toml and src/) to `to`.
fn copy_book(to: &Path) {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                fs::copy(&path, &target).unwrap();
            }
        }
    }
    copy(&fixture().join("src"), &to.join("src"));
    fs::copy(fixture().join("book.toml"), to.join("book.toml")).unwrap();
}

/// The book at `root` as mdBook hands it to a renderer: the chapters of
/// SUMMARY.md, in order, with `{{#include FILE}}` expanded (the only
/// preprocessing the fixture uses).
fn load(root: &Path, destination: &Path) -> RenderContext {
    let src = root.join("src");
    let summary = fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    let mut book = Book::new();
    for line in summary.lines() {
        let Some((name, rest)) = line.split_once("](") else {
            continue;
        };
        let name = &name[name.find('[').unwrap() + 1..];
        let path = rest.trim_end().trim_end_matches(')');
        if path.is_empty() {
            book.push_item(Chapter::new_draft(name, Vec::new()));
            continue;
        }
        let raw = fs::read_to_string(src.join(path)).unwrap();
        let dir = src.join(path).parent().unwrap().to_path_buf();
        let mut content = String::new();
        for line in raw.split_inclusive('\n') {
            match line
                .trim()
                .strip_prefix("{{#include ")
                .and_then(|l| l.strip_suffix("}}"))
            {
                Some(file) => content.push_str(&fs::read_to_string(dir.join(file)).unwrap()),
                None => content.push_str(line),
            }
        }
        book.push_item(Chapter::new(name, content, path, Vec::new()));
    }
    let config: Config = fs::read_to_string(root.join("book.toml"))
        .unwrap()
        .parse()
        .unwrap();
    RenderContext::new(root, book, config, destination)
}

/// Runs the renderer on the book at `root`, as mdBook does; returns its
/// output and the renderer's folder.
fn render(root: &Path) -> (Output, PathBuf) {
    let destination = root.join("book/exerciser");
    fs::create_dir_all(&destination).unwrap();
    let json = serde_json::to_vec(&load(root, &destination)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-exerciser"))
        .current_dir(&destination)
        .env("RUST_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&json).unwrap();
    (child.wait_with_output().unwrap(), destination)
}

/// Every file under `dir` with its bytes, by path with `/`.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                let inner = files(&path);
                assert!(!inner.is_empty(), "{} is an empty folder", path.display());
                found.extend(inner.into_iter().map(|(p, b)| (format!("{name}/{p}"), b)));
            } else {
                found.push((name, fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_fixture_book_gives_the_expected_tree() {
    let root = scratch("fixture");
    copy_book(&root);
    let (output, destination) = render(&root);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert_eq!(
        files(&destination.join("fixture-exercises")),
        files(&fixture().join("expected")),
        "{log}"
    );
    // Only the output folder is written.
    let top: Vec<_> = fs::read_dir(&destination).unwrap().collect();
    assert_eq!(top.len(), 1);
    // The two dining philosophers are kept apart, and it says so.
    assert!(
        log.contains(" WARN [exerciser] src/sync-exercises/dining-philosophers.md:3: another page named `dining-philosophers` writes the same file; this page's files go to `sync-exercises/dining-philosophers/`, not `dining-philosophers/`"),
        "{log}"
    );
    assert!(
        log.contains(" INFO [exerciser] wrote 14 file(s) to `"),
        "{log}"
    );
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn windows_line_endings_give_the_same_tree() {
    let root = scratch("crlf");
    copy_book(&root);
    let mut pages = 0;
    for page in fs::read_dir(root.join("src/sync-exercises")).unwrap() {
        let page = page.unwrap().path();
        let text = fs::read_to_string(&page).unwrap();
        fs::write(&page, text.replace('\n', "\r\n")).unwrap();
        pages += 1;
    }
    assert_eq!(pages, 2);
    let (output, destination) = render(&root);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        files(&destination.join("fixture-exercises")),
        files(&fixture().join("expected"))
    );
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_page_dropped_from_the_book_takes_its_files_and_folders_along() {
    let root = scratch("dropped");
    copy_book(&root);
    assert!(render(&root).0.status.success());
    let summary = root.join("src/SUMMARY.md");
    let text = fs::read_to_string(&summary).unwrap();
    let text = text.replace("  - [Chat application](async-exercises/chat-app.md)\n", "");
    fs::write(&summary, text).unwrap();
    let (output, destination) = render(&root);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(log.contains(", removed 3 the book no longer has"), "{log}");
    let out = destination.join("fixture-exercises");
    assert!(!out.join("chat-app").exists(), "the empty folders go too");
    let expected: Vec<_> = files(&fixture().join("expected"))
        .into_iter()
        .filter(|(p, _)| !p.starts_with("chat-app/"))
        .map(|(p, b)| {
            if p == ".exerciser-files" {
                let list = String::from_utf8(b).unwrap();
                let list: String = list
                    .lines()
                    .filter(|l| !l.starts_with("chat-app/"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                (p, list.into_bytes())
            } else {
                (p, b)
            }
        })
        .collect();
    assert_eq!(files(&out), expected);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_book_with_an_error_writes_nothing_and_says_where() {
    let root = scratch("broken");
    copy_book(&root);
    let page = root.join("src/sync-exercises/link-checker.md");
    let text = fs::read_to_string(&page).unwrap();
    let text = text.replace("<!-- File src/main.rs -->", "<!-- File ../../main.rs -->");
    fs::write(
        &page,
        text.replace(
            "<!-- File Cargo.toml -->\n\n",
            "<!-- File Cargo.toml -->\nText.\n\n",
        ),
    )
    .unwrap();
    let (output, destination) = render(&root);
    let log = stderr(&output);
    assert!(!output.status.success(), "{log}");
    assert!(
        log.contains("ERROR [exerciser] src/sync-exercises/link-checker.md:3: `<!-- File Cargo.toml -->` must be followed by a fenced code block, but a paragraph comes next"),
        "{log}"
    );
    assert!(
        log.contains("ERROR [exerciser] src/sync-exercises/link-checker.md:14: `../../main.rs` uses `..` and could leave the output folder"),
        "{log}"
    );
    assert!(
        log.contains("ERROR [exerciser] nothing written (2 problem(s))"),
        "{log}"
    );
    assert!(files(&destination).is_empty(), "nothing written");
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_bad_option_is_an_error_naming_it() {
    let root = scratch("option");
    copy_book(&root);
    let toml = root.join("book.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(&toml, text.replace("output-directory", "output_directory")).unwrap();
    let (output, destination) = render(&root);
    let log = stderr(&output);
    assert!(!output.status.success(), "{log}");
    assert!(
        log.contains(
            "ERROR [exerciser] book.toml: Failed to deserialize `output.exerciser`: unknown field `output_directory`, expected one of `output-directory`, `layout`, `command`, `optional`"
        ),
        "{log}"
    );
    assert!(files(&destination).is_empty(), "nothing written");
    fs::remove_dir_all(&root).unwrap();
}
