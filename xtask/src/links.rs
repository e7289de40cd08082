//! No broken internal links or anchors in the built HTML book.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use html5gum::{Token, Tokenizer};

use crate::project;

/// What was checked.
pub struct Checked {
    pub pages: usize,
    pub links: usize,
}

/// One HTML page: the ids it defines and the local links it makes.
struct Page {
    ids: BTreeSet<String>,
    links: Vec<String>,
    /// `<base href>`, which 404.html uses.
    base: Option<String>,
}

fn read_page(text: &str) -> Page {
    let mut page = Page {
        ids: BTreeSet::new(),
        links: Vec::new(),
        base: None,
    };
    for token in Tokenizer::new(text).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        let attr = |key: &str| {
            tag.attributes
                .get(key.as_bytes())
                .map(|v| String::from_utf8_lossy(&v.value).into_owned())
        };
        if let Some(id) = attr("id") {
            page.ids.insert(id);
        }
        if name == "a"
            && let Some(anchor) = attr("name")
        {
            page.ids.insert(anchor);
        }
        let target = match name.as_str() {
            "a" | "link" | "area" => attr("href"),
            "img" | "script" | "iframe" | "source" => attr("src"),
            "base" => {
                page.base = attr("href");
                None
            }
            _ => None,
        };
        if let Some(target) = target {
            page.links.push(target);
        }
    }
    page
}

/// Whether a link leaves the book: `https://...`, `mailto:...`, `//host/...`.
fn is_external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    let before_path = link.split(['/', '?', '#']).next().unwrap_or("");
    before_path.contains(':')
}

/// Checks every local link of every page under `root` (the HTML output).
pub fn check(root: &Path) -> Result<Checked, String> {
    let files = project::files_under(root, ".html");
    if files.is_empty() {
        return Err(format!("no HTML pages under {}", project::shown(root)));
    }
    let mut pages: BTreeMap<PathBuf, Page> = BTreeMap::new();
    for file in &files {
        let text = fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        pages.insert(file.clone(), read_page(&text));
    }

    let mut problems = Vec::new();
    let mut links = 0;
    for (file, page) in &pages {
        for link in &page.links {
            if is_external(link) || link == "#" {
                continue;
            }
            links += 1;
            let (path_part, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or("");
            let dir = match &page.base {
                Some(base) if base.starts_with('/') => root.join(base.trim_start_matches('/')),
                _ => file.parent().unwrap_or(root).to_path_buf(),
            };
            let target = if path_part.is_empty() {
                file.clone()
            } else if let Some(absolute) = path_part.strip_prefix('/') {
                normalize(&root.join(percent_decode(absolute)))
            } else {
                normalize(&dir.join(percent_decode(path_part)))
            };
            let target = if target.is_dir() {
                target.join("index.html")
            } else {
                target
            };
            let shown = project::shown(file);
            if !target.starts_with(root) {
                problems.push(format!("{shown}: `{link}` points outside the book"));
                continue;
            }
            if !target.exists() {
                problems.push(format!("{shown}: `{link}`: no such file"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let fragment = percent_decode(fragment);
                match pages.get(&target) {
                    Some(target_page) if !target_page.ids.contains(&fragment) => problems.push(
                        format!("{shown}: `{link}`: no element with id \"{fragment}\""),
                    ),
                    _ => {}
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(Checked {
            pages: pages.len(),
            links,
        })
    } else {
        Err(problems.join("\n"))
    }
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_and_local_links() {
        let page = read_page(
            r#"<h2 id="a">A</h2><a name="b"></a><a href="x.html#a">x</a><img src="i.svg"><script src="s.js"></script><p id=c>"#,
        );
        assert_eq!(page.ids.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(page.links, ["x.html#a", "i.svg", "s.js"]);
    }

    #[test]
    fn tells_external_links() {
        for link in [
            "https://doc.rust-lang.org",
            "mailto:x@y",
            "//cdn.example/x.js",
        ] {
            assert!(is_external(link), "{link}");
        }
        for link in [
            "chapter-1/index.html",
            "../x.html#a:b",
            "#top",
            "a.html?x=1:2",
        ] {
            assert!(!is_external(link), "{link}");
        }
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b%2Fc%"), "a b/c%");
    }
}
