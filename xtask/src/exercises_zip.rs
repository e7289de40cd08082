//! `exercises.zip`: the starters as a workspace a learner can use on its
//! own, without the reference solutions. It holds the starters as the book
//! shows them (the exerciser's output), and from the repository the
//! exercise crates' manifests and tests, the compile-fail cases and their
//! runner, the test helpers, the toolchain pin and the lock file, under one
//! folder.
//!
//! The exerciser renderer works for any book, so packing is this course's
//! business: xtask packs the zip into the HTML book after `mdbook build`
//! (`build-book`, `verify`), and again after every rebuild of
//! `cargo xtask serve`, because mdBook's HTML renderer empties its folder.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::{project, starters};

/// The folder inside the zip.
pub const TOP: &str = "fearless-concurrency-exercises";

/// The exerciser's list of the files it wrote, in its output folder (see
/// tools/mdbook-exerciser/README.md).
const EXERCISER_LIST: &str = ".exerciser-files";

/// The zip's workspace members: no solutions, no xtask, no book tools.
const MEMBERS: &str =
    "members = [\n    \"compile-fail\",\n    \"exercises/*\",\n    \"tools/test-support\",\n]";

const README: &str = "\
# Fearless Concurrency in Rust: exercises

The starters of every chapter of the book, with their tests. Read a chapter,
then edit the files in `exercises/chapter-N/src/` until its tests pass:

    cargo test -p chapter-1
    cargo test -p chapter-1 spawn_all     # one exercise

`rust-toolchain.toml` pins Rust 1.95.0, the compiler the book's errors were
recorded with. Every test runs under a watchdog, so code that hangs fails
after five seconds with a hint instead of blocking.
";

/// Where the zip goes: into the HTML book, which links to it.
pub fn path() -> PathBuf {
    project::root().join("target/book/html/exercises.zip")
}

/// Packs the zip from the exerciser's output and the repository.
pub fn pack() -> Result<String, String> {
    pack_book(&project::root().join("target/book"))
}

/// Packs the zip of the book built into `dir` (mdBook's `--dest-dir`): from
/// the exerciser's output in `dir/exerciser`, into `dir/html`.
pub fn pack_book(dir: &Path) -> Result<String, String> {
    let root = project::root();
    let starters = book_starters(&dir.join("exerciser"))
        .map_err(|e| format!("the exerciser's output: {e}"))?;
    let entries = entries(&root, &starters).map_err(|e| e.to_string())?;
    let zip = dir.join("html/exercises.zip");
    write_zip(&zip, &entries).map_err(|e| format!("{}: {e}", project::shown(&zip)))?;
    Ok(format!(
        "{} files, {} starters from the book",
        entries.len(),
        starters.len()
    ))
}

/// For `cargo xtask serve`: packs the zip again when mdBook rebuilt the
/// book (the HTML renderer removed it, or the exerciser wrote newer
/// starters). `None` when the zip is up to date or the book not built.
pub fn repack_if_stale() -> Option<Result<String, String>> {
    let html_built = path().with_file_name("index.html").is_file();
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    let starters = modified(&starters::exerciser_output().join(EXERCISER_LIST));
    let zip = modified(&path());
    let stale = match (starters, zip) {
        (Some(_), None) => true,
        (Some(s), Some(z)) => s > z,
        (None, _) => false,
    };
    (html_built && stale).then(pack)
}

/// The files the exerciser wrote, as (path, contents), from its list.
fn book_starters(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
    let list = fs::read_to_string(dir.join(EXERCISER_LIST))?;
    list.lines()
        .map(|path| Ok((path.to_owned(), fs::read(dir.join(path))?)))
        .collect()
}

/// The files of the zip, as (path inside the zip, contents), sorted.
fn entries(root: &Path, starters: &[(String, Vec<u8>)]) -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |path: &str, bytes: Vec<u8>| out.push((format!("{TOP}/{path}"), bytes));

    add("README.md", README.as_bytes().to_vec());
    let manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    add("Cargo.toml", workspace_manifest(&manifest)?.into_bytes());
    for file in [
        "Cargo.lock",
        "rust-toolchain.toml",
        "LICENSE-MIT",
        "LICENSE-APACHE",
    ] {
        if let Ok(bytes) = fs::read(root.join(file)) {
            add(file, bytes);
        }
    }
    for dir in ["compile-fail", "tools/test-support"] {
        for (path, bytes) in tree(root, Path::new(dir))? {
            add(&path, bytes);
        }
    }
    for chapter in fs::read_dir(root.join("exercises"))? {
        let chapter = chapter?.path();
        let Some(name) = chapter.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let relative = Path::new("exercises").join(name);
        for (path, bytes) in tree(root, &relative)? {
            // The starters come from the book, not from the disk.
            if !path.starts_with(&format!("exercises/{name}/src/")) {
                add(&path, bytes);
            }
        }
    }
    for (path, bytes) in starters {
        add(&format!("exercises/{path}"), bytes.clone());
    }
    out.sort();
    Ok(out)
}

/// The repository's workspace manifest with the zip's members.
fn workspace_manifest(manifest: &str) -> io::Result<String> {
    let start = manifest.find("members = [");
    let end = start.and_then(|s| manifest[s..].find(']').map(|e| s + e + 1));
    match (start, end) {
        (Some(s), Some(e)) => Ok(format!("{}{MEMBERS}{}", &manifest[..s], &manifest[e..])),
        _ => Err(io::Error::other(
            "the workspace Cargo.toml has no `members = [...]`",
        )),
    }
}

/// Every file under `root/dir`, as paths relative to `root` with `/`;
/// build output (`target/`) and trybuild's `wip/` are left out.
fn tree(root: &Path, dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.join(dir)];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if name != "target" && name != "wip" {
                    stack.push(path);
                }
            } else {
                let relative = path.strip_prefix(root).expect("under root");
                let relative: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push((relative.join("/"), fs::read(&path)?));
            }
        }
    }
    Ok(found)
}

/// Writes the entries as a zip file, whole or not at all (a download never
/// sees half a zip). Timestamps are fixed, so the same inputs give the same
/// bytes.
fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) -> io::Result<()> {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let partial = path.with_extension(format!("zip.{}-{nanos}.partial", std::process::id()));
    let mut zip = zip::ZipWriter::new(fs::File::create(&partial)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let written = (|| {
        for (name, bytes) in entries {
            zip.start_file(name.as_str(), options)
                .map_err(io::Error::other)?;
            zip.write_all(bytes)?;
        }
        zip.finish().map_err(io::Error::other)?;
        fs::rename(&partial, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zip_workspace_lists_no_solutions() {
        let root = "[workspace]\nresolver = \"3\"\nmembers = [\n    \"compile-fail\",\n    \"exercises/*\",\n    \"solutions/*\",\n    \"xtask\",\n]\n\n[workspace.package]\nedition = \"2024\"\n";
        let zipped = workspace_manifest(root).unwrap();
        assert!(!zipped.contains("solutions"), "{zipped}");
        assert!(!zipped.contains("xtask"), "{zipped}");
        assert!(zipped.contains("\"exercises/*\""), "{zipped}");
        assert!(
            zipped.ends_with("]\n\n[workspace.package]\nedition = \"2024\"\n"),
            "{zipped}"
        );
    }

    #[test]
    fn the_zip_holds_the_book_starters_and_the_tests_but_no_solutions() {
        let root = std::env::temp_dir().join(format!("xtask-pack-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let write = |p: &str, text: &str| {
            let path = root.join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write("Cargo.toml", "[workspace]\nmembers = [\"solutions/*\"]\n");
        write("exercises/chapter-1/Cargo.toml", "[package]\n");
        write("exercises/chapter-1/src/a.rs", "on disk");
        write("exercises/chapter-1/tests/exercises/main.rs", "mod a;");
        write("exercises/chapter-1/target/debug/junk", "x");
        write("compile-fail/Cargo.toml", "[package]\n");
        write("compile-fail/wip/x.stderr", "x");
        write("tools/test-support/src/lib.rs", "//");
        write("solutions/chapter-1/src/a.rs", "the answer");
        // The exerciser's output, with its list of files.
        write("book/.exerciser-files", "chapter-1/src/a.rs\n");
        write("book/chapter-1/src/a.rs", "from the book");
        write("book/chapter-1/src/stray.rs", "not in the list");

        let starters = book_starters(&root.join("book")).unwrap();
        let entries = entries(&root, &starters).unwrap();
        let names: Vec<&str> = entries
            .iter()
            .map(|(n, _)| n.strip_prefix(TOP).unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "/Cargo.toml",
                "/README.md",
                "/compile-fail/Cargo.toml",
                "/exercises/chapter-1/Cargo.toml",
                "/exercises/chapter-1/src/a.rs",
                "/exercises/chapter-1/tests/exercises/main.rs",
                "/tools/test-support/src/lib.rs",
            ]
        );
        let starter = entries
            .iter()
            .find(|(n, _)| n.ends_with("src/a.rs"))
            .unwrap();
        assert_eq!(starter.1, b"from the book");

        let zip_path = root.join("out.zip");
        write_zip(&zip_path, &entries).unwrap();
        let again = root.join("again.zip");
        write_zip(&again, &entries).unwrap();
        assert_eq!(
            fs::read(&zip_path).unwrap(),
            fs::read(&again).unwrap(),
            "deterministic"
        );
        let left: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".partial"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        fs::remove_dir_all(&root).unwrap();
    }
}
