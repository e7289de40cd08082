//! The course as the companion sees it: the exercises in book order, each
//! with its number and title from SUMMARY.md, its page, the file the learner
//! edits, its starter (from the page) and its test targets (from the
//! chapter's `Cargo.toml`). Nothing here is stored: it is read from the
//! repository on every start.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::book::{self, Section};

/// One test target of an exercise, from `[[test]]` in the chapter's
/// `Cargo.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    pub path: String,
    pub required_features: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Exercise {
    /// As the book numbers it: `3.8.2`.
    pub id: String,
    /// The chapter's number in the book: `3`.
    pub chapter: u32,
    /// The learner's package: `chapter-3`.
    pub package: String,
    /// The file's stem: `fan_in`.
    pub name: String,
    pub title: String,
    /// The page, relative to `src/`: `chapter-3/ex-fan-in.md`.
    pub page: String,
    /// The file the learner edits, relative to the root:
    /// `exercises/chapter-3/src/fan_in.rs`.
    pub file: PathBuf,
    /// The file as the book shows it.
    pub starter: String,
    /// In book order: `tests/fan_in.rs`, then `tests/fan_in_loom.rs` if any.
    pub targets: Vec<Target>,
}

impl Exercise {
    /// `chapter-3/fan_in`, the exercise's full name.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.package, self.name)
    }

    /// The package folder, relative to the root: `exercises/chapter-3`.
    pub fn package_dir(&self) -> PathBuf {
        Path::new("exercises").join(&self.package)
    }

    /// The command that runs exactly this exercise's tests by hand.
    pub fn test_command(&self) -> String {
        let mut cmd = format!("cargo test -p {}", self.package);
        for t in &self.targets {
            cmd.push_str(" --test ");
            cmd.push_str(&t.name);
        }
        cmd
    }
}

pub struct Course {
    pub root: PathBuf,
    pub sections: Vec<Section>,
    pub exercises: Vec<Exercise>,
    pub urls: Urls,
}

impl Course {
    /// Reads the course whose repository holds `start` (or one of its
    /// parent folders).
    pub fn load(start: &Path) -> Result<Course, String> {
        let root = find_root(start).ok_or_else(|| {
            format!(
                "{} is not inside the course's repository (no folder above it holds \
                 book.toml, Cargo.toml and src/SUMMARY.md). Run `cargo course` in your \
                 clone of the course.",
                start.display()
            )
        })?;
        let summary = read(&root.join("src/SUMMARY.md"))?;
        let sections = book::sections(&summary);
        let mut exercises = Vec::new();
        for section in &sections {
            let Some(number) = &section.number else {
                continue;
            };
            let page_path = root.join("src").join(&section.path);
            let Ok(page) = fs::read_to_string(&page_path) else {
                continue;
            };
            for starter in book::starters(&page) {
                // `chapter-N/src/NAME.rs`, relative to exercises/.
                let Some((package, name)) = starter
                    .path
                    .strip_suffix(".rs")
                    .and_then(|p| p.split_once("/src/"))
                    .filter(|(package, name)| !package.contains('/') && !name.contains('/'))
                else {
                    continue;
                };
                let manifest = root.join("exercises").join(package).join("Cargo.toml");
                let Ok(manifest) = fs::read_to_string(&manifest) else {
                    continue;
                };
                let targets: Vec<Target> = test_targets(&manifest)
                    .into_iter()
                    .filter(|t| {
                        t.path == format!("tests/{name}.rs")
                            || t.path == format!("tests/{name}_loom.rs")
                    })
                    .collect();
                if targets.is_empty() {
                    // A file without tests of its own, such as lib.rs.
                    continue;
                }
                let chapter = number
                    .split('.')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                exercises.push(Exercise {
                    id: number.clone(),
                    chapter,
                    package: package.to_owned(),
                    name: name.to_owned(),
                    title: section.title.clone(),
                    page: section.path.clone(),
                    file: Path::new("exercises").join(&starter.path),
                    starter: starter.text,
                    targets,
                });
            }
        }
        if exercises.is_empty() {
            return Err(format!(
                "found no exercise in {}: no page of src/SUMMARY.md has a \
                 `<!-- File chapter-N/src/NAME.rs -->` block with a test target \
                 `tests/NAME.rs` in exercises/chapter-N/Cargo.toml",
                root.display()
            ));
        }
        let urls = Urls::find(&root);
        Ok(Course {
            root,
            sections,
            exercises,
            urls,
        })
    }

    /// The title of chapter `n` (its top-level section).
    pub fn chapter_title(&self, n: u32) -> &str {
        let n = n.to_string();
        self.sections
            .iter()
            .find(|s| s.number.as_deref() == Some(n.as_str()))
            .map(|s| s.title.as_str())
            .unwrap_or("")
    }

    /// The section with this number (`3.5`).
    pub fn section(&self, number: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.number.as_deref() == Some(number))
    }

    /// The exercise a learner means by `query`: its number (`3.8.2`), its
    /// name (`fan_in`, or `fan-in`), its full name (`chapter-3/fan_in`), or
    /// its file (`exercises/chapter-3/src/fan_in.rs`).
    pub fn resolve(&self, query: &str) -> Result<usize, String> {
        let q = query.trim().trim_end_matches(".rs").replace('\\', "/");
        let q = q.strip_prefix("./").unwrap_or(&q);
        let q = q.strip_prefix("exercises/").unwrap_or(q);
        let q = q.replace("/src/", "/");
        let matches: Vec<usize> = self
            .exercises
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.id == q
                    || e.full_name() == q
                    || e.name == q
                    || e.name == q.replace('-', "_")
                    || Path::new(&e.page)
                        .file_stem()
                        .is_some_and(|s| s.to_string_lossy() == q)
            })
            .map(|(i, _)| i)
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!(
                "There is no exercise `{query}`. Name one by its number, its name or \
                 both chapter and name:\n{}",
                self.names()
            )),
            many => Err(format!(
                "`{query}` names {} exercises; say which with its number or its chapter:\n{}",
                many.len(),
                many.iter()
                    .map(|&i| format!(
                        "  {:<7} {}",
                        self.exercises[i].id,
                        self.exercises[i].full_name()
                    ))
                    .collect::<Vec<_>>()
                    .join("\n")
            )),
        }
    }

    /// Every exercise's number, full name and title, one a line.
    pub fn names(&self) -> String {
        self.exercises
            .iter()
            .map(|e| format!("  {:<7} {:<26} {}", e.id, e.full_name(), e.title))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The address of a page (relative to `src/`, with an optional
    /// `#anchor`) on the local book, and on the published one if known.
    pub fn page_urls(&self, page: &str) -> (String, Option<String>) {
        let html = html_path(page);
        (
            format!("{}{html}", self.urls.local),
            self.urls.published.as_ref().map(|p| format!("{p}{html}")),
        )
    }

    /// The address a link in page `from` points to, or `None` when it
    /// cannot be resolved. External links stay as they are.
    pub fn link_url(&self, from: &str, target: &str) -> Option<String> {
        if target.starts_with("http://") || target.starts_with("https://") {
            return Some(target.to_owned());
        }
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target, None),
        };
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        if path.is_empty() {
            parts.push(from.rsplit('/').next().unwrap_or(from));
        } else {
            for part in path.split('/') {
                match part {
                    "." | "" => {}
                    ".." => {
                        parts.pop()?;
                    }
                    p => parts.push(p),
                }
            }
        }
        let mut page = parts.join("/");
        if let Some(a) = anchor {
            page.push('#');
            page.push_str(a);
        }
        let (local, published) = self.page_urls(&page);
        Some(published.unwrap_or(local))
    }
}

/// `chapter-3/ex-fan-in.md#x` -> `chapter-3/ex-fan-in.html#x`.
fn html_path(page: &str) -> String {
    let (path, anchor) = match page.split_once('#') {
        Some((p, a)) => (p, format!("#{a}")),
        None => (page, String::new()),
    };
    let path = path
        .strip_suffix(".md")
        .map_or_else(|| path.to_owned(), |stem| format!("{stem}.html"));
    format!("{path}{anchor}")
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The nearest folder at or above `start` that holds the course.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .find(|d| {
            d.join("book.toml").is_file()
                && d.join("Cargo.toml").is_file()
                && d.join("src/SUMMARY.md").is_file()
        })
        .map(Path::to_path_buf)
}

/// The `[[test]]` targets of a manifest, in order.
pub fn test_targets(manifest: &str) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut in_test = false;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            in_test = line == "[[test]]";
            if in_test {
                out.push(Target {
                    name: String::new(),
                    path: String::new(),
                    required_features: Vec::new(),
                });
            }
            continue;
        }
        if !in_test {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let target = out.last_mut().expect("a [[test]] table is open");
        let strings: Vec<String> = value
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        match key.trim() {
            "name" => target.name = strings.into_iter().next().unwrap_or_default(),
            "path" => target.path = strings.into_iter().next().unwrap_or_default(),
            "required-features" => target.required_features = strings,
            _ => {}
        }
    }
    out.retain(|t| !t.name.is_empty());
    for t in &mut out {
        if t.path.is_empty() {
            t.path = format!("tests/{}.rs", t.name);
        }
    }
    out
}

/// Where the book can be read: the local server of `cargo xtask serve`,
/// and the published book when its address is known.
pub struct Urls {
    pub local: String,
    pub published: Option<String>,
}

impl Urls {
    /// `COURSE_BOOK_URL` when set (empty: no published book); else the
    /// GitHub Pages address of the `origin` remote, when it is a GitHub
    /// repository (as `.github/workflows/pages.yml` publishes it).
    fn find(root: &Path) -> Urls {
        let local = "http://localhost:3000/".to_owned();
        let published = match std::env::var("COURSE_BOOK_URL") {
            Ok(url) if url.trim().is_empty() => None,
            Ok(url) => Some(with_slash(url.trim())),
            Err(_) => Command::new("git")
                .arg("-C")
                .arg(root)
                .args(["remote", "get-url", "origin"])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .and_then(|o| pages_url(String::from_utf8_lossy(&o.stdout).trim())),
        };
        Urls { local, published }
    }
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

/// The GitHub Pages address of a GitHub remote:
/// `https://github.com/OWNER/REPO.git` or `git@github.com:OWNER/REPO` ->
/// `https://owner.github.io/REPO/` (`https://owner.github.io/` for the
/// repository `OWNER.github.io`).
pub fn pages_url(remote: &str) -> Option<String> {
    let rest = remote
        .strip_prefix("https://github.com/")
        .or_else(|| remote.strip_prefix("http://github.com/"))
        .or_else(|| remote.strip_prefix("git@github.com:"))
        .or_else(|| remote.strip_prefix("ssh://git@github.com/"))
        .or_else(|| remote.strip_prefix("git://github.com/"))?;
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let (owner, repo) = rest.split_once('/')?;
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !valid(owner) || !valid(repo) {
        return None;
    }
    let owner = owner.to_ascii_lowercase();
    if repo.eq_ignore_ascii_case(&format!("{owner}.github.io")) {
        Some(format!("https://{owner}.github.io/"))
    } else {
        Some(format!("https://{owner}.github.io/{repo}/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The course this crate is part of, as it is in the repository.
    #[test]
    fn every_exercise_of_the_book_is_found_with_its_starter() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let course = Course::load(&repo).expect("the course loads");
        // Every test target of every chapter belongs to an exercise found
        // in the book, so the reader cannot miss one.
        let mut targets = 0;
        for entry in fs::read_dir(repo.join("exercises")).unwrap() {
            let dir = entry.unwrap().path();
            let Ok(manifest) = fs::read_to_string(dir.join("Cargo.toml")) else {
                continue;
            };
            let package = dir.file_name().unwrap().to_string_lossy().into_owned();
            for t in test_targets(&manifest) {
                targets += 1;
                assert!(
                    course
                        .exercises
                        .iter()
                        .any(|e| e.package == package && e.targets.contains(&t)),
                    "{package}'s test target {} has no exercise page in SUMMARY.md",
                    t.name
                );
            }
        }
        assert_eq!(
            targets,
            course
                .exercises
                .iter()
                .map(|e| e.targets.len())
                .sum::<usize>()
        );
        for (i, e) in course.exercises.iter().enumerate() {
            // exercises/ holds the starters as the book shows them (verify
            // checks it), so the reader must give the very same text.
            let file = fs::read_to_string(course.root.join(&e.file)).unwrap();
            assert!(
                file == e.starter,
                "{}: the starter read from {} differs",
                e.file.display(),
                e.page
            );
            assert!(e.id.starts_with(&format!("{}.", e.chapter)), "{}", e.id);
            for name in [
                e.id.clone(),
                e.full_name(),
                format!(
                    "exercises/{}",
                    e.file.strip_prefix("exercises").unwrap().display()
                ),
            ] {
                assert_eq!(course.resolve(&name), Ok(i), "{name}");
            }
            // Exercise names are unique, so `cargo course hint NAME` works.
            assert_eq!(course.resolve(&e.name), Ok(i), "{}", e.name);
            assert!(!e.title.is_empty());
            assert!(
                !book::hints(&fs::read_to_string(course.root.join("src").join(&e.page)).unwrap())
                    .is_empty(),
                "{} has hints",
                e.page
            );
        }
    }

    #[test]
    fn names_resolve_as_the_book_writes_them() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let course = Course::load(&repo).expect("the course loads");
        let fan_in = course.resolve("3.8.2").unwrap();
        for name in [
            "fan_in",
            "fan-in",
            "chapter-3/fan_in",
            "ex-fan-in",
            "exercises/chapter-3/src/fan_in.rs",
        ] {
            assert_eq!(course.resolve(name), Ok(fan_in), "{name}");
        }
        let err = course.resolve("3.8.9").unwrap_err();
        assert!(err.contains("There is no exercise `3.8.9`"), "{err}");
        assert!(err.contains("3.8.2   chapter-3/fan_in"), "{err}");
    }

    #[test]
    fn reads_test_targets() {
        let manifest = "[package]\nname = \"chapter-3\"\n\n[[test]]\nname = \"ex1_pipeline\"\n\
            path = \"tests/pipeline.rs\"\n\n[[test]]\nname = \"ex2_fan_in\" # a comment\n\
            path = \"tests/fan_in.rs\"\nrequired-features = [\"loom\", \"x\"]\n\n[dev-dependencies]\n\
            name = \"not a test\"\n";
        assert_eq!(
            test_targets(manifest),
            [
                Target {
                    name: "ex1_pipeline".into(),
                    path: "tests/pipeline.rs".into(),
                    required_features: vec![],
                },
                Target {
                    name: "ex2_fan_in".into(),
                    path: "tests/fan_in.rs".into(),
                    required_features: vec!["loom".into(), "x".into()],
                },
            ]
        );
    }

    #[test]
    fn derives_the_pages_address_from_a_github_remote() {
        for remote in [
            "https://github.com/Ann/fearless.git",
            "https://github.com/Ann/fearless",
            "git@github.com:Ann/fearless.git",
            "ssh://git@github.com/Ann/fearless.git",
        ] {
            assert_eq!(
                pages_url(remote).as_deref(),
                Some("https://ann.github.io/fearless/"),
                "{remote}"
            );
        }
        assert_eq!(
            pages_url("git@github.com:ann/ann.github.io.git").as_deref(),
            Some("https://ann.github.io/")
        );
        assert_eq!(pages_url("https://gitlab.com/ann/fearless.git"), None);
        assert_eq!(pages_url("/home/ann/fearless"), None);
        assert_eq!(pages_url("https://github.com/ann"), None);
    }

    #[test]
    fn html_paths_keep_anchors() {
        assert_eq!(
            html_path("chapter-3/closing.md#the-classic-hang"),
            "chapter-3/closing.html#the-classic-hang"
        );
        assert_eq!(html_path("introduction.md"), "introduction.html");
    }
}
