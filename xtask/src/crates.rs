//! Stand-alone copies of an exercise, for checks that must not touch
//! `exercises/` and must never run a stale build: the learner's package of
//! chapter N, with its `src/` replaced by given files (a fixture's answer,
//! or the starters as the book shows them) and only the test targets of one
//! exercise. Files are written only when their content changes, so cargo's
//! freshness follows the content, whatever the modification times in the
//! repository say.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::{project, run};

/// One test target of an exercise, as the learner's `Cargo.toml` declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The target's name, e.g. `ex1_spawn_all`.
    pub name: String,
    /// Its root file, relative to the package, e.g. `tests/spawn_all.rs`.
    pub path: String,
}

impl Target {
    /// Whether this target runs loom models (its root is `tests/NAME_loom.rs`).
    pub fn is_loom(&self) -> bool {
        self.path.ends_with("_loom.rs")
    }
}

/// The test targets of every exercise of a chapter, by exercise, from
/// `exercises/chapter-N/Cargo.toml`. An exercise's targets are those whose
/// root is `tests/EXERCISE.rs` or `tests/EXERCISE_loom.rs`.
pub fn targets(chapter: u32) -> Result<BTreeMap<String, Vec<Target>>, String> {
    let path = project::root().join(format!("exercises/chapter-{chapter}/Cargo.toml"));
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", project::shown(&path)))?;
    let manifest: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", project::shown(&path)))?;
    let mut found: BTreeMap<String, Vec<Target>> = BTreeMap::new();
    for test in manifest
        .get("test")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
    {
        let (Some(name), Some(root)) = (
            test.get("name").and_then(|v| v.as_str()),
            test.get("path").and_then(|v| v.as_str()),
        ) else {
            return Err(format!(
                "{}: every [[test]] needs a name and a path",
                project::shown(&path)
            ));
        };
        let stem = Path::new(root)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let exercise = stem.strip_suffix("_loom").unwrap_or(&stem).to_owned();
        found.entry(exercise).or_default().push(Target {
            name: name.to_owned(),
            path: root.to_owned(),
        });
    }
    Ok(found)
}

/// A crate to write: chapter `chapter`'s package, with `src/` made of
/// `src` (paths relative to `src/`) and the test targets of `exercise`
/// (of every exercise, for `None`).
pub struct ExerciseCrate {
    pub package: String,
    pub chapter: u32,
    pub exercise: Option<String>,
    pub src: Vec<(PathBuf, String)>,
}

/// Writes the crates as members of one workspace in `dir`, and returns
/// `dir`. The workspace shares the repository's lock file, dependencies and
/// dev profile, so it builds offline and as the learner's build does.
pub fn write_workspace(dir: &Path, crates: &[ExerciseCrate]) -> Result<(), String> {
    let root = project::root();
    let io = |e: std::io::Error| e.to_string();
    let mut members = Vec::new();
    let mut manifests: BTreeMap<u32, toml::Table> = BTreeMap::new();
    for c in crates {
        let learner = root.join(format!("exercises/chapter-{}", c.chapter));
        if let std::collections::btree_map::Entry::Vacant(entry) = manifests.entry(c.chapter) {
            let text = fs::read_to_string(learner.join("Cargo.toml")).map_err(io)?;
            entry.insert(text.parse().map_err(|e| format!("{e}"))?);
        }
        let manifest = &manifests[&c.chapter];
        let mut all = targets(c.chapter)?;
        let targets: Vec<Target> = match &c.exercise {
            Some(exercise) => all
                .remove(exercise)
                .ok_or_else(|| format!("chapter {} has no exercise `{exercise}`", c.chapter))?,
            None => all.into_values().flatten().collect(),
        };
        let crate_dir = dir.join(&c.package);
        for (relative, text) in &c.src {
            write_if_changed(&crate_dir.join("src").join(relative), text)?;
        }
        // Remove source files this crate no longer has.
        let wanted: Vec<PathBuf> = c
            .src
            .iter()
            .map(|(p, _)| crate_dir.join("src").join(p))
            .collect();
        for old in project::files_under(&crate_dir.join("src"), ".rs") {
            if !wanted.contains(&old) {
                fs::remove_file(&old).map_err(io)?;
            }
        }
        for file in project::files_under(&learner.join("tests"), ".rs") {
            let relative = file.strip_prefix(&learner).unwrap();
            let text = fs::read_to_string(&file).map_err(io)?;
            write_if_changed(&crate_dir.join(relative), &text)?;
        }
        let mut text = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\
             autolib = false\nautotests = false\n\n[features]\nreference = []\n",
            c.package
        );
        for t in &targets {
            text.push_str(&format!(
                "\n[[test]]\nname = \"{}\"\npath = \"{}\"\n",
                t.name, t.path
            ));
        }
        for table in ["dev-dependencies", "lints"] {
            if let Some(value) = manifest.get(table) {
                let mut wrapper = toml::Table::new();
                wrapper.insert(table.to_owned(), value.clone());
                text.push('\n');
                text.push_str(&toml::to_string(&wrapper).map_err(|e| e.to_string())?);
            }
        }
        write_if_changed(&crate_dir.join("Cargo.toml"), &text)?;
        members.push(format!("{:?}", c.package));
    }
    let workspace = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{}",
        members.join(", "),
        workspace_tables()?
    );
    write_if_changed(&dir.join("Cargo.toml"), &workspace)?;
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(io)?;
    write_if_changed(&dir.join("Cargo.lock"), &lock)?;
    Ok(())
}

/// The root manifest's `[workspace.package]`, `[workspace.dependencies]`
/// (with paths made absolute) and `[profile]`, as TOML.
fn workspace_tables() -> Result<String, String> {
    let root = project::root();
    let text = fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let manifest: toml::Table = text.parse().map_err(|e| format!("Cargo.toml: {e}"))?;
    let mut out = toml::Table::new();
    if let Some(workspace) = manifest.get("workspace").and_then(|w| w.as_table()) {
        let mut kept = toml::Table::new();
        if let Some(package) = workspace.get("package") {
            kept.insert("package".into(), package.clone());
        }
        if let Some(deps) = workspace.get("dependencies").and_then(|d| d.as_table()) {
            let mut deps = deps.clone();
            for (_, dep) in deps.iter_mut() {
                if let Some(path) = dep.get_mut("path") {
                    let absolute = root.join(path.as_str().unwrap_or_default());
                    *path = toml::Value::String(absolute.to_string_lossy().into_owned());
                }
            }
            kept.insert("dependencies".into(), toml::Value::Table(deps));
        }
        out.insert("workspace".into(), toml::Value::Table(kept));
    }
    if let Some(profile) = manifest.get("profile") {
        out.insert("profile".into(), profile.clone());
    }
    toml::to_string(&out).map_err(|e| e.to_string())
}

/// What `build_tests` built: each executable by package and target name,
/// and for each package that did not compile, the compiler's errors.
#[derive(Default)]
pub struct Built {
    pub binaries: BTreeMap<(String, String), PathBuf>,
    pub errors: BTreeMap<String, String>,
}

/// Builds the test targets of `packages` in the workspace `dir` (offline,
/// with its own target folder, going on past a package that does not
/// compile; `--no-fail-fast` keeps cargo building the others).
pub fn build_tests(dir: &Path, packages: &[String]) -> Result<Built, String> {
    let mut args = vec![
        "test",
        "--no-run",
        "--message-format=json",
        "--offline",
        "--no-fail-fast",
    ];
    for p in packages {
        args.extend(["--package", p]);
    }
    let mut build = run::cargo(&args);
    build
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        // Each crate here is built once and run: incremental caches would
        // only fill the disk (13 of the fixtures' 18 GB).
        .env("CARGO_INCREMENTAL", "0");
    let output = build
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", run::describe(&build)))?;
    let mut built = Built::default();
    let package_of = |id: &str| {
        packages
            .iter()
            .find(|p| id.contains(&format!("/{p}#")))
            .cloned()
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(package) = package_of(msg["package_id"].as_str().unwrap_or("")) else {
            continue;
        };
        match msg["reason"].as_str() {
            Some("compiler-artifact") if msg["profile"]["test"] == true => {
                if let (Some(target), Some(exe)) =
                    (msg["target"]["name"].as_str(), msg["executable"].as_str())
                {
                    built
                        .binaries
                        .insert((package, target.to_owned()), PathBuf::from(exe));
                }
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => {
                let rendered = msg["message"]["rendered"].as_str().unwrap_or("");
                built.errors.entry(package).or_default().push_str(rendered);
            }
            _ => {}
        }
    }
    if !output.status.success() && built.errors.is_empty() {
        return Err(format!(
            "`{}` failed:\n{}",
            run::describe(&build),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(built)
}

pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
        fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    /// Issue 18's sequence: the reference solution in place and built, then
    /// the starter back, its file older than the build (as a checkout or a
    /// copy that keeps times can leave it). The next build must run the
    /// starter: a verdict must never come from a stale binary.
    #[test]
    fn a_crate_written_again_never_runs_a_stale_build() {
        let root = project::root();
        let dir = root.join("target/xtask-tests/stale-build");
        let src_dir = root.join("solutions/chapter-1/src");
        let solution: Vec<(PathBuf, String)> = project::files_under(&src_dir, ".rs")
            .into_iter()
            .map(|f| {
                let text = fs::read_to_string(&f).unwrap();
                (f.strip_prefix(&src_dir).unwrap().to_path_buf(), text)
            })
            .collect();
        let starter: Vec<(PathBuf, String)> = solution
            .iter()
            .map(|(p, text)| {
                let text = if p == Path::new("spawn_all.rs") {
                    crate::source::starter(text, "spawn_all.rs").unwrap()
                } else {
                    text.clone()
                };
                (p.clone(), text)
            })
            .collect();
        let package = "stale-build-check".to_owned();
        let run = |src: &[(PathBuf, String)]| {
            let c = ExerciseCrate {
                package: package.clone(),
                chapter: 1,
                exercise: Some("spawn_all".into()),
                src: src.to_vec(),
            };
            write_workspace(&dir, &[c]).unwrap();
            let built = build_tests(&dir, std::slice::from_ref(&package)).unwrap();
            assert!(built.errors.is_empty(), "{:?}", built.errors);
            let exe = &built.binaries[&(package.clone(), "ex1_spawn_all".to_owned())];
            std::process::Command::new(exe)
                .current_dir(dir.join(&package))
                .env("COURSE_TIMEOUT_SECS", "5")
                .env("RUST_BACKTRACE", "0")
                .output()
                .unwrap()
                .status
                .success()
        };
        assert!(run(&solution), "the reference must pass");
        // The starter goes back with a time from before the build.
        assert!(
            !run(&starter),
            "the starter must fail: the build ran stale code"
        );
        let file = dir.join(&package).join("src/spawn_all.rs");
        let past = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(past)
            .unwrap();
        // The reference again, then the starter again, each written with
        // the old file's time in between: still never stale.
        assert!(run(&solution), "the reference must pass again");
        assert!(!run(&starter), "the starter must fail again");
    }
}
