//! What the companion reads from the book: the sections and their numbers
//! (`src/SUMMARY.md`, numbered as mdBook numbers them), the starter code
//! block of an exercise page (the block after `<!-- File PATH -->`, with
//! mdBook's hidden lines shown, as the exerciser writes it), and the page's
//! hints (its `<details><summary>Hint K</summary>` blocks).

/// One entry of SUMMARY.md.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// As the book numbers it, `3.8.2`; `None` for an unnumbered page
    /// (the introduction).
    pub number: Option<String>,
    pub title: String,
    /// The page, relative to `src/` (`chapter-3/ex-fan-in.md`).
    pub path: String,
}

/// The sections of SUMMARY.md in order, numbered as mdBook numbers them:
/// the top-level items of the numbered list are 1, 2, ...; their children
/// 1.1, 1.2, ...; prefix and suffix chapters (outside the list) have no
/// number. Draft chapters (`[Title]()`) are left out.
pub fn sections(summary: &str) -> Vec<Section> {
    let mut out = Vec::new();
    // The indentation of each open list level, and each level's counter.
    let mut indents: Vec<usize> = Vec::new();
    let mut counters: Vec<u32> = Vec::new();
    let mut in_code = false;
    for line in summary.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .map(str::trim_start);
        match item {
            Some(item) => {
                while indents.last().is_some_and(|&top| indent < top) {
                    indents.pop();
                }
                if indents.last().is_none_or(|&top| indent > top) {
                    indents.push(indent);
                }
                let level = indents.len();
                counters.truncate(level);
                counters.resize(level, 0);
                counters[level - 1] += 1;
                if let Some((title, path)) = link(item) {
                    let number = counters
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(".");
                    out.push(Section {
                        number: Some(number),
                        title,
                        path,
                    });
                }
            }
            None => {
                if let Some((title, path)) = link(trimmed) {
                    out.push(Section {
                        number: None,
                        title,
                        path,
                    });
                }
            }
        }
    }
    out
}

/// `[Title](path)` -> (title, path); `None` for anything else, and for a
/// draft chapter without a path.
fn link(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix('[')?;
    let close = rest.rfind("](")?;
    let title = &rest[..close];
    let after = &rest[close + 2..];
    let end = after.find(')')?;
    let path = after[..end].trim();
    if path.is_empty() {
        return None;
    }
    Some((title.to_owned(), path.to_owned()))
}

/// A starter block of a page: the path its marker names (relative to
/// `exercises/`) and the file's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Starter {
    pub path: String,
    pub text: String,
}

/// The path a `<!-- File PATH -->` line names.
fn marker(line: &str) -> Option<&str> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim_start();
    let path = inner.strip_prefix("File")?;
    if !path.starts_with(char::is_whitespace) {
        return None;
    }
    let path = path.trim();
    (!path.is_empty()).then_some(path)
}

/// A fence line: its character, its length, its indentation and the info
/// string after it.
fn fence(line: &str) -> Option<(char, usize, usize, &str)> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    if indent > 3 {
        return None;
    }
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|x| *x == c).count();
    if length < 3 {
        return None;
    }
    Some((c, length, indent, trimmed[length..].trim()))
}

/// Every starter block of a page, in order: the fenced code block right
/// after each `<!-- File PATH -->` line (blank lines and other HTML comments
/// may stand between them). The text is the block with mdBook's hidden Rust
/// lines shown (`# code` as `code`, `#` as an empty line, `##x` as `#x`), as
/// the exerciser writes it to `exercises/`.
pub fn starters(page: &str) -> Vec<Starter> {
    let lines: Vec<&str> = page.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_code: Option<(char, usize)> = None;
    while i < lines.len() {
        let line = lines[i];
        if let Some((c, n)) = in_code {
            if fence(line).is_some_and(|(fc, fl, _, info)| fc == c && fl >= n && info.is_empty()) {
                in_code = None;
            }
            i += 1;
            continue;
        }
        let Some(path) = marker(line) else {
            if let Some((c, n, _, _)) = fence(line) {
                in_code = Some((c, n));
            }
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < lines.len() && {
            let t = lines[j].trim();
            t.is_empty() || (t.starts_with("<!--") && t.ends_with("-->") && marker(t).is_none())
        } {
            j += 1;
        }
        let Some((c, n, indent, info)) = lines.get(j).and_then(|l| fence(l)) else {
            i = j;
            continue;
        };
        let rust = info
            .split([' ', '\t', ','])
            .find(|w| !w.is_empty())
            .is_some_and(|w| w == "rust");
        let mut text = String::new();
        let mut k = j + 1;
        while k < lines.len() {
            let line = lines[k];
            if fence(line).is_some_and(|(fc, fl, _, info)| fc == c && fl >= n && info.is_empty()) {
                break;
            }
            // Content lines lose up to the fence's indentation.
            let strip = line.len() - line.trim_start_matches(' ').len();
            let line = &line[strip.min(indent)..];
            text.push_str(&if rust { unhide(line) } else { line.to_owned() });
            text.push('\n');
            k += 1;
        }
        out.push(Starter {
            path: path.to_owned(),
            text,
        });
        i = k + 1;
    }
    out
}

/// A Rust line as mdBook shows it with hidden lines revealed.
fn unhide(line: &str) -> String {
    let text = line.trim_start();
    let indent = &line[..line.len() - text.len()];
    let Some(rest) = text.strip_prefix('#') else {
        return line.to_owned();
    };
    if rest.is_empty() || rest.starts_with('#') {
        format!("{indent}{rest}")
    } else if let Some(code) = rest.strip_prefix(' ') {
        format!("{indent}{code}")
    } else {
        line.to_owned()
    }
}

/// One hint of a page: its summary (`Hint 1`, `Hint 2: parallel_map`) and
/// its Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    pub summary: String,
    pub text: String,
}

/// The page's hints, in order: every `<details>` block whose `<summary>`
/// starts with "Hint".
pub fn hints(page: &str) -> Vec<Hint> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<details>") {
        let block = &rest[start + "<details>".len()..];
        let Some(end) = block.find("</details>") else {
            break;
        };
        let inner = &block[..end];
        rest = &block[end + "</details>".len()..];
        let Some(open) = inner.find("<summary>") else {
            continue;
        };
        let Some(close) = inner.find("</summary>") else {
            continue;
        };
        let summary = inner[open + "<summary>".len()..close].trim();
        if !summary.starts_with("Hint") {
            continue;
        }
        out.push(Hint {
            summary: summary.to_owned(),
            text: inner[close + "</summary>".len()..].trim().to_owned(),
        });
    }
    out
}

/// Markdown for a terminal: each link `[text](target)` becomes `text
/// (URL)`, where `resolve` turns the target into an address, or just `text`
/// when it gives none; emphasis markers stay as they are. A link that
/// stands inside parentheses already (`see ([6.1 What an atomic gives
/// you](atomics.md))`) becomes `text, URL`, so that no parentheses are ever
/// nested: `(6.1 What an atomic gives you, http://…/atomics.html)`. Links in
/// code spans stay as they are.
pub fn plain_links(markdown: &str, resolve: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut parens = Parens::default();
    let mut rest = markdown;
    while let Some(open) = rest.find('[') {
        let before = &rest[..open];
        parens.read(before);
        out.push_str(before);
        let after = &rest[open + 1..];
        let parsed = after.find("](").and_then(|close| {
            let text = &after[..close];
            if parens.in_code || text.contains('[') || text.contains('\n') {
                return None;
            }
            let target_start = &after[close + 2..];
            let end = target_start.find(')')?;
            Some((text, &target_start[..end], close + 2 + end + 1))
        });
        match parsed {
            Some((text, target, used)) => {
                parens.read(text);
                out.push_str(text);
                if let Some(url) = resolve(target) {
                    if parens.depth == 0 {
                        out.push_str(" (");
                        out.push_str(&url);
                        out.push(')');
                    } else {
                        out.push_str(", ");
                        out.push_str(&url);
                    }
                }
                rest = &after[used..];
            }
            None => {
                parens.read("[");
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// How many parentheses are open at a point of a Markdown text, outside
/// code spans; a blank line closes them all.
#[derive(Default)]
struct Parens {
    depth: usize,
    in_code: bool,
    newline: bool,
}

impl Parens {
    fn read(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '\n' if self.newline => {
                    self.depth = 0;
                    self.in_code = false;
                }
                '`' => self.in_code = !self.in_code,
                '(' if !self.in_code => self.depth += 1,
                ')' if !self.in_code => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            if c == '\n' {
                self.newline = true;
            } else if !c.is_whitespace() {
                self.newline = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "# Summary\n\n[Introduction](introduction.md)\n\n---\n\n\
        - [Threads](chapter-1/index.md)\n  - [Why](chapter-1/why.md)\n  \
        - [Exercises](chapter-1/exercises.md)\n    - [Spawn them all](chapter-1/ex-spawn-all.md)\n    \
        - [Sum in parts](chapter-1/ex-parallel-sum.md)\n  - [Quiz](chapter-1-quiz.md)\n\
        - [Ownership across threads](chapter-2/index.md)\n  - [Other ways to get `'static` data](chapter-2/static.md)\n\
        - [Draft]()\n";

    #[test]
    fn numbers_sections_as_mdbook_does() {
        let s = sections(SUMMARY);
        let got: Vec<(Option<&str>, &str)> = s
            .iter()
            .map(|s| (s.number.as_deref(), s.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (None, "introduction.md"),
                (Some("1"), "chapter-1/index.md"),
                (Some("1.1"), "chapter-1/why.md"),
                (Some("1.2"), "chapter-1/exercises.md"),
                (Some("1.2.1"), "chapter-1/ex-spawn-all.md"),
                (Some("1.2.2"), "chapter-1/ex-parallel-sum.md"),
                (Some("1.3"), "chapter-1-quiz.md"),
                (Some("2"), "chapter-2/index.md"),
                (Some("2.1"), "chapter-2/static.md"),
            ]
        );
        assert_eq!(s[8].title, "Other ways to get `'static` data");
    }

    const PAGE: &str = "# Many producers\n\nFill in:\n\n<!-- File chapter-3/src/fan_in.rs -->\n\
        <!-- mdbook-xgettext: skip -->\n\n```rust,noplayground\n# use std::sync::mpsc;\n#\nfn x() {\n    ##[allow(x)]\n    \
        todo!()\n}\n```\n\nText with `<!-- File no.rs -->` inline.\n\n```text\n<!-- File not/a/marker.rs -->\n```\n\n\
        <details>\n<summary>Hint 1</summary>\n\nMake the channel ([3.4](closing.md#the-classic-hang)).\n\n</details>\n\n\
        <details>\n<summary>Not a hint</summary>\nx\n</details>\n\
        <details>\n<summary>Hint 2: drop</summary>\n\nDrop the `Sender`.\n</details>\n";

    #[test]
    fn reads_the_starter_with_hidden_lines_shown() {
        assert_eq!(
            starters(PAGE),
            [Starter {
                path: "chapter-3/src/fan_in.rs".into(),
                text: "use std::sync::mpsc;\n\nfn x() {\n    #[allow(x)]\n    todo!()\n}\n".into(),
            }]
        );
    }

    #[test]
    fn a_marker_without_a_block_gives_nothing() {
        assert!(starters("<!-- File a.rs -->\n\nSome text.\n").is_empty());
        assert!(starters("<!-- Filesystem -->\n```rust\nx\n```\n").is_empty());
    }

    #[test]
    fn reads_the_hints_in_order() {
        let h = hints(PAGE);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].summary, "Hint 1");
        assert_eq!(
            h[0].text,
            "Make the channel ([3.4](closing.md#the-classic-hang))."
        );
        assert_eq!(h[1].summary, "Hint 2: drop");
        assert_eq!(h[1].text, "Drop the `Sender`.");
    }

    #[test]
    fn links_become_text_and_address() {
        let out = plain_links(
            "See [3.4](closing.md#hang) and [Chapter 1](../chapter-1/index.md), [x] and a[0].",
            |t| (t == "closing.md#hang").then(|| "http://h/closing.html#hang".to_owned()),
        );
        assert_eq!(
            out,
            "See 3.4 (http://h/closing.html#hang) and Chapter 1, [x] and a[0]."
        );
    }

    #[test]
    fn a_link_in_parentheses_adds_none() {
        let url = |t: &str| Some(format!("http://localhost:3000/chapter-6/{t}"));
        assert_eq!(
            plain_links(
                "both see `true` ([6.1 What an atomic gives you](atomics.md)). Read",
                url
            ),
            "both see `true` (6.1 What an atomic gives you, \
             http://localhost:3000/chapter-6/atomics.md). Read"
        );
        assert_eq!(
            plain_links(
                "E0597 ([2.2 Move](move.md), [2.3 After](after.md#x)), then",
                url
            ),
            "E0597 (2.2 Move, http://localhost:3000/chapter-6/move.md, \
             2.3 After, http://localhost:3000/chapter-6/after.md#x), then"
        );
        // Parentheses closed before the link, in code, or in an earlier
        // paragraph do not count; a link in a code span stays as it is.
        assert_eq!(
            plain_links("(a) `f(` [6.1](a.md) `[x](y)`\n\n(open\n\n[6.2](b.md)", url),
            "(a) `f(` 6.1 (http://localhost:3000/chapter-6/a.md) `[x](y)`\n\n(open\n\n\
             6.2 (http://localhost:3000/chapter-6/b.md)"
        );
    }

    /// The deepest nesting of parentheses outside code spans.
    fn deepest(text: &str) -> usize {
        let mut parens = Parens::default();
        let mut most = 0;
        for c in text.chars() {
            parens.read(c.encode_utf8(&mut [0; 4]));
            most = most.max(parens.depth);
        }
        most
    }

    #[test]
    fn no_hint_of_the_book_gets_nested_parentheses() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src");
        let mut checked = 0;
        for chapter in std::fs::read_dir(&src).unwrap() {
            let dir = chapter.unwrap().path();
            let Ok(pages) = std::fs::read_dir(&dir) else {
                continue;
            };
            for page in pages {
                let page = page.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&page) else {
                    continue;
                };
                for hint in hints(&text) {
                    let bare = plain_links(&hint.text, |_| None);
                    let shown =
                        plain_links(&hint.text, |t| Some(format!("http://localhost:3000/{t}")));
                    // A link's own parentheses, where there were none.
                    assert!(
                        deepest(&shown) <= deepest(&bare).max(1),
                        "{}: {shown}",
                        page.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "{checked} hints");
    }
}
