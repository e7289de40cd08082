//! The chapter quizzes (`src/chapter-N/quiz.toml`, rendered by mdbook-quiz
//! on the page `src/chapter-N-quiz.md`, which SUMMARY.md lists as the
//! chapter's last section). Every chapter has one, with 4 to 8 questions, each with an `id` (without
//! one, mdbook-quiz would write a random one into the file). Every `Tracing`
//! question claims whether its program compiles and, if so, what it prints:
//! the program is compiled with rustc and run, and the claim checked.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use crate::{project, run};

const LIMIT: Duration = Duration::from_secs(30);

/// Returns a summary of what was checked.
pub fn check(chapters: &[u32]) -> Result<String, String> {
    let root = project::root();
    let mut problems = Vec::new();
    let (mut questions, mut traced) = (0, 0);
    let pages: Vec<String> = crate::book::sections()?
        .into_iter()
        .map(|s| s.path)
        .collect();
    for &n in chapters {
        let page = format!("chapter-{n}-quiz.md");
        if !pages.contains(&page) {
            problems.push(format!("src/SUMMARY.md does not list the quiz page {page}"));
        }
        let path = root.join(format!("src/chapter-{n}/quiz.toml"));
        let shown = project::shown(&path);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(_) => {
                problems.push(format!("chapter {n} has no quiz ({shown})"));
                continue;
            }
        };
        let quiz: toml::Table = text.parse().map_err(|e| format!("{shown}: {e}"))?;
        let list = quiz
            .get("questions")
            .and_then(|q| q.as_array())
            .cloned()
            .unwrap_or_default();
        if !(4..=8).contains(&list.len()) {
            problems.push(format!(
                "{shown}: {} questions; a quiz has 4 to 8",
                list.len()
            ));
        }
        for (i, q) in list.iter().enumerate() {
            questions += 1;
            let id = q.get("id").and_then(|v| v.as_str());
            let Some(id) = id else {
                problems.push(format!("{shown}: question {} has no `id`", i + 1));
                continue;
            };
            if q.get("type").and_then(|v| v.as_str()) != Some("Tracing") {
                continue;
            }
            traced += 1;
            if let Err(problem) = check_tracing(n, id, q) {
                problems.push(format!("{shown}: question `{id}`: {problem}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{questions} questions, {traced} programs compiled and run"
        ))
    } else {
        Err(problems.join("\n"))
    }
}

fn check_tracing(chapter: u32, id: &str, q: &toml::Value) -> Result<(), String> {
    let program = q
        .get("prompt")
        .and_then(|p| p.get("program"))
        .and_then(|p| p.as_str())
        .ok_or("a Tracing question needs prompt.program")?;
    let answer = q.get("answer").ok_or("no answer")?;
    let claims_compiles = answer
        .get("doesCompile")
        .and_then(|v| v.as_bool())
        .ok_or("no answer.doesCompile")?;

    let dir = project::root().join(format!("target/quiz/chapter-{chapter}"));
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let source = dir.join(format!("{id}.rs"));
    let exe = dir.join(id);
    let stamp = dir.join(format!("{id}.stamp"));
    let mut hasher = DefaultHasher::new();
    program.hash(&mut hasher);
    let key = hasher.finish().to_string();

    let compiled = if fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str()) {
        exe.exists()
    } else {
        fs::write(&source, program).map_err(|e| e.to_string())?;
        let _ = fs::remove_file(&exe);
        let output = run::command(
            "rustc",
            &[
                "--edition=2024",
                "-A",
                "warnings",
                "--crate-name",
                "quiz",
                "-o",
                &exe.to_string_lossy(),
                &source.to_string_lossy(),
            ],
        )
        .output()
        .map_err(|e| e.to_string())?;
        fs::write(&stamp, &key).map_err(|e| e.to_string())?;
        output.status.success()
    };
    if compiled != claims_compiles {
        return Err(format!(
            "the answer says it {} compile, but rustc {} it",
            if claims_compiles { "does" } else { "does not" },
            if compiled { "compiles" } else { "rejects" }
        ));
    }
    if !compiled {
        return Ok(());
    }
    let expected = answer
        .get("stdout")
        .and_then(|v| v.as_str())
        .ok_or("a program that compiles needs answer.stdout")?;
    let mut cmd = run::command(&exe.to_string_lossy(), &[]);
    cmd.env("RUST_BACKTRACE", "0");
    let timed = run::with_limit(&mut cmd, LIMIT)?;
    let printed = String::from_utf8_lossy(&timed.output.stdout);
    if timed.timed_out || !timed.output.status.success() {
        return Err(format!(
            "the program did not exit successfully within {LIMIT:?}"
        ));
    }
    if printed.trim_end() != expected.trim_end() {
        return Err(format!(
            "the answer says it prints\n{expected}\nbut it prints\n{printed}"
        ));
    }
    Ok(())
}
