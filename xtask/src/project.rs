//! Where things are in the repository.

use std::fs;
use std::path::{Path, PathBuf};

/// The repository root (the workspace's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in a folder of the workspace")
        .to_path_buf()
}

/// The chapters that have an exercise crate, `exercises/chapter-N`, in order.
pub fn chapters() -> Result<Vec<u32>, String> {
    let dir = root().join("exercises");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut chapters: Vec<u32> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_prefix("chapter-")?.parse().ok()
        })
        .collect();
    chapters.sort();
    Ok(chapters)
}

/// The chapters a command works on: all of them, or the one asked for.
pub fn selected(chapter: Option<u32>) -> Result<Vec<u32>, String> {
    let all = chapters()?;
    match chapter {
        None => Ok(all),
        Some(n) if all.contains(&n) => Ok(vec![n]),
        Some(n) => Err(format!("there is no exercises/chapter-{n}")),
    }
}

/// Every file under `dir` whose name ends with `suffix`, sorted.
pub fn files_under(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// `path` relative to the repository root, for messages.
pub fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}
