//! Results of verify's slow steps, kept in `target/verify-cache/`. Each is
//! keyed by a hash of the contents of everything the step depends on; a
//! check whose inputs are the same as when it last passed is not run again.
//! The tests are deterministic (`cargo xtask stress` is there to prove it),
//! so an unchanged input cannot change the verdict. A clean `target/`, as
//! in CI, runs everything; so does `COURSE_VERIFY_NO_CACHE=1`.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use crate::project;

/// A hash of the files' contents (a missing file counts as missing) and of
/// `extra`, such as the source of the code that does the checking.
pub fn key(files: &[PathBuf], extra: &[&str]) -> String {
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.hash(&mut hasher);
        fs::read(file).ok().hash(&mut hasher);
    }
    extra.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

fn stamp(name: &str) -> PathBuf {
    project::root()
        .join("target/verify-cache")
        .join(name.replace(['/', '\\'], "_"))
}

/// Whether the check `name` last passed with exactly this key.
pub fn fresh(name: &str, key: &str) -> bool {
    if std::env::var("COURSE_VERIFY_NO_CACHE").is_ok_and(|v| v == "1") {
        return false;
    }
    fs::read_to_string(stamp(name)).ok().as_deref() == Some(key)
}

/// Notes that the check `name` passed with this key.
pub fn record(name: &str, key: &str) {
    let path = stamp(name);
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let _ = fs::write(path, key);
}
