//! The companion on a temporary copy of the course, as a learner uses it.
//! Each test has its own copy (see `common`), with the chapters it needs.

mod common;

use std::fs;
use std::time::Duration;

use common::{Workspace, repo};

/// A first build of a copy (test-support and a chapter's test binaries) on
/// a busy two-core machine.
const BUILD: Duration = Duration::from_secs(300);

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn list_and_check_come_from_the_tests() {
    let ws = Workspace::new("list", &[1]);

    // Untouched starters: every exercise is listed untouched, none done.
    let list = ws.run(&["list"]);
    let text = stdout(&list);
    assert!(list.status.success(), "{text}");
    let said = String::from_utf8_lossy(&list.stderr);
    assert!(
        said.contains("the first time, this builds every chapter's tests"),
        "nothing was built yet: {said}"
    );
    for (id, name) in [
        ("1.7.1", "spawn_all"),
        ("1.7.2", "parallel_sum"),
        ("1.7.3", "panics"),
    ] {
        let row = text
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("no row for {id}:\n{text}"));
        assert!(row.contains(name), "{row}");
        assert!(row.contains("untouched"), "{row}");
    }
    assert!(text.contains("Chapter 1: Threads  0 of 3 done"), "{text}");
    assert!(text.contains("0 of 3 done"), "{text}");

    // One reference solution, one file changed but still wrong.
    ws.solve(1, "spawn_all");
    let starter = ws.read("exercises/chapter-1/src/parallel_sum.rs");
    ws.write(
        "exercises/chapter-1/src/parallel_sum.rs",
        &format!("{starter}\n// I have started.\n"),
    );
    let check = ws.run(&["check", "--json"]);
    assert_eq!(check.status.code(), Some(1), "not all done: exit 1");
    let report: serde_json::Value =
        serde_json::from_slice(&check.stdout).expect("check --json prints JSON");
    assert_eq!(report["done"], 1);
    assert_eq!(report["total"], 3);
    assert_eq!(report["chapters"][0]["chapter"], 1);
    assert_eq!(report["chapters"][0]["done"], 1);
    let exercises = report["exercises"].as_array().unwrap();
    let by_id = |id: &str| {
        exercises
            .iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {report:#}"))
    };
    let spawn_all = by_id("1.7.1");
    assert_eq!(spawn_all["name"], "spawn_all");
    assert_eq!(spawn_all["title"], "Spawn them all, then join");
    assert_eq!(spawn_all["state"], "done");
    assert_eq!(spawn_all["done"], true);
    assert_eq!(spawn_all["failed"], 0);
    assert!(spawn_all["passed"].as_u64().unwrap() > 0);
    let parallel_sum = by_id("1.7.2");
    assert_eq!(parallel_sum["state"], "failing");
    assert_eq!(parallel_sum["done"], false);
    assert_eq!(parallel_sum["passed"], 0);
    assert!(parallel_sum["failed"].as_u64().unwrap() > 0);
    assert_eq!(by_id("1.7.3")["state"], "untouched");

    // Everything solved: check says so, and exits 0.
    ws.solve(1, "parallel_sum");
    ws.solve(1, "panics");
    let check = ws.run(&["check"]);
    let text = stdout(&check);
    assert!(check.status.success(), "{text}");
    assert!(text.contains("3 of 3 done"), "{text}");
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(
        said.contains("Running every exercise's tests…") && !said.contains("builds"),
        "every chapter's tests were built before: {said}"
    );
}

#[test]
fn watch_runs_the_first_unfinished_exercise_again_on_save_and_moves_on() {
    let ws = Workspace::new("watch", &[1]);
    let file = "exercises/chapter-1/src/spawn_all.rs";
    let starter = ws.read(file);
    // However many tests the exercise has today.
    let tests = ws
        .read("exercises/chapter-1/tests/exercises/spawn_all.rs")
        .matches("#[test]")
        .count();
    let none_pass = format!("0 of {tests} tests pass");
    let mut session = ws.spawn(&[], &[]);

    // Saves during the first build: one more run when it ends, not one
    // per save.
    session.wait_for("Building and running the tests of 1.7.1", BUILD);
    for n in 0..4 {
        ws.write(file, &format!("{starter}\n// edit {n}\n"));
        std::thread::sleep(Duration::from_millis(150));
    }
    session.wait_for("1.7.1 Spawn them all, then join", BUILD);
    session.wait_for(&none_pass, BUILD);
    session.wait_for("── saved exercises/chapter-1/src/spawn_all.rs ──", BUILD);
    session.wait_for(&none_pass, BUILD);
    session.wait_for("keys:", BUILD);
    let more = session.lines_within(Duration::from_secs(2));
    assert!(
        !more.iter().any(|l| l.contains("saved")),
        "one run for the saves made during a run, not more:\n{}",
        session.output()
    );

    // A hint, from the page.
    session.send("h");
    session.wait_for("Hint 1 of 3 for 1.7.1", Duration::from_secs(10));

    // The reference solution: a run within a second of the save, then done,
    // then the next exercise.
    let saved = std::time::Instant::now();
    ws.solve(1, "spawn_all");
    let rerun = session.wait_for("── saved", Duration::from_secs(10));
    assert!(
        rerun.duration_since(saved) < Duration::from_secs(1),
        "the save was seen after {:?}",
        rerun.duration_since(saved)
    );
    session.wait_for(
        &format!("All {tests} tests pass: 1.7.1 Spawn them all, then join is done."),
        BUILD,
    );
    session.wait_for("1.7.2 Sum in parts", BUILD);
    session.wait_for("edit  exercises/chapter-1/src/parallel_sum.rs", BUILD);
    session.wait_for("tests pass", BUILD);
    session.wait_for("keys:", BUILD);

    session.send("q");
    let (status, output) = session.finish(Duration::from_secs(30));
    assert!(status.success(), "{output}");
    assert!(output.contains("Goodbye"), "{output}");
}

#[test]
fn a_hang_is_reported_with_the_watchdogs_message_and_a_compile_error_condensed() {
    let ws = Workspace::new("hang", &[3]);
    // Keeps the original Sender alive: the loop over the Receiver never ends.
    ws.write(
        "exercises/chapter-3/src/fan_in.rs",
        "use std::sync::mpsc::{self, Sender};\nuse std::thread;\n\n\
         pub fn fan_in<T, P>(producers: Vec<P>, mut on_item: impl FnMut(T))\nwhere\n    \
         T: Send + 'static,\n    P: FnOnce(Sender<T>) + Send + 'static,\n{\n    \
         let (tx, rx) = mpsc::channel();\n    for producer in producers {\n        \
         let tx = tx.clone();\n        thread::spawn(move || producer(tx));\n    }\n    \
         for item in rx {\n        on_item(item);\n    }\n}\n",
    );
    // Without a terminal, keys are handled once the run is over: a `q` that
    // comes at once (`echo q | cargo course`) quits then, after the keys
    // were shown.
    let mut session = ws.spawn(&["watch", "fan_in"], &[("COURSE_TIMEOUT_SECS", "1")]);
    session.send("q\n");
    let (status, output) = session.finish(BUILD);
    assert!(status.success(), "{output}");
    assert!(
        output.contains("3.8.2 Many producers, one collector"),
        "{output}"
    );
    assert!(
        output.contains("still running"),
        "a wait is shown while the watchdog counts:\n{output}"
    );
    assert!(
        output.contains("This test did not finish within 1s"),
        "{output}"
    );
    assert!(output.contains("Likely cause:"), "{output}");
    assert!(output.contains("3.4 How a channel closes"), "{output}");
    let waiting = output.find("still running").unwrap();
    let verdict = output.find("did not finish within").unwrap();
    assert!(waiting < verdict, "the wait is shown before the verdict");
    let keys = output
        .find("keys: h hint · l list · r run again · q quit")
        .unwrap_or_else(|| panic!("the keys are shown, whatever comes: {output}"));
    let bye = output.find("Goodbye").expect("q quits");
    assert!(verdict < keys && keys < bye, "{output}");

    // A file that does not compile: the first error, condensed.
    ws.write(
        "exercises/chapter-3/src/fan_in.rs",
        "pub fn fan_in() -> u32 {\n    \"not a number\"\n}\n\npub fn other() -> u8 {\n    300u32\n}\n",
    );
    let run = ws.run(&["run", "3.8.2"]);
    let text = stdout(&run);
    assert_eq!(run.status.code(), Some(1), "{text}");
    assert!(
        text.contains("exercises/chapter-3/src/fan_in.rs does not compile. The first of"),
        "{text}"
    );
    assert!(text.contains("error[E0308]: mismatched types"), "{text}");
    assert!(
        text.contains("--> exercises/chapter-3/src/fan_in.rs:2:5"),
        "the learner's path, not the test's: {text}"
    );
    assert_eq!(
        text.matches("error[").count(),
        1,
        "only the first error: {text}"
    );
    assert!(text.contains("--verbose shows every error"), "{text}");
}

#[test]
fn reset_keeps_a_backup_and_hints_come_one_by_one() {
    let ws = Workspace::new("reset", &[1]);
    let file = "exercises/chapter-1/src/spawn_all.rs";
    let starter = ws.read(file);
    ws.write(file, "// my own attempt\n");

    let reset = ws.run(&["reset", "chapter-1/spawn_all"]);
    let text = stdout(&reset);
    assert!(reset.status.success(), "{text}");
    let backup = text
        .lines()
        .find_map(|l| l.strip_prefix("Your file is saved as "))
        .unwrap_or_else(|| panic!("where the backup is: {text}"));
    assert!(
        backup.starts_with("target/course/backup/exercises/chapter-1/src/spawn_all."),
        "{backup}"
    );
    assert_eq!(ws.read(backup), "// my own attempt\n");
    assert_eq!(ws.read(file), starter, "the starter, as the book shows it");
    assert!(
        text.contains("is the starter of 1.7.1 Spawn them all, then join again"),
        "{text}"
    );

    let again = stdout(&ws.run(&["reset", "1.7.1"]));
    assert!(again.contains("already the starter"), "{again}");

    // The second reset of a changed file keeps the first backup too.
    ws.write(file, "// attempt two\n");
    let second = stdout(&ws.run(&["reset", "spawn_all"]));
    let backup2 = second
        .lines()
        .find_map(|l| l.strip_prefix("Your file is saved as "))
        .unwrap();
    assert_ne!(backup, backup2);
    assert_eq!(ws.read(backup), "// my own attempt\n");
    assert_eq!(ws.read(backup2), "// attempt two\n");

    // Hints: the next one each time, from the page.
    let first = stdout(&ws.run(&["hint", "1.7.1"]));
    assert!(
        first.starts_with("Hint 1 of 3 for 1.7.1 Spawn them all, then join:"),
        "{first}"
    );
    let page = fs::read_to_string(repo().join("src/chapter-1/ex-spawn-all.md")).unwrap();
    let line = first.lines().nth(2).unwrap().trim();
    assert!(page.contains(line), "{line:?} is the page's own text");
    let second = stdout(&ws.run(&["hint", "spawn_all"]));
    assert!(second.starts_with("Hint 2 of 3"), "{second}");

    // Unknown names get the list of valid ones.
    let unknown = ws.run(&["hint", "spawn_everything"]);
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        err.contains("There is no exercise `spawn_everything`"),
        "{err}"
    );
    assert!(err.contains("1.7.2   chapter-1/parallel_sum"), "{err}");
}
