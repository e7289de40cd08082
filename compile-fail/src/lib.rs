//! Runs the compile-fail cases. There are two kinds, one folder each under
//! `compile-fail/chapter-N/`:
//!
//! - `exhibits/`: programs the compiler must reject. They use only `std`,
//!   and their exact error (the `.stderr` file beside each one) is what the
//!   book shows. Checked with trybuild, so a compiler that prints something
//!   else fails the test. They pass from the start.
//! - `tasks/`: programs that use your crate and must *stop* compiling once
//!   you have done an exercise (say, made a type `!Send`). Your fix may
//!   differ from ours, and so may the wording of the error, so a task is
//!   checked by error code only: each file names the codes it expects on a
//!   line `// expect: E0277`. The lines starting with `//!` say what the
//!   task asks; they are shown when it fails. Tasks fail until done.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

/// Checks the exhibits of `chapter` (`"chapter-1"`, or `"*"` for all)
/// against their `.stderr` snapshots with trybuild.
///
/// Must be called from a test named `exhibits`. Trybuild keeps line numbers
/// only for cases inside the crate under test, so a chapter's test binary
/// runs itself again with the `compile-fail` package as the crate under
/// test; that second run does the checking.
///
/// To record new snapshots after a deliberate change, run the tests with
/// `TRYBUILD=overwrite` and review the diff.
pub fn exhibits(chapter: &str) {
    let manifest_dir = manifest_dir();
    let cases = manifest_dir
        .ancestors()
        .map(|dir| dir.join("compile-fail"))
        .find(|dir| dir.join("Cargo.toml").exists())
        .or_else(|| {
            manifest_dir
                .join("Cargo.toml")
                .exists()
                .then(|| manifest_dir.clone())
        })
        .expect("the compile-fail folder of the workspace");

    if manifest_dir == cases {
        let tests = trybuild::TestCases::new();
        tests.compile_fail(format!("{chapter}/exhibits/*.rs"));
        return; // The cases run when `tests` is dropped.
    }

    let output = Command::new(env::current_exe().expect("the test binary's path"))
        .args(["exhibits", "--exact", "--nocapture", "--test-threads=1"])
        .current_dir(&cases)
        .env("CARGO_MANIFEST_DIR", &cases)
        .output()
        .expect("cannot run the test binary again for the exhibits");
    // Printed through the test harness, so shown when the test fails.
    print!("{}", String::from_utf8_lossy(&output.stdout));
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "the compiler's errors for {chapter}'s exhibits differ from their .stderr \
         snapshots (see above). If rustc changed on purpose, record them again with \
         TRYBUILD=overwrite and review the diff."
    );
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("run the tests with `cargo test`"))
}

/// The workspace's `compile-fail/` folder.
fn cases_dir() -> PathBuf {
    let manifest_dir = manifest_dir();
    manifest_dir
        .ancestors()
        .map(|dir| dir.join("compile-fail"))
        .find(|dir| dir.join("Cargo.toml").exists())
        .expect("the compile-fail folder of the workspace")
}

/// A compile-fail task as read from its file.
struct Task {
    name: String,
    path: PathBuf,
    expect: Vec<String>,
    explanation: String,
}

/// Builds the tasks of `chapter` (`compile-fail/chapter-N/tasks/*.rs`)
/// against the crate under test, and fails unless each one is rejected with
/// one of the error codes it names in its `// expect:` line.
pub fn tasks(chapter: &str) {
    let manifest_dir = manifest_dir();
    let package = env::var("CARGO_PKG_NAME").expect("run the tests with `cargo test`");
    let cases = cases_dir();
    let tasks = read_tasks(&cases.join(chapter).join("tasks"));
    assert!(
        !tasks.is_empty(),
        "no compile-fail tasks found for {chapter}"
    );

    let project = write_project(&manifest_dir, &package, &tasks);
    let errors = check(&project, &manifest_dir);

    let mut report = String::new();
    for task in &tasks {
        let found = errors.get(&task.name).map(Vec::as_slice).unwrap_or(&[]);
        if let Some(problem) = judge(task, found) {
            let _ = writeln!(
                report,
                "\n---- compile-fail task {} (compile-fail/{}) ----\n{problem}\n\nWhat the task asks:\n{}",
                task.name,
                task.path
                    .strip_prefix(&cases)
                    .unwrap_or(&task.path)
                    .display(),
                task.explanation
            );
        }
    }
    if !report.is_empty() {
        panic!("{report}");
    }
}

/// One error the compiler reported for a task.
struct Reported {
    code: Option<String>,
    rendered: String,
}

fn judge(task: &Task, found: &[Reported]) -> Option<String> {
    if found.is_empty() {
        return Some(
            "This program compiles, but once the exercise is done it must not.".to_owned(),
        );
    }
    let unexpected: Vec<&Reported> = found
        .iter()
        .filter(|e| !e.code.as_ref().is_some_and(|c| task.expect.contains(c)))
        .collect();
    if unexpected.is_empty() {
        return None;
    }
    let mut msg = format!(
        "It must be rejected with {}, but the compiler reported other errors \
         (did an item's name or signature change?):\n",
        task.expect.join(" or ")
    );
    for e in unexpected {
        msg.push_str(&e.rendered);
    }
    Some(msg)
}

fn read_tasks(dir: &Path) -> Vec<Task> {
    let entries = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read the tasks folder {}: {e}", dir.display()));
    let mut tasks: Vec<Task> = entries
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            parse_task(path, &text)
        })
        .collect();
    tasks.sort_by(|a, b| a.name.cmp(&b.name));
    tasks
}

fn parse_task(path: PathBuf, text: &str) -> Task {
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a UTF-8 file name")
        .to_owned();
    let mut expect = Vec::new();
    let mut explanation = String::new();
    for line in text.lines() {
        if let Some(codes) = line.trim().strip_prefix("// expect:") {
            expect.extend(codes.split_whitespace().map(str::to_owned));
        } else if let Some(doc) = line.strip_prefix("//!") {
            explanation.push_str(doc.trim());
            explanation.push('\n');
        }
    }
    assert!(
        !expect.is_empty(),
        "{} has no `// expect: E....` line naming the error code it must fail with",
        path.display()
    );
    Task {
        name,
        path,
        expect,
        explanation,
    }
}

/// Writes a small cargo project with one binary per task that depends on
/// the crate under test, under `target/compile-fail-tasks/`.
fn write_project(manifest_dir: &Path, package: &str, tasks: &[Task]) -> PathBuf {
    let root = target_dir().join("compile-fail-tasks");
    let project = root.join(package);
    fs::create_dir_all(&project).expect("cannot create the compile-fail project folder");

    let mut manifest = format!(
        "[package]\nname = \"{package}-tasks\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\n{package} = {{ path = {} }}\n\n[workspace]\n",
        toml_string(manifest_dir)
    );
    for task in tasks {
        let _ = write!(
            manifest,
            "\n[[bin]]\nname = \"{}\"\npath = {}\n",
            task.name,
            toml_string(&task.path)
        );
    }
    write_if_changed(&project.join("Cargo.toml"), &manifest);
    // The workspace's lock file lets cargo resolve offline, as it did for
    // the test itself.
    if let Some(lock) = manifest_dir
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.exists())
    {
        let text = fs::read_to_string(lock).expect("a readable Cargo.lock");
        write_if_changed(&project.join("Cargo.lock"), &text);
    }
    project
}

/// Runs `cargo check` on the project and returns the errors per binary.
fn check(project: &Path, manifest_dir: &Path) -> BTreeMap<String, Vec<Reported>> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(project)
        .env("CARGO_TARGET_DIR", project.parent().unwrap().join("target"))
        .args([
            "check",
            "--offline",
            "--quiet",
            "--keep-going",
            "--bins",
            "--message-format=json",
            "--color=never",
        ])
        .output()
        .expect("cannot run cargo");

    let mut errors: BTreeMap<String, Vec<Reported>> = BTreeMap::new();
    let mut crate_errors = String::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let rendered = msg["message"]["rendered"].as_str().unwrap_or("").to_owned();
        let is_bin = msg["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
        if !is_bin {
            crate_errors.push_str(&rendered);
            continue;
        }
        let name = msg["target"]["name"].as_str().unwrap_or("").to_owned();
        let code = msg["message"]["code"]["code"].as_str().map(str::to_owned);
        errors
            .entry(name)
            .or_default()
            .push(Reported { code, rendered });
    }
    if !crate_errors.is_empty() {
        panic!(
            "The crate at {} does not compile, so its compile-fail tasks cannot be checked:\n{crate_errors}",
            manifest_dir.display()
        );
    }
    if errors.is_empty() && !output.status.success() {
        panic!(
            "cargo could not check the compile-fail tasks:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    errors
}

/// The `target` folder this test binary was built into
/// (`target/<profile>/deps/<test binary>`).
fn target_dir() -> PathBuf {
    let exe = env::current_exe().expect("the test binary's path");
    exe.ancestors()
        .nth(3)
        .expect("the test binary lives in target/<profile>/deps")
        .to_path_buf()
}

fn toml_string(path: &Path) -> String {
    format!("{:?}", path.to_str().expect("a UTF-8 path"))
}

/// Leaves the file alone when it already has this content, so cargo does
/// not see a change and rebuild.
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(expect: &[&str]) -> Task {
        Task {
            name: "case".into(),
            path: "case.rs".into(),
            expect: expect.iter().map(|s| s.to_string()).collect(),
            explanation: String::new(),
        }
    }

    fn reported(code: Option<&str>) -> Reported {
        Reported {
            code: code.map(str::to_owned),
            rendered: format!("error[{}]\n", code.unwrap_or("-")),
        }
    }

    #[test]
    fn a_task_that_compiles_fails() {
        let problem = judge(&task(&["E0277"]), &[]).expect("must be a failure");
        assert!(problem.contains("compiles"), "{problem}");
    }

    #[test]
    fn a_task_rejected_with_an_expected_code_passes() {
        assert!(judge(&task(&["E0277", "E0599"]), &[reported(Some("E0599"))]).is_none());
    }

    #[test]
    fn a_task_rejected_for_another_reason_fails() {
        let found = [reported(Some("E0277")), reported(Some("E0425"))];
        let problem = judge(&task(&["E0277"]), &found).expect("must be a failure");
        assert!(problem.contains("error[E0425]"), "{problem}");
        assert!(!problem.contains("error[E0277]"), "{problem}");
        assert!(judge(&task(&["E0277"]), &[reported(None)]).is_some());
    }

    #[test]
    fn parses_the_expected_codes_and_the_explanation() {
        let text =
            "//! Make it !Send.\n//! Then this fails.\n// expect: E0277 E0599\nfn main() {}\n";
        let t = parse_task("dir/make_it_stay.rs".into(), text);
        assert_eq!(t.name, "make_it_stay");
        assert_eq!(t.expect, ["E0277", "E0599"]);
        assert_eq!(t.explanation, "Make it !Send.\nThen this fails.\n");
    }
}
