//! One source per exercise. The reference solution
//! `solutions/chapter-N/src/EXERCISE.rs` is the only place where an
//! exercise's given code (types, helpers, signatures, doc comments) is
//! written. The learner's answer regions are marked in it:
//!
//! ```text
//!     pub fn get(&self, name: &str) -> u64 {
//!         // ANSWER: todo!("Stats::get (book: 4.1 A mutex and its guard)")
//!         self.counters.lock().unwrap().get(name).copied().unwrap_or(0)
//!         // END ANSWER
//!     }
//! ```
//!
//! The starter is the source with each region, from its first `// ANSWER`
//! line to its `// END ANSWER` line, replaced by the text of its
//! `// ANSWER: ...` lines, each at its marker's indentation (a bare
//! `// ANSWER` gives no line: for code only the answer needs, such as an
//! import). From it, `cargo xtask write-starters` writes
//! `exercises/chapter-N/src/EXERCISE.rs` and the starter's code block in the
//! exercise's page (after `<!-- File chapter-N/src/EXERCISE.rs -->`), and
//! verify fails, naming the file, when either differs from what the source
//! gives.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::project;

const OPEN: &str = "// ANSWER";
const CLOSE: &str = "// END ANSWER";

/// The starter that `source` gives. `origin` names the file in errors.
pub fn starter(source: &str, origin: &str) -> Result<String, String> {
    let mut out = String::with_capacity(source.len());
    // The line where the open region started, if any; and whether its
    // `// ANSWER:` lines are still being read.
    let mut open: Option<usize> = None;
    let mut reading_answer_lines = false;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let body = line.strip_suffix('\n').unwrap_or(line);
        let trimmed = body.trim_start();
        let indent = &body[..body.len() - trimmed.len()];
        if trimmed == CLOSE {
            if open.take().is_none() {
                return Err(format!(
                    "{origin}:{number}: `{CLOSE}` without an `{OPEN}` before it"
                ));
            }
            reading_answer_lines = false;
            continue;
        }
        let marker = trimmed
            .strip_prefix(OPEN)
            .filter(|rest| rest.is_empty() || rest.starts_with(':'));
        if let Some(rest) = marker {
            match open {
                Some(start) if !reading_answer_lines => {
                    return Err(format!(
                        "{origin}:{number}: `{OPEN}` inside the region opened at line {start}; \
                         close it with `{CLOSE}` first"
                    ));
                }
                Some(_) => {}
                None => {
                    open = Some(number);
                    reading_answer_lines = true;
                }
            }
            if let Some(text) = rest.strip_prefix(':') {
                // `// ANSWER: text` -> `text`; `// ANSWER:` -> an empty line.
                let text = text.strip_prefix(' ').unwrap_or(text);
                if text.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "{indent}{text}");
                }
            }
            continue;
        }
        if open.is_some() {
            // The answer itself: not in the starter.
            reading_answer_lines = false;
            continue;
        }
        out.push_str(line);
    }
    if let Some(start) = open {
        return Err(format!(
            "{origin}:{start}: the region opened here has no `{CLOSE}`"
        ));
    }
    Ok(out)
}

/// The exercise source files of a chapter's reference solution, relative to
/// its `src/`, with the starters they give.
pub fn starters_of(chapter: u32) -> Result<Vec<(PathBuf, String)>, String> {
    let src = project::root().join(format!("solutions/chapter-{chapter}/src"));
    let mut out = Vec::new();
    for file in project::files_under(&src, ".rs") {
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let relative = file.strip_prefix(&src).unwrap().to_path_buf();
        out.push((relative, starter(&text, &project::shown(&file))?));
    }
    Ok(out)
}

/// A starter's code block in a page: the page, the marker's path, and the
/// byte range of the block's text (between its fences).
pub struct Block {
    pub page: PathBuf,
    pub path: String,
    pub text: std::ops::Range<usize>,
}

/// Every `<!-- File PATH -->` block in the chapter's pages.
pub fn blocks(chapter: u32) -> Result<Vec<Block>, String> {
    let dir = project::root().join(format!("src/chapter-{chapter}"));
    let mut found = Vec::new();
    for page in project::files_under(&dir, ".md") {
        let text = fs::read_to_string(&page).map_err(|e| e.to_string())?;
        found.extend(blocks_in(&page, &text)?);
    }
    Ok(found)
}

fn blocks_in(page: &Path, text: &str) -> Result<Vec<Block>, String> {
    let mut found = Vec::new();
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut starts = Vec::with_capacity(lines.len());
    for line in &lines {
        starts.push(offset);
        offset += line.len();
    }
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let Some(path) = line
            .strip_prefix("<!-- File ")
            .and_then(|rest| rest.strip_suffix("-->"))
            .map(str::trim)
        else {
            i += 1;
            continue;
        };
        // The block's opening fence: the next line that is not blank.
        let mut j = i + 1;
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
        let fence: String = lines
            .get(j)
            .map(|l| l.trim_start().chars().take_while(|&c| c == '`').collect())
            .unwrap_or_default();
        if fence.len() < 3 {
            return Err(format!(
                "{}:{}: `<!-- File {path} -->` must be followed by a fenced code block",
                project::shown(page),
                i + 1
            ));
        }
        let close = (j + 1..lines.len())
            .find(|&k| lines[k].trim() == fence)
            .ok_or_else(|| {
                format!(
                    "{}:{}: the code block has no closing fence",
                    project::shown(page),
                    j + 1
                )
            })?;
        found.push(Block {
            page: page.to_path_buf(),
            path: path.to_owned(),
            text: starts[j + 1]..starts[close],
        });
        i = close + 1;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_become_their_answer_lines() {
        let source = "\
use std::thread;
// ANSWER
use std::sync::Mutex;
// END ANSWER

pub fn f() -> u32 {
    // ANSWER: todo!(\"f (book: 1.2 Two)\")
    let m = Mutex::new(7);
    *m.lock().unwrap()
    // END ANSWER
}

pub struct S {
    // ANSWER: // Your fields:
    // ANSWER:
    // ANSWER: // (none yet)
    x: u32,
    // END ANSWER
}
";
        assert_eq!(
            starter(source, "f.rs").unwrap(),
            "\
use std::thread;

pub fn f() -> u32 {
    todo!(\"f (book: 1.2 Two)\")
}

pub struct S {
    // Your fields:

    // (none yet)
}
"
        );
    }

    #[test]
    fn a_source_without_regions_is_its_own_starter() {
        let source = "//! Docs.\npub mod a;\n";
        assert_eq!(starter(source, "lib.rs").unwrap(), source);
    }

    #[test]
    fn bad_regions_are_reported_with_file_and_line() {
        let unclosed = "fn f() {\n    // ANSWER: todo!()\n    1\n}\n";
        assert_eq!(
            starter(unclosed, "a.rs").unwrap_err(),
            "a.rs:2: the region opened here has no `// END ANSWER`"
        );
        let stray = "fn f() {}\n// END ANSWER\n";
        assert_eq!(
            starter(stray, "b.rs").unwrap_err(),
            "b.rs:2: `// END ANSWER` without an `// ANSWER` before it"
        );
        let nested = "// ANSWER\nlet x = 1;\n// ANSWER: y\n// END ANSWER\n";
        assert!(
            starter(nested, "c.rs")
                .unwrap_err()
                .starts_with("c.rs:3: `// ANSWER` inside the region opened at line 1")
        );
    }

    #[test]
    fn finds_the_blocks_after_file_markers() {
        let page = "# Page\n\n<!-- File chapter-1/src/a.rs -->\n```rust,noplayground\nfn a() {}\n```\n\ntext\n<!-- File chapter-1/src/lib.rs -->\n\n````rust,ignore\npub mod a;\n````\n";
        let blocks = blocks_in(Path::new("p.md"), page).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].path, "chapter-1/src/a.rs");
        assert_eq!(&page[blocks[0].text.clone()], "fn a() {}\n");
        assert_eq!(&page[blocks[1].text.clone()], "pub mod a;\n");
        let broken = "<!-- File x.rs -->\ntext\n";
        assert!(blocks_in(Path::new("p.md"), broken).is_err());
    }
}
