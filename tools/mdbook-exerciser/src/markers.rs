//! The convention itself: in one page of Markdown, every `<!-- File PATH -->`
//! comment and the fenced code block that follows it.
//!
//! Between a marker and its block there may be blank lines and other HTML
//! comments (`<!-- mdbook-xgettext: skip -->`), nothing else.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// A marker, with its code block or the reason it has none.
#[derive(Debug)]
pub(crate) struct Marker {
    /// The path as the marker names it, without surrounding whitespace.
    pub path: String,
    /// Where the marker starts in the page, in bytes.
    pub offset: usize,
    pub block: Result<Block, String>,
}

/// A fenced code block: its info string (`rust,editable`) and its text.
#[derive(Debug, PartialEq)]
pub(crate) struct Block {
    pub info: String,
    pub code: String,
}

/// Every marker of the page, in order.
pub(crate) fn scan(page: &str) -> Vec<Marker> {
    let mut found = Vec::new();
    let mut open: Option<Marker> = None; // waiting for its block
    let mut code: Option<Block> = None; // the block of `open`, being read
    let mut html: Option<(String, usize)> = None; // an HTML block, being read
    let mut marker_line: Option<(String, usize)> = None; // a marker inside it

    for (event, range) in Parser::new(page).into_offset_iter() {
        if let Some(block) = code.as_mut() {
            match event {
                Event::Text(text) => block.code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let mut marker = open.take().expect("a block is read for a marker");
                    marker.block = Ok(code.take().expect("a block is being read"));
                    found.push(marker);
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::HtmlBlock) => html = Some((String::new(), range.start)),
            Event::Html(text) => {
                if let Some((block, _)) = html.as_mut() {
                    block.push_str(&text);
                }
                if let Some(path) = marker_path(&text).filter(|_| marker_line.is_none()) {
                    marker_line = Some((path.to_owned(), range.start));
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let (text, start) = html.take().unwrap_or_default();
                let inside = marker_line.take();
                if let Some(path) = marker_path(&text) {
                    close(&mut open, &mut found, "another File marker");
                    open = Some(Marker::new(path, start));
                } else if let Some((path, offset)) = inside {
                    close(&mut open, &mut found, "HTML");
                    let why = "shares its HTML block with other HTML; put a blank line before and after it";
                    found.push(Marker::failed(&path, offset, why));
                } else if comment_or_blank(&text).is_none() {
                    close(&mut open, &mut found, "HTML");
                }
            }
            Event::InlineHtml(text) if marker_path(&text).is_some() => {
                close(&mut open, &mut found, "another File marker");
                let path = marker_path(&text).unwrap_or_default();
                let why = "stands inside a paragraph; put it on a line of its own";
                found.push(Marker::failed(path, range.start, why));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if open.is_some() => {
                code = Some(Block {
                    info: info.into_string(),
                    code: String::new(),
                });
            }
            Event::SoftBreak | Event::HardBreak => {}
            Event::Text(text) if text.trim().is_empty() => {}
            other => close(&mut open, &mut found, describe(&other)),
        }
    }
    close(&mut open, &mut found, "the end of the page");
    found
}

impl Marker {
    fn new(path: &str, offset: usize) -> Marker {
        let path = path.to_owned();
        let block = Err(String::new()); // until its block or `close`
        Marker {
            path,
            offset,
            block,
        }
    }

    fn failed(path: &str, offset: usize, why: &str) -> Marker {
        let mut marker = Marker::new(path, offset);
        marker.block = Err(format!("`<!-- File {path} -->` {why}"));
        marker
    }
}

/// Ends the open marker, if any, without a block: `next` came instead.
fn close(open: &mut Option<Marker>, found: &mut Vec<Marker>, next: &str) {
    if let Some(mut marker) = open.take() {
        marker.block = Err(format!(
            "`<!-- File {} -->` must be followed by a fenced code block, but {next} comes next",
            marker.path
        ));
        found.push(marker);
    }
}

/// The inside of one HTML comment (`<!-- ... -->`), or `""` for blank HTML
/// (a line ending that the parser hands over on its own).
fn comment_or_blank(html: &str) -> Option<&str> {
    let html = html.trim();
    if html.is_empty() {
        return Some(html);
    }
    let inner = html.strip_prefix("<!--")?.strip_suffix("-->")?;
    // `<!-- a --> <b> <!-- c -->` is more than one comment.
    (!inner.contains("-->")).then_some(inner)
}

/// The path in `<!-- File PATH -->`; `<!-- File -->` gives an empty path,
/// `<!-- Filesystem notes -->` is not a marker.
pub(crate) fn marker_path(html: &str) -> Option<&str> {
    let rest = comment_or_blank(html)?.trim_start().strip_prefix("File")?;
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| rest.trim())
}

fn describe(event: &Event<'_>) -> &'static str {
    match event {
        Event::Start(Tag::Paragraph) | Event::Text(_) => "a paragraph",
        Event::Start(Tag::Heading { .. }) => "a heading",
        Event::Start(Tag::List(_)) => "a list",
        Event::Start(Tag::BlockQuote(_)) => "a block quote",
        Event::Start(Tag::Table(_)) => "a table",
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => "an indented code block",
        Event::Html(_) | Event::InlineHtml(_) => "HTML",
        Event::Rule => "a horizontal rule",
        Event::End(_) => "the end of the enclosing list or quote",
        _ => "something else",
    }
}
