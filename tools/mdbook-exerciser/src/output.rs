//! Writing the files: inside the output folder only, never through a
//! symbolic link, and only once every check has passed. What the previous
//! run wrote and the book no longer has is removed, with the folders that
//! leaves empty; nothing else in the output folder is touched.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::{Options, Problem, StarterFile, paths};

/// The list of the files the last run wrote, one path a line, kept in the
/// output folder so that the next run can remove those the book dropped.
pub const MANIFEST: &str = ".exerciser-files";

/// What a run did.
#[derive(Debug, PartialEq)]
pub struct Written {
    /// The output folder.
    pub folder: PathBuf,
    pub written: usize,
    /// Files of the previous run that the book no longer has.
    pub removed: usize,
}

/// Writes `files` into the output folder under `dest`, the renderer's own
/// folder. Checks the disk first: a symbolic link on the way, or a file or
/// folder in the way that the exerciser did not write, stops it before it
/// changes anything.
pub fn write(
    dest: &Path,
    options: &Options,
    files: &[StarterFile],
) -> Result<Written, Vec<Problem>> {
    let prefix = match &options.output_directory {
        Some(dir) => format!("{dir}/"),
        None => String::new(),
    };
    let folder = match &options.output_directory {
        Some(dir) => dest.join(dir),
        None => dest.to_path_buf(),
    };
    let mut disk = Disk {
        dest,
        seen: HashMap::new(),
    };
    let new: BTreeMap<&str, &StarterFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let old = disk.manifest(&prefix)?;
    // The files to remove, relative to `dest` like every path below.
    let stale: BTreeSet<String> = old
        .iter()
        .filter(|p| !new.contains_key(p.as_str()))
        .map(|p| format!("{prefix}{p}"))
        .collect();

    let mut problems = Vec::new();
    if let Err(message) = disk.way_to(prefix.trim_end_matches('/'), &BTreeSet::new()) {
        problems.push(Problem {
            origin: "book.toml (output-directory)".to_owned(),
            message,
        });
    }
    for file in files {
        let full = format!("{prefix}{}", file.path);
        let result = disk.way_to(&full, &stale).and_then(|kind| match kind {
            Kind::Folder if !disk.prunable(&full, &stale) => Err(format!(
                "`{}` is a folder that the exerciser did not write; \
                 the book writes a file there: remove the folder",
                dest.join(&full).display()
            )),
            Kind::Other => Err(format!(
                "`{}` is not a regular file; the book writes a file there",
                dest.join(&full).display()
            )),
            _ => Ok(()),
        });
        if let Err(message) = result {
            problems.push(Problem {
                origin: file.origin.clone(),
                message,
            });
        }
    }
    for path in &stale {
        if let Err(message) = disk.way_to(path, &BTreeSet::new()) {
            problems.push(Problem {
                origin: dest.join(&prefix).join(MANIFEST).display().to_string(),
                message,
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let io_problem = |path: &Path, e: io::Error| {
        vec![Problem {
            origin: path.display().to_string(),
            message: e.to_string(),
        }]
    };
    let mut removed = 0;
    for path in &stale {
        if disk.kind(path) != Kind::File {
            continue; // gone, or no longer a file
        }
        let file = dest.join(path);
        fs::remove_file(&file).map_err(|e| io_problem(&file, e))?;
        removed += 1;
        // The folders it leaves empty, up to the output folder.
        let mut parent = Path::new(&path[prefix.len()..]).parent();
        while let Some(dir) = parent.filter(|d| !d.as_os_str().is_empty()) {
            if fs::remove_dir(folder.join(dir)).is_err() {
                break;
            }
            parent = dir.parent();
        }
    }
    fs::create_dir_all(&folder).map_err(|e| io_problem(&folder, e))?;
    for file in files {
        let target = folder.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| io_problem(parent, e))?;
        }
        replace(&target, &file.text).map_err(|e| io_problem(&target, e))?;
    }
    let list: String = new.keys().map(|p| format!("{p}\n")).collect();
    let manifest = folder.join(MANIFEST);
    replace(&manifest, &list).map_err(|e| io_problem(&manifest, e))?;
    Ok(Written {
        folder,
        written: files.len(),
        removed,
    })
}

/// Writes a new file and renames it to `path`: what was at `path` is
/// replaced, never written through (not even a hard link to a file
/// elsewhere).
fn replace(path: &Path, text: &str) -> io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let new = path.with_file_name(format!(".{name}.{}.exerciser-new", std::process::id()));
    let _ = fs::remove_file(&new);
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&new)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .and_then(|()| fs::rename(&new, path));
    if written.is_err() {
        let _ = fs::remove_file(&new);
    }
    written
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Missing,
    Link,
    File,
    Folder,
    Other,
}

/// The disk under `dest`, looked at without following symbolic links.
struct Disk<'a> {
    dest: &'a Path,
    seen: HashMap<String, Kind>,
}

impl Disk<'_> {
    /// What is at `path` (relative to `dest`, with `/`).
    fn kind(&mut self, path: &str) -> Kind {
        *self.seen.entry(path.to_owned()).or_insert_with(|| {
            match fs::symlink_metadata(self.dest.join(path)) {
                Err(_) => Kind::Missing,
                Ok(m) if m.file_type().is_symlink() => Kind::Link,
                Ok(m) if m.is_file() => Kind::File,
                Ok(m) if m.is_dir() => Kind::Folder,
                Ok(_) => Kind::Other,
            }
        })
    }

    /// Checks that writing `path` goes through folders only, or through
    /// files in `removed` (which go first); returns what is at `path`.
    fn way_to(&mut self, path: &str, removed: &BTreeSet<String>) -> Result<Kind, String> {
        if path.is_empty() {
            return Ok(Kind::Folder);
        }
        let ends = path
            .match_indices('/')
            .map(|(at, _)| at)
            .chain([path.len()]);
        for end in ends {
            let at = &path[..end];
            let shown = self.dest.join(at);
            let last = end == path.len();
            match self.kind(at) {
                Kind::Missing => return Ok(Kind::Missing),
                Kind::Link => {
                    return Err(format!(
                        "`{}` is a symbolic link; the exerciser never writes through one: remove it",
                        shown.display()
                    ));
                }
                kind if last => return Ok(kind),
                Kind::Folder => {}
                Kind::File if removed.contains(at) => {
                    return Ok(Kind::Missing);
                }
                Kind::File | Kind::Other => {
                    return Err(format!(
                        "`{}` is a file that the exerciser did not write, where `{path}` needs a folder: remove it",
                        shown.display()
                    ));
                }
            }
        }
        Ok(Kind::Missing)
    }

    /// Whether the folder `path` holds only files of the previous run that
    /// the book no longer has (and folders of such), so that it goes away.
    fn prunable(&mut self, path: &str, stale: &BTreeSet<String>) -> bool {
        let Ok(entries) = fs::read_dir(self.dest.join(path)) else {
            return false;
        };
        entries.into_iter().all(|entry| {
            let Ok(name) = entry.map(|e| e.file_name()) else {
                return false;
            };
            let Some(name) = name.to_str() else {
                return false;
            };
            let inside = format!("{path}/{name}");
            match self.kind(&inside) {
                Kind::File => stale.contains(&inside),
                Kind::Folder => self.prunable(&inside, stale),
                _ => false,
            }
        })
    }

    /// The paths the previous run wrote, from its list.
    fn manifest(&mut self, prefix: &str) -> Result<BTreeSet<String>, Vec<Problem>> {
        let path = format!("{prefix}{MANIFEST}");
        let shown = self.dest.join(&path);
        let problem = |message: String| {
            vec![Problem {
                origin: shown.display().to_string(),
                message,
            }]
        };
        self.way_to(&path, &BTreeSet::new())
            .map_err(problem)
            .and_then(|kind| match kind {
                Kind::Missing => Ok(BTreeSet::new()),
                Kind::File => {
                    let text = fs::read_to_string(self.dest.join(&path)).map_err(|e| {
                        problem(format!("cannot read the exerciser's list of files: {e}"))
                    })?;
                    // Only paths this program could have written.
                    Ok(text
                        .lines()
                        .filter(|line| paths::check(line).is_ok())
                        .map(str::to_owned)
                        .collect())
                }
                _ => Err(problem(
                    "this is where the exerciser keeps its list of files, \
                     but it is not a regular file: remove it"
                        .to_owned(),
                )),
            })
    }
}
