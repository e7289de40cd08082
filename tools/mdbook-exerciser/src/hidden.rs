//! Hidden lines: mdBook hides some lines of a code block and shows them on
//! request, without their marking. A starter holds every line as mdBook
//! shows it then, so that it compiles.
//!
//! - Rust (`rust` blocks): a line `# code` or `#` is hidden, and `##code`
//!   stands for `#code`;
//! - another language: lines that start with the prefix its info string
//!   gives (`hidelines=~`), else the prefix `[output.html.code.hidelines]`
//!   gives for that language.

use std::collections::HashMap;

/// The code of a block with info string `info`, as a starter file holds it.
pub(crate) fn unhide(info: &str, code: &str, prefixes: &HashMap<String, String>) -> String {
    let mut words = info.split([' ', '\t', ',']).filter(|w| !w.is_empty());
    let language = words.next().unwrap_or_default();
    let prefix = words
        .find_map(|w| w.strip_prefix("hidelines="))
        .or_else(|| prefixes.get(language).map(String::as_str))
        .filter(|p| !p.is_empty());
    if language != "rust" && prefix.is_none() {
        return code.to_owned();
    }
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let text = body.trim_start();
        let shown = if language == "rust" {
            rust_line(text)
        } else {
            prefix.and_then(|p| text.strip_prefix(p))
        };
        if shown.is_some() {
            out.push_str(&body[..body.len() - text.len()]); // the indent
        }
        out.push_str(shown.unwrap_or(body));
        out.push_str(newline);
    }
    out
}

/// A Rust line (without its indent) as mdBook shows it: the hidden lines
/// `# code` and `#` as `code` and an empty line, `##code` as `#code`;
/// `None` for a line shown as it is.
fn rust_line(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('#')?;
    if rest.is_empty() || rest.starts_with('#') {
        Some(rest)
    } else {
        rest.strip_prefix(' ')
    }
}
