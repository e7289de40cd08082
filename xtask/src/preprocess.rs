//! `cargo xtask book-preprocessor`: the book's own mdBook preprocessor
//! (`[preprocessor.course]` in book.toml), for the HTML book only. It runs
//! before mdBook expands `{{#include}}`, while a code block still says which
//! file it shows, and only adds to the page:
//!
//! - a caption over each listing that comes from a file: the file's path
//!   (a link to it when the book knows its repository), and a mark on the
//!   listings that do not compile (`compile_fail`) or in which a thread
//!   panics (the info-string attribute `panics`, which `mdbook test` and
//!   rustdoc ignore);
//! - a box around each diagram (an included `.svg`), which scrolls
//!   sideways on a narrow screen;
//! - a label over each block that shows a compiler error (an included
//!   `.stderr` snapshot), "rustc 1.95 says", and over each program output
//!   (an included `.stdout` or `.lines` file);
//! - on a quiz page, the quiz once more as plain text, shown only in print:
//!   the questions, then the answers;
//! - where the book is published (`output.html.git-repository-url` is set,
//!   see `site.rs`), the repository's address in place of
//!   `<this repository>`, and the text of `<!-- published: TEXT -->`
//!   comments, with `{repository_url}` and `{repository}` filled in.
//!
//! It never changes a code block, so what `mdbook test` and the exerciser
//! see (they do not run it) is what the page shows.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

/// What the preprocessor needs to know about the book.
#[derive(Debug, Default)]
pub struct Settings {
    /// The book's source folder, relative to the repository root (`src`).
    pub src: String,
    /// The book's root folder (the repository root), for reading quizzes.
    pub root: PathBuf,
    /// `https://github.com/owner/name`, on the published book only.
    pub repository_url: Option<String>,
    /// The pinned compiler, such as `1.95`, from `rust-toolchain.toml`.
    pub rustc: Option<String>,
}

/// `cargo xtask book-preprocessor [supports RENDERER]`.
pub fn run(args: &[String]) -> Result<(), String> {
    if let [supports, renderer] = args
        && supports == "supports"
    {
        // Exit status 0: this renderer is supported.
        if renderer == "html" {
            return Ok(());
        }
        std::process::exit(1);
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read the book from stdin: {e}"))?;
    let value: Value =
        serde_json::from_str(&input).map_err(|e| format!("the book is not JSON: {e}"))?;
    let Value::Array(mut pair) = value else {
        return Err("expected [context, book] on stdin".into());
    };
    if pair.len() != 2 {
        return Err("expected [context, book] on stdin".into());
    }
    let mut book = pair.pop().unwrap();
    let settings = settings_from(&pair[0]);
    let mut problems = Vec::new();
    if let Some(items) = book.get_mut("items") {
        walk(items, &settings, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    println!("{book}");
    Ok(())
}

fn settings_from(context: &Value) -> Settings {
    let root = PathBuf::from(context["root"].as_str().unwrap_or("."));
    let config = &context["config"];
    let src = config["book"]["src"].as_str().unwrap_or("src").to_owned();
    let repository_url = config["output"]["html"]["git-repository-url"]
        .as_str()
        .map(|s| s.trim_end_matches('/').to_owned());
    let rustc = std::fs::read_to_string(root.join("rust-toolchain.toml"))
        .ok()
        .and_then(|text| toolchain_version(&text));
    Settings {
        src,
        root,
        repository_url,
        rustc,
    }
}

/// `1.95` for `channel = "1.95.0"`; `None` for a channel such as `stable`.
fn toolchain_version(text: &str) -> Option<String> {
    let table: toml::Table = text.parse().ok()?;
    let channel = table.get("toolchain")?.get("channel")?.as_str()?;
    let mut parts = channel.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (numeric(major) && numeric(minor)).then(|| format!("{major}.{minor}"))
}

/// Processes every chapter in a list of book items, depth first.
fn walk(items: &mut Value, settings: &Settings, problems: &mut Vec<String>) {
    let Some(items) = items.as_array_mut() else {
        return;
    };
    for item in items {
        let Some(chapter) = item.get_mut("Chapter") else {
            continue;
        };
        let path = chapter["source_path"]
            .as_str()
            .or(chapter["path"].as_str())
            .map(str::to_owned);
        if let (Some(path), Some(content)) = (path, chapter["content"].as_str()) {
            match page(content, &path, settings) {
                Ok(new) => chapter["content"] = Value::String(new),
                Err(e) => problems.push(format!("{}/{path}: {e}", settings.src)),
            }
        }
        if let Some(sub) = chapter.get_mut("sub_items") {
            walk(sub, settings, problems);
        }
    }
}

/// One fenced code block, as found in the page.
struct Fence<'a> {
    indent: &'a str,
    info: Vec<&'a str>,
    /// The lines from the opening fence to the closing one, both included.
    lines: Vec<&'a str>,
}

impl Fence<'_> {
    fn language(&self) -> &str {
        self.info.first().copied().unwrap_or("")
    }
    fn has(&self, attribute: &str) -> bool {
        self.info.iter().skip(1).any(|a| *a == attribute)
    }
    /// The file of the first `{{#include}}` or `{{#rustdoc_include}}` in
    /// the block, without its anchor or line range.
    fn included(&self) -> Option<&str> {
        self.lines[1..].iter().find_map(|line| {
            let rest = line.trim().strip_prefix("{{#")?;
            let rest = rest
                .strip_prefix("rustdoc_include ")
                .or_else(|| rest.strip_prefix("include "))?;
            let rest = rest.trim_start().strip_suffix("}}")?.trim_end();
            Some(rest.split(':').next().unwrap_or(rest))
        })
    }
}

/// The opening fence of a code block: its indentation, fence and info.
fn opening(line: &str) -> Option<(&str, &str, &str)> {
    let trimmed = line.trim_start_matches(' ');
    let indent = &line[..line.len() - trimmed.len()];
    for mark in ['`', '~'] {
        let count = trimmed.chars().take_while(|&c| c == mark).count();
        if count >= 3 {
            let info = trimmed[count..].trim();
            if mark == '`' && info.contains('`') {
                return None;
            }
            return Some((indent, &trimmed[..count], info));
        }
    }
    None
}

fn closes(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    let mark = fence.chars().next().unwrap_or('`');
    trimmed.len() >= fence.len() && trimmed.chars().all(|c| c == mark)
}

/// The page with its additions. `path` is the page's file, relative to the
/// book's source folder.
pub fn page(content: &str, path: &str, settings: &Settings) -> Result<String, String> {
    let dir = Path::new(path).parent().unwrap_or(Path::new(""));
    let content = published(content, settings);
    let lines: Vec<&str> = content.split_inclusive('\n').collect();
    let mut out = String::with_capacity(content.len() + 1024);
    let mut starter: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some((indent, fence, info)) = opening(line) else {
            let trimmed = line.trim();
            if let Some(file) = trimmed
                .strip_prefix("<!-- File ")
                .and_then(|r| r.strip_suffix("-->"))
            {
                starter = Some(format!("exercises/{}", file.trim()));
            } else if !trimmed.is_empty() {
                starter = None;
            }
            if let Some(quiz) = trimmed
                .strip_prefix("{{#quiz ")
                .and_then(|r| r.strip_suffix("}}"))
            {
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push('\n');
                }
                let file = settings
                    .root
                    .join(&settings.src)
                    .join(dir)
                    .join(quiz.trim());
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| format!("cannot read the quiz {}: {e}", file.display()))?;
                out.push_str(&quiz_for_print(&text).map_err(|e| format!("{quiz}: {e}"))?);
            } else if trimmed.starts_with("{{#include ") && trimmed.ends_with(".svg}}") {
                // A diagram scrolls in a box of its own on a narrow screen.
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!(
                    "{indent}<div class=\"diagram-scroll\">\n{trimmed}\n{indent}</div>\n"
                ));
            } else {
                out.push_str(line);
            }
            i += 1;
            continue;
        };
        let mut end = i + 1;
        while end < lines.len() && !closes(lines[end], fence) {
            end += 1;
        }
        let last = end.min(lines.len() - 1);
        let block = Fence {
            indent,
            info: info.split([',', ' ']).filter(|s| !s.is_empty()).collect(),
            lines: lines[i..=last].to_vec(),
        };
        let file = starter.take().or_else(|| {
            block
                .included()
                .filter(|f| f.ends_with(".rs"))
                .map(|f| repository_path(&settings.src, dir, f))
        });
        let (before, after) = decoration(&block, file.as_deref(), settings);
        out.push_str(&before);
        for line in &block.lines {
            if block.language() == "console" || block.language() == "text" {
                out.push_str(&line.replace("<this repository>", &clone_url(settings)));
            } else {
                out.push_str(line);
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&after);
        i = last + 1;
    }
    Ok(out)
}

fn clone_url(settings: &Settings) -> String {
    settings
        .repository_url
        .clone()
        .unwrap_or_else(|| "<this repository>".to_owned())
}

/// `<!-- published: TEXT -->` becomes TEXT when the book knows its
/// repository; the comment may span lines.
fn published(text: &str, settings: &Settings) -> String {
    let Some(url) = &settings.repository_url else {
        return text.to_owned();
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!-- published:") {
        let Some(len) = rest[start..].find("-->") else {
            break;
        };
        let text = rest[start + "<!-- published:".len()..start + len].trim();
        let name = url.trim_start_matches("https://github.com/");
        out.push_str(&rest[..start]);
        out.push_str(
            &text
                .replace("{repository_url}", url)
                .replace("{repository}", name),
        );
        rest = &rest[start + len + 3..];
    }
    out.push_str(rest);
    out
}

/// `src/chapter-2/listings/x.rs` for `listings/x.rs` on a page in `chapter-2/`.
fn repository_path(src: &str, dir: &Path, file: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in Path::new(src).join(dir).join(file).components() {
        match component {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A path that a narrow screen may break after any `/`.
fn breakable(path: &str) -> String {
    escape(path).replace('/', "/<wbr>")
}

/// The HTML to put before and after a code block.
fn decoration(block: &Fence, file: Option<&str>, settings: &Settings) -> (String, String) {
    let indent = block.indent;
    let open = |class: &str, attributes: &str, caption: &str| {
        format!("{indent}<div class=\"{class}\"{attributes}>\n{indent}{caption}\n\n")
    };
    let close = format!("\n{indent}</div>\n");
    let stderr = block.included().filter(|f| f.ends_with(".stderr"));
    let output = block
        .included()
        .filter(|f| f.ends_with(".stdout") || f.ends_with(".lines"));
    match block.language() {
        "text" if stderr.is_some() => {
            let who = match &settings.rustc {
                Some(version) => format!("rustc {version}"),
                None => "rustc".to_owned(),
            };
            let caption = format!(
                "<p class=\"block-label rustc-label\"><span class=\"rustc-icon\" aria-hidden=\"true\"></span>{who} says</p>"
            );
            (open("rustc-output", "", &caption), close)
        }
        "text" if output.is_some() => {
            let label = if output.unwrap().ends_with(".lines") {
                "Output <span class=\"output-note\">(the lines may come in another order)</span>"
            } else {
                "Output"
            };
            let caption = format!("<p class=\"block-label output-label\">{label}</p>");
            (open("program-output", "", &caption), close)
        }
        "rust" => {
            let (kind, mark) = if block.has("compile_fail") {
                let codes: Vec<&str> = block
                    .info
                    .iter()
                    .copied()
                    .filter(|a| a.len() == 5 && a.starts_with('E'))
                    .collect();
                let codes = if codes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", codes.join(", "))
                };
                (
                    " does-not-compile",
                    format!(
                        "<span class=\"listing-mark\"><span class=\"mark-icon\" aria-hidden=\"true\"></span>Does not compile{codes}</span>"
                    ),
                )
            } else if block.has("panics") {
                (
                    " panics",
                    "<span class=\"listing-mark\"><span class=\"mark-icon\" aria-hidden=\"true\"></span>A thread in it panics, on purpose</span>".to_owned(),
                )
            } else {
                ("", String::new())
            };
            if file.is_none() && mark.is_empty() {
                return (String::new(), String::new());
            }
            let (attributes, name) = match file {
                Some(file) => {
                    let shown = match &settings.repository_url {
                        Some(url) => format!(
                            "<a href=\"{}/blob/HEAD/{}\"><code>{}</code></a>",
                            escape(url),
                            escape(file),
                            breakable(file)
                        ),
                        None => format!("<code>{}</code>", breakable(file)),
                    };
                    (
                        format!(" data-file=\"{}\"", escape(file)),
                        format!("<span class=\"listing-file\">Filename: {shown}</span>"),
                    )
                }
                None => (String::new(), String::new()),
            };
            let caption = format!("<p class=\"listing-caption\">{mark}{name}</p>");
            (
                open(&format!("listing{kind}"), &attributes, &caption),
                close,
            )
        }
        _ => (String::new(), String::new()),
    }
}

/// The quiz of `text` (mdbook-quiz's TOML) as Markdown for print: the
/// questions, then the answers. On screen it is hidden (theme/course.css),
/// and the search index never sees it (book.toml keeps quiz pages out).
pub fn quiz_for_print(text: &str) -> Result<String, String> {
    let quiz: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
    let questions = quiz
        .get("questions")
        .and_then(|q| q.as_array())
        .ok_or("no [[questions]]")?;
    let str_at = |q: &toml::Value, table: &str, key: &str| {
        q.get(table)
            .and_then(|t| t.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let mut asked = String::from(
        "\n<div class=\"quiz-print\">\n<p class=\"quiz-print-note\">The quiz, printed. On screen it asks one question at a time.</p>\n<ol class=\"quiz-print-questions\">\n",
    );
    let mut answers = String::from(
        "<div class=\"quiz-print-answers\">\n<p class=\"quiz-print-title\">Answers</p>\n<ol>\n",
    );
    for q in questions {
        let kind = q.get("type").and_then(|v| v.as_str()).unwrap_or("");
        asked.push_str("<li>\n\n");
        answers.push_str("<li>\n\n");
        match kind {
            "Tracing" => {
                let program = str_at(q, "prompt", "program")
                    .ok_or("a Tracing question without prompt.program")?;
                asked.push_str("Does this program compile? If it does, what does it print?\n\n");
                asked.push_str(&fenced("rust,noplayground", &program));
                let compiles = q
                    .get("answer")
                    .and_then(|a| a.get("doesCompile"))
                    .and_then(|v| v.as_bool())
                    .ok_or("a Tracing question without answer.doesCompile")?;
                if compiles {
                    let stdout = str_at(q, "answer", "stdout").unwrap_or_default();
                    answers.push_str("It compiles, and prints:\n\n");
                    answers.push_str(&fenced("text", &stdout));
                } else {
                    let line = q
                        .get("answer")
                        .and_then(|a| a.get("lineNumber"))
                        .and_then(|v| v.as_integer());
                    match line {
                        Some(n) => answers.push_str(&format!(
                            "It does not compile: the error is on line {n}.\n\n"
                        )),
                        None => answers.push_str("It does not compile.\n\n"),
                    }
                }
            }
            _ => {
                let prompt =
                    str_at(q, "prompt", "prompt").ok_or("a question without prompt.prompt")?;
                asked.push_str(prompt.trim_end());
                asked.push_str("\n\n");
                let answer = q.get("answer").and_then(|a| a.get("answer"));
                let right: Vec<String> = match answer {
                    Some(toml::Value::String(s)) => vec![s.clone()],
                    Some(toml::Value::Array(list)) => list
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                    _ => Vec::new(),
                };
                let distractors: Vec<String> = q
                    .get("prompt")
                    .and_then(|p| p.get("distractors"))
                    .and_then(|d| d.as_array())
                    .map(|d| {
                        d.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                if distractors.is_empty() {
                    answers.push_str(&right.join("; "));
                    answers.push_str("\n\n");
                } else {
                    // A fixed order that does not give the answer away.
                    let mut options: Vec<&String> = right.iter().chain(&distractors).collect();
                    options.sort();
                    asked.push_str("<ol type=\"a\">\n");
                    let mut letters = Vec::new();
                    for (n, option) in options.iter().enumerate() {
                        asked.push_str(&format!("<li>\n\n{}\n\n</li>\n", option.trim()));
                        if right.contains(option) {
                            letters.push(((b'a' + n as u8) as char, option.trim()));
                        }
                    }
                    asked.push_str("</ol>\n\n");
                    for (letter, option) in letters {
                        answers.push_str(&format!("({letter}) {option}\n\n"));
                    }
                }
            }
        }
        if let Some(context) = q.get("context").and_then(|v| v.as_str()) {
            answers.push_str(context.trim_end());
            answers.push_str("\n\n");
        }
        asked.push_str("</li>\n");
        answers.push_str("</li>\n");
    }
    asked.push_str("</ol>\n");
    answers.push_str("</ol>\n</div>\n");
    Ok(format!("{asked}{answers}</div>\n"))
}

/// A fenced code block of `text`, with a fence longer than any run of
/// backticks inside it.
fn fenced(info: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let body = text.trim_end_matches('\n');
    format!("{fence}{info}\n{body}\n{fence}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            src: "src".into(),
            root: PathBuf::from("/nowhere"),
            repository_url: None,
            rustc: Some("1.95".into()),
        }
    }

    #[test]
    fn the_version_comes_from_the_toolchain_file() {
        let text = "[toolchain]\nchannel = \"1.95.0\"\ncomponents = [\"clippy\"]\n";
        assert_eq!(toolchain_version(text).as_deref(), Some("1.95"));
        assert_eq!(
            toolchain_version("[toolchain]\nchannel = \"stable\"\n"),
            None
        );
    }

    #[test]
    fn a_listing_gets_its_file_name_and_stays_as_it_was() {
        let page =
            "Text.\n\n```rust\n{{#rustdoc_include listings/move_vec.rs:move_vec}}\n```\n\nMore.\n";
        let out = super::page(page, "chapter-2/move.md", &settings()).unwrap();
        assert!(
            out.contains(
                "<div class=\"listing\" data-file=\"src/chapter-2/listings/move_vec.rs\">"
            )
        );
        assert!(
            out.contains(
                "Filename: <code>src/<wbr>chapter-2/<wbr>listings/<wbr>move_vec.rs</code>"
            )
        );
        assert!(out.contains(
            "\n\n```rust\n{{#rustdoc_include listings/move_vec.rs:move_vec}}\n```\n\n</div>\n"
        ));
        assert!(out.starts_with("Text.\n\n") && out.ends_with("\nMore.\n"));
    }

    #[test]
    fn an_exhibit_is_marked_and_its_error_labelled() {
        let page = "```rust,compile_fail,E0373,noplayground\n{{#include ../../compile-fail/chapter-2/exhibits/borrow_vec.rs}}\n```\n\n```text\n{{#include ../../compile-fail/chapter-2/exhibits/borrow_vec.stderr}}\n```\n";
        let out = super::page(page, "chapter-2/move.md", &settings()).unwrap();
        assert!(out.contains("<div class=\"listing does-not-compile\" data-file=\"compile-fail/chapter-2/exhibits/borrow_vec.rs\">"));
        assert!(out.contains("Does not compile (E0373)"));
        assert!(out.contains("<div class=\"rustc-output\">"));
        assert!(out.contains("rustc 1.95 says</p>"));
    }

    #[test]
    fn outputs_are_labelled_and_panics_marked() {
        let page = "```rust,panics\n{{#rustdoc_include listings/p.rs:all}}\n```\n\n```text\n{{#include listings/p.lines}}\n```\n";
        let out = super::page(page, "chapter-1/panics.md", &settings()).unwrap();
        assert!(out.contains("<div class=\"listing panics\""));
        assert!(out.contains("A thread in it panics"));
        assert!(out.contains("<div class=\"program-output\">"));
        assert!(out.contains("(the lines may come in another order)"));
    }

    #[test]
    fn a_starter_is_named_by_its_file_comment_and_keeps_its_indentation() {
        let page = "- item\n\n  <!-- File chapter-1/src/spawn_all.rs -->\n  ```rust,noplayground\n  fn f() {}\n  ```\n";
        let out = super::page(page, "chapter-1/ex.md", &settings()).unwrap();
        assert!(out.contains(
            "  <div class=\"listing\" data-file=\"exercises/chapter-1/src/spawn_all.rs\">\n  <p"
        ));
        assert!(out.contains("  ```rust,noplayground\n  fn f() {}\n  ```\n\n  </div>\n"));
    }

    #[test]
    fn other_blocks_are_left_alone() {
        let page = "```rust\nfn main() {}\n```\n\n```console\n$ git clone <this repository> x\n```\n<!-- published: see {repository_url} -->\n";
        let out = super::page(page, "introduction.md", &settings()).unwrap();
        assert_eq!(out, page);
    }

    #[test]
    fn the_published_book_names_its_repository() {
        let mut s = settings();
        s.repository_url = Some("https://github.com/someone/course".into());
        let page = "Clone it<!-- published: , from\n[{repository}]({repository_url}) -->.\n\n```console\n$ git clone <this repository> x\n```\n\n```rust\n{{#include listings/a.rs}}\n```\n";
        let out = super::page(page, "introduction.md", &s).unwrap();
        assert!(
            out.starts_with(
                "Clone it, from\n[someone/course](https://github.com/someone/course).\n"
            )
        );
        assert!(out.contains("$ git clone https://github.com/someone/course x\n"));
        assert!(out.contains(
            "<a href=\"https://github.com/someone/course/blob/HEAD/src/listings/a.rs\">"
        ));
    }

    #[test]
    fn a_diagram_gets_a_box_of_its_own() {
        let page =
            "<figure>\n{{#include diagrams/scope.svg}}\n<figcaption>A.</figcaption>\n</figure>\n";
        let out = super::page(page, "chapter-2/scoped.md", &settings()).unwrap();
        assert_eq!(
            out,
            "<figure>\n<div class=\"diagram-scroll\">\n{{#include diagrams/scope.svg}}\n</div>\n<figcaption>A.</figcaption>\n</figure>\n"
        );
    }

    #[test]
    fn paths_are_resolved_from_the_page() {
        assert_eq!(
            repository_path(
                "src",
                Path::new("chapter-5"),
                "../../compile-fail/chapter-5/exhibits/x.rs"
            ),
            "compile-fail/chapter-5/exhibits/x.rs"
        );
        assert_eq!(
            repository_path("src", Path::new(""), "chapter-1/quiz.toml"),
            "src/chapter-1/quiz.toml"
        );
    }

    #[test]
    fn a_quiz_prints_its_questions_then_its_answers() {
        let quiz = r#"
[[questions]]
id = "a"
type = "Tracing"
prompt.program = """
fn main() { println!("hi"); }
"""
answer.doesCompile = true
answer.stdout = "hi\n"
context = "It prints."

[[questions]]
id = "b"
type = "MultipleChoice"
prompt.prompt = "Which?"
prompt.distractors = ["zebra", "apple"]
answer.answer = "mango"
context = "Because."
"#;
        let out = quiz_for_print(quiz).unwrap();
        let asked = out.find("Does this program compile?").unwrap();
        let options = out.find("<li>\n\napple\n\n</li>\n<li>\n\nmango").unwrap();
        let answers = out.find("Answers").unwrap();
        assert!(asked < options && options < answers);
        assert!(out.contains("```rust,noplayground\nfn main() { println!(\"hi\"); }\n```"));
        assert!(out[answers..].contains("It compiles, and prints:\n\n```text\nhi\n```"));
        assert!(out[answers..].contains("(b) mango\n\nBecause."));
    }

    #[test]
    fn a_fence_outlasts_the_backticks_inside() {
        assert_eq!(fenced("text", "a ``` b\n"), "````text\na ``` b\n````\n\n");
    }
}
