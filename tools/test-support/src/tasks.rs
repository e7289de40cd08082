//! Compile-fail tasks: programs that use your crate and must *stop*
//! compiling once you have done an exercise (say, made a type `!Send`).
//!
//! The tasks of exercise `EXERCISE` of chapter `N` are the files
//! `compile-fail/chapter-N/tasks/EXERCISE/*.rs`. Your fix may differ from
//! ours, and so may the wording of the error, so a task is checked by error
//! code only: each file names the codes it accepts on a line
//! `// expect: E0277`. Its `//!` lines say what the task asks; they are
//! shown when it fails.
//!
//! [`compile_fail_tasks`] writes a small cargo project under
//! `target/compile-fail-tasks/`: a library whose root is your crate's
//! `src/lib.rs`, and one binary per task. It checks the library, then each
//! task on its own with `cargo check --bin`, so that every error belongs to
//! the one task it is reported for.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

/// A compile-fail task as read from its file.
#[derive(Debug, PartialEq)]
pub(crate) struct Task {
    pub(crate) name: String,
    pub(crate) path: PathBuf,
    pub(crate) expect: Vec<String>,
    pub(crate) explanation: String,
}

/// Checks the compile-fail tasks of one exercise against the crate under
/// test, and panics with a report unless each task is rejected with one of
/// the error codes it names.
///
/// `chapter` is `"chapter-N"`; the crate's library root is
/// `$CARGO_MANIFEST_DIR/src/lib.rs`, so the same call checks your crate in
/// `cargo test -p chapter-N` and the reference solution in
/// `cargo test -p chapter-N-solution`.
pub fn compile_fail_tasks(chapter: &str, exercise: &str) {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("run the tests with `cargo test`"));
    let cases = manifest_dir
        .ancestors()
        .map(|dir| dir.join("compile-fail"))
        .find(|dir| dir.is_dir())
        .expect("the compile-fail folder of the workspace");
    let folder = cases.join(chapter).join("tasks").join(exercise);
    let tasks = read_tasks(&folder);
    assert!(
        !tasks.is_empty(),
        "no compile-fail tasks in {}",
        folder.display()
    );

    let lib_name = chapter.replace('-', "_");
    let project = target_dir()
        .join("compile-fail-tasks")
        .join(project_name(&manifest_dir, exercise));
    write_project(
        &project,
        &lib_name,
        &manifest_dir.join("src/lib.rs"),
        &tasks,
    );
    let target = project.parent().unwrap().join("target");

    let lib = cargo_check(&project, &target, &["--lib"]);
    if !lib.success {
        panic!(
            "\nYour crate does not compile, so its compile-fail tasks cannot be checked:\n{}",
            lib.stderr
        );
    }
    let mut report = String::new();
    for task in &tasks {
        let outcome = cargo_check(&project, &target, &["--bin", &task.name]);
        let codes = error_codes(&outcome.stderr);
        let problem = judge(task, outcome.success, &codes).map(|p| {
            if outcome.success {
                p
            } else {
                format!("{p}\n{}", outcome.stderr.trim_end())
            }
        });
        if let Some(problem) = problem {
            let shown = task.path.strip_prefix(&cases).unwrap_or(&task.path);
            let _ = writeln!(
                report,
                "\n---- compile-fail task {} (compile-fail/{}) ----\n{problem}\n\nWhat the task asks:\n{}",
                task.name,
                shown.display(),
                task.explanation
            );
        }
    }
    if !report.is_empty() {
        panic!("{report}");
    }
}

/// Why a task's outcome is wrong, or `None` when it is rejected as it must be.
pub(crate) fn judge(task: &Task, compiled: bool, codes: &[String]) -> Option<String> {
    if compiled {
        return Some("This program compiles, but once the exercise is done it must not.".into());
    }
    let unexpected: Vec<&String> = codes.iter().filter(|c| !task.expect.contains(c)).collect();
    if codes.is_empty() || !unexpected.is_empty() {
        return Some(format!(
            "It must be rejected with {}, but the compiler reported {} \
             (did an item's name or signature change?):",
            task.expect.join(" or "),
            if codes.is_empty() {
                "errors without a code".to_owned()
            } else {
                codes.join(", ")
            }
        ));
    }
    None
}

/// The error codes (`E0277`) in rustc's human-readable output, in order,
/// without repeats.
pub(crate) fn error_codes(stderr: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let Some(rest) = line.trim_start().strip_prefix("error[") else {
            continue;
        };
        let Some(code) = rest.split(']').next() else {
            continue;
        };
        if code.len() == 5 && code.starts_with('E') && !codes.iter().any(|c| c == code) {
            codes.push(code.to_owned());
        }
    }
    codes
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

pub(crate) fn parse_task(path: PathBuf, text: &str) -> Task {
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

/// One folder per crate under test and exercise, e.g.
/// `chapter-5-context` or `chapter-5-solution-context`.
fn project_name(manifest_dir: &Path, exercise: &str) -> String {
    let package = env::var("CARGO_PKG_NAME").unwrap_or_else(|_| {
        manifest_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    format!("{package}-{exercise}")
}

/// The cargo project: the crate under test as a library, one binary per task.
fn write_project(project: &Path, lib_name: &str, lib_root: &Path, tasks: &[Task]) {
    fs::create_dir_all(project).expect("cannot create the compile-fail project folder");
    let mut manifest = format!(
        "[package]\nname = \"compile-fail-tasks\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\nautobins = false\n\n[lib]\nname = \"{lib_name}\"\npath = {}\n\n[workspace]\n",
        toml_string(lib_root)
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
}

struct Checked {
    success: bool,
    stderr: String,
}

fn cargo_check(project: &Path, target: &Path, args: &[&str]) -> Checked {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(project)
        .env("CARGO_TARGET_DIR", target)
        .args(["check", "--offline", "--quiet", "--color=never"])
        .args(args)
        .output()
        .expect("cannot run cargo");
    Checked {
        success: output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
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

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_task_that_compiles_fails() {
        let problem = judge(&task(&["E0277"]), true, &[]).expect("must be a failure");
        assert!(problem.contains("compiles"), "{problem}");
    }

    #[test]
    fn a_task_rejected_with_an_expected_code_passes() {
        assert!(judge(&task(&["E0277", "E0599"]), false, &codes(&["E0599"])).is_none());
    }

    #[test]
    fn a_task_rejected_for_another_reason_fails() {
        let problem = judge(&task(&["E0277"]), false, &codes(&["E0277", "E0425"]))
            .expect("must be a failure");
        assert!(problem.contains("E0425"), "{problem}");
        assert!(judge(&task(&["E0277"]), false, &[]).is_some());
    }

    #[test]
    fn reads_error_codes_from_rustc_output() {
        let stderr = "error[E0277]: `Rc<i32>` cannot be sent\n  --> x.rs:3:5\n\
                      error[E0277]: again\nerror: aborting due to 2 previous errors\n\
                      error[E0425]: cannot find value\n";
        assert_eq!(error_codes(stderr), ["E0277", "E0425"]);
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
