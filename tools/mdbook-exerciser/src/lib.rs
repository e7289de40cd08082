//! An mdBook renderer that writes the code blocks of a book out as files:
//! the code block right after `<!-- File PATH -->` becomes the file PATH.
//! See the README for the convention, the options and every error.
//!
//! `main.rs` connects this to mdBook: [`Options::from_config`], then
//! [`extract`] the files from the pages, then [`write`] them.

mod hidden;
mod markers;
mod output;
mod paths;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::path::Path;

use mdbook_renderer::config::Config;
use serde::Deserialize;

pub use output::{MANIFEST, write};

/// One page of the book, as the renderer receives it.
pub struct Page {
    /// How messages name the page, e.g. `src/chapter-1/ex-spawn-all.md`.
    pub name: String,
    /// The page's path in the book (mdBook's `Chapter::path`, relative to
    /// `src/`), which names its folder in the per-page layout. `None` for a
    /// page without a file.
    pub path: Option<String>,
    /// The page after mdBook's preprocessors (`{{#include}}` expanded).
    pub content: String,
    /// The page's file as written, to give line numbers that match it.
    pub raw: Option<String>,
}

/// Where the files go inside the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `<page file stem>/PATH`, as Comprehensive Rust's renderer writes.
    #[default]
    PerPage,
    /// `PATH`: the markers name paths in one tree for the whole book.
    Flat,
}

/// The renderer's options, from `[output.exerciser]` (and the hidden-line
/// prefixes from `[output.html.code.hidelines]`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Options {
    /// A folder inside the renderer's own output folder; `None` writes
    /// straight into it.
    pub output_directory: Option<String>,
    pub layout: Layout,
    /// Language -> prefix of hidden lines, for languages other than Rust.
    pub hidelines: HashMap<String, String>,
}

/// `[output.exerciser]` as written in book.toml.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[allow(dead_code)] // `command` and `optional` are mdBook's.
struct Table {
    output_directory: Option<String>,
    #[serde(default)]
    layout: Layout,
    command: Option<String>,
    optional: Option<bool>,
}

impl Options {
    /// Reads the options from the book's configuration.
    pub fn from_config(config: &Config) -> Result<Options, Problem> {
        let problem = |message: String| Problem {
            origin: "book.toml".to_owned(),
            message,
        };
        let table: Table = config
            .get("output.exerciser")
            .map_err(|e| problem(format!("{e:#}")))?
            .ok_or_else(|| {
                problem(
                    "mdbook-exerciser reads its options from [output.exerciser]; \
                     name the renderer's table so"
                        .to_owned(),
                )
            })?;
        if let Some(dir) = &table.output_directory {
            paths::check(dir).map_err(|e| problem(format!("output-directory: {e}")))?;
        }
        let hidelines = config
            .get("output.html.code.hidelines")
            .ok()
            .flatten()
            .unwrap_or_default();
        Ok(Options {
            output_directory: table.output_directory,
            layout: table.layout,
            hidelines,
        })
    }
}

/// A file to write: its path in the output folder (with `/`), its text, and
/// the page and line of its marker.
#[derive(Debug, Clone, PartialEq)]
pub struct StarterFile {
    pub path: String,
    pub text: String,
    pub origin: String,
}

/// What is wrong (or, as a note, worth knowing), and where: `page:line`.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub origin: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// The files of a book, and notes on how they were placed.
#[derive(Debug, Default)]
pub struct Starters {
    pub files: Vec<StarterFile>,
    pub notes: Vec<Problem>,
}

/// Finds every marked code block of the book. Either every marker is good
/// and all files are returned, or every problem is.
pub fn extract(pages: &[Page], options: &Options) -> Result<Starters, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut found: Vec<(usize, StarterFile)> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let markers = markers::scan(&page.content);
        if markers.is_empty() {
            continue;
        }
        let mut lines = Lines::new(page);
        for marker in markers {
            let origin = format!("{}:{}", page.name, lines.of(&marker));
            let block = marker
                .block
                .and_then(|b| paths::check(&marker.path).map(|()| b));
            match block {
                Err(message) => problems.push(Problem { origin, message }),
                Ok(block) => {
                    let text = hidden::unhide(&block.info, &block.code, &options.hidelines);
                    let (path, origin) = (marker.path, origin);
                    found.push((index, StarterFile { path, text, origin }));
                }
            }
        }
    }
    let mut notes = Vec::new();
    if options.layout == Layout::PerPage {
        let folders = page_folders(pages, &found, &mut problems, &mut notes);
        for (page, file) in &mut found {
            if let Some(folder) = folders.get(page) {
                file.path = format!("{folder}/{}", file.path);
            }
        }
    }
    let files: Vec<StarterFile> = found.into_iter().map(|(_, file)| file).collect();
    problems.extend(paths::clashes(&files));
    if problems.is_empty() {
        Ok(Starters { files, notes })
    } else {
        Err(problems)
    }
}

/// The per-page layout: each page's files go to a folder named after its
/// file stem. When two pages with the same stem write the same path, each
/// of them gets a folder named after its whole path instead, and a note.
fn page_folders(
    pages: &[Page],
    found: &[(usize, StarterFile)],
    problems: &mut Vec<Problem>,
    notes: &mut Vec<Problem>,
) -> HashMap<usize, String> {
    /// A page with files: its file stem and its path without extension
    /// (with `/`), and its first marker.
    struct Named<'a> {
        stem: String,
        long: String,
        origin: &'a str,
    }
    let mut names: BTreeMap<usize, Named> = BTreeMap::new();
    let mut nameless = BTreeSet::new();
    for (page, file) in found {
        if names.contains_key(page) || nameless.contains(page) {
            continue;
        }
        let named = pages[*page].path.as_deref().and_then(|p| {
            let p = Path::new(p);
            let stem = p.file_stem()?.to_str()?.to_owned();
            let long = p.with_extension("");
            let long: Vec<&str> = long.iter().map(|c| c.to_str()).collect::<Option<_>>()?;
            let (long, origin) = (long.join("/"), file.origin.as_str());
            Some(Named { stem, long, origin })
        });
        if let Some(named) = named {
            names.insert(*page, named);
        } else {
            nameless.insert(*page);
            problems.push(Problem {
                origin: file.origin.clone(),
                message: "this page has no file to name its folder after; \
                          use layout = \"flat\""
                    .to_owned(),
            });
        }
    }
    // (stem, path) -> the pages that write it.
    let mut writers: BTreeMap<(&str, &str), BTreeSet<usize>> = BTreeMap::new();
    for (page, file) in found {
        if let Some(named) = names.get(page) {
            let key = (named.stem.as_str(), file.path.as_str());
            writers.entry(key).or_default().insert(*page);
        }
    }
    let shared: BTreeSet<usize> = writers
        .into_values()
        .filter(|pages| pages.len() > 1)
        .flatten()
        .collect();
    let mut folders = HashMap::new();
    for (page, Named { stem, long, origin }) in &names {
        let problem = |message| Problem {
            origin: origin.to_string(),
            message,
        };
        let folder = if shared.contains(page) { long } else { stem };
        if let Err(message) = paths::check(folder) {
            problems.push(problem(format!("the page's folder: {message}")));
            continue;
        }
        if shared.contains(page) {
            notes.push(problem(format!(
                "another page named `{stem}` writes the same file; \
                 this page's files go to `{long}/`, not `{stem}/`"
            )));
        }
        folders.insert(*page, folder.clone());
    }
    folders
}

/// Line numbers of a page's markers, counted in the page as written when
/// the marker is there, else in the page after preprocessing.
struct Lines {
    content: Vec<usize>,
    raw: Vec<usize>,
    /// Path -> offsets of the markers with that path in the page as written.
    in_raw: HashMap<String, VecDeque<usize>>,
    /// Markers are matched in order: the last offset used.
    done: usize,
}

impl Lines {
    fn new(page: &Page) -> Lines {
        let raw = page.raw.as_deref().unwrap_or_default();
        let mut in_raw: HashMap<String, VecDeque<usize>> = HashMap::new();
        for marker in markers::scan(raw) {
            in_raw
                .entry(marker.path)
                .or_default()
                .push_back(marker.offset);
        }
        Lines {
            content: line_starts(&page.content),
            raw: line_starts(raw),
            in_raw,
            done: 0,
        }
    }

    fn of(&mut self, marker: &markers::Marker) -> usize {
        if let Some(offsets) = self.in_raw.get_mut(&marker.path) {
            while let Some(offset) = offsets.pop_front() {
                if offset >= self.done {
                    self.done = offset;
                    return self.raw.partition_point(|&start| start <= offset);
                }
            }
        }
        self.content
            .partition_point(|&start| start <= marker.offset)
    }
}

/// Where each line starts, in bytes.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect()
}

#[cfg(test)]
mod tests;
