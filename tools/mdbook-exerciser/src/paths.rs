//! Checks of the paths the book asks for, before anything is written.

use std::collections::HashMap;

use crate::{MANIFEST, Problem, StarterFile};

/// A path that stays inside the output folder and means the same file on
/// every system: relative, `/` between folders, no `.`, `..` or empty
/// folder names, no control characters, and none of the characters Windows
/// does not allow in file names.
pub(crate) fn check(path: &str) -> Result<(), String> {
    let shown = path.escape_debug();
    if path.is_empty() {
        return Err("the File marker names no path".to_owned());
    }
    if let Some(c) = path.chars().find(|c| c.is_control()) {
        return Err(format!(
            "`{shown}` holds the control character {}",
            c.escape_unicode()
        ));
    }
    if path.starts_with('/') {
        return Err(format!(
            "`{path}` is absolute; write a path relative to the output folder, such as src/main.rs"
        ));
    }
    if path.contains('\\') {
        return Err(format!("`{path}`: use `/` to separate folders"));
    }
    if let Some(c) = path.chars().find(|c| ":*?\"<>|".contains(*c)) {
        return Err(format!(
            "`{path}` holds `{c}`, which Windows does not allow in a file name"
        ));
    }
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        match *part {
            ".." => {
                return Err(format!(
                    "`{path}` uses `..` and could leave the output folder"
                ));
            }
            "." => return Err(format!("`{path}`: leave out the `.` folders")),
            "" if i + 1 == parts.len() => {
                return Err(format!("`{path}` names a folder, not a file"));
            }
            "" => return Err(format!("`{path}` has an empty folder name (`//`)")),
            _ => {}
        }
    }
    Ok(())
}

/// Files that would land on the same file, or a file where a folder must be:
/// the same path twice, paths that differ only in case (one file on macOS
/// and Windows), `a` beside `a/b.rs`, and the name the exerciser keeps for
/// its list of files. Each problem is reported at the later marker.
pub(crate) fn clashes(files: &[StarterFile]) -> Vec<Problem> {
    let mut problems = Vec::new();
    // By lowercase path: the file written there, and the first file that
    // needs it as a folder.
    let mut as_file: HashMap<String, &StarterFile> = HashMap::new();
    let mut as_folder: HashMap<String, &StarterFile> = HashMap::new();
    for file in files {
        let key = file.path.to_lowercase();
        let problem = |message: String| Problem {
            origin: file.origin.clone(),
            message,
        };
        let list = MANIFEST.to_lowercase();
        if key.split('/').next() == Some(list.as_str()) {
            problems.push(problem(format!(
                "`{}`: `{MANIFEST}` is the name of the exerciser's own list of files; choose another name",
                file.path
            )));
            continue;
        }
        if let Some(first) = as_file.get(&key) {
            problems.push(problem(if first.path == file.path {
                format!(
                    "`{}` is already written by the marker at {}",
                    file.path, first.origin
                )
            } else {
                format!(
                    "`{}` and `{}` (at {}) differ only in case: one file on macOS and Windows",
                    file.path, first.path, first.origin
                )
            }));
            continue;
        }
        if let Some(inside) = as_folder.get(&key) {
            problems.push(problem(format!(
                "`{}` is a file here, but a folder for `{}` at {}",
                file.path, inside.path, inside.origin
            )));
            continue;
        }
        let folders = key.match_indices('/').map(|(at, _)| &key[..at]);
        if let Some(first) = folders.clone().find_map(|f| as_file.get(f)) {
            problems.push(problem(format!(
                "`{}` needs `{}` to be a folder, but the marker at {} writes a file there",
                file.path, first.path, first.origin
            )));
            continue;
        }
        as_file.insert(key.clone(), file);
        for folder in folders {
            as_folder.entry(folder.to_owned()).or_insert(file);
        }
    }
    problems
}
