//! `exercises.zip` (packed into the HTML book by `exercises_zip`) works on
//! its own: unpacked outside the repository, its workspace builds offline
//! and every chapter's exhibits pass. It is unpacked again only when it
//! changed, so a warm check reuses its build.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};

use crate::{exercises_zip, project, run};

pub fn check() -> Result<String, String> {
    let root = project::root();
    let zip = exercises_zip::path();
    let bytes = fs::read(&zip).map_err(|e| format!("{}: {e}", project::shown(&zip)))?;
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    let key = hasher.finish().to_string();

    let dir = root.join("target/exercises-zip");
    let stamp = dir.join("unpacked-from");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(key.as_str()) {
        let _ = fs::remove_dir_all(dir.join(exercises_zip::TOP));
        fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        // `-DD`: the files get the time of unpacking, not the zip's fixed 1980
        // timestamp, so cargo rebuilds what changed since the last unpacking.
        let mut unzip = run::command("unzip", &["-q", "-o", "-DD", &zip.to_string_lossy()]);
        unzip.current_dir(&dir);
        run::checked(&mut unzip)?;
        fs::write(&stamp, &key).map_err(|e| e.to_string())?;
    }
    let workspace = dir.join(exercises_zip::TOP);
    let target = dir.join("target");
    for args in [
        &["test", "--offline", "--workspace", "--no-run"][..],
        &["test", "--offline", "--package", "compile-fail"][..],
    ] {
        let mut cmd = run::cargo(args);
        cmd.current_dir(&workspace).env("CARGO_TARGET_DIR", &target);
        run::checked(&mut cmd)?;
    }
    Ok(format!(
        "{} KiB; builds offline, exhibits pass",
        bytes.len() / 1024
    ))
}
