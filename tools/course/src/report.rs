//! What the companion prints: an exercise's heading, a run condensed to
//! what the learner needs, the table of every exercise, and the JSON
//! report for graders.

use std::fmt::Write as _;

use serde_json::json;

use crate::course::{Course, Exercise};
use crate::run::{self, Outcome};
use crate::term::Style;

/// `3.8.2 Many producers, one collector`, the file to edit and the page.
pub fn heading(course: &Course, index: usize, style: Style) -> String {
    let e = &course.exercises[index];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        style.bold(&format!("{} {}", e.id, plain_title(&e.title))),
        style.dim(&format!(
            "(exercise {} of {})",
            index + 1,
            course.exercises.len()
        ))
    );
    let _ = writeln!(out, "  edit  {}", e.file.display());
    let (local, published) = course.page_urls(&e.page);
    let _ = writeln!(out, "  read  {local}  {}", style.dim("(cargo xtask serve)"));
    if let Some(p) = published {
        let _ = writeln!(out, "        {p}");
    }
    let _ = writeln!(out, "  test  {}", style.dim(&e.test_command()));
    out
}

/// A title as the terminal shows it: without Markdown's backticks.
pub fn plain_title(title: &str) -> String {
    title.replace('`', "")
}

/// One run, condensed: whether it compiled, how many tests pass, and the
/// first failing test's own message with the book sections it names.
pub fn outcome(
    course: &Course,
    e: &Exercise,
    outcome: &Outcome,
    verbose: bool,
    style: Style,
) -> String {
    let mut out = String::new();
    if verbose {
        out.push_str(&outcome.raw);
        if !outcome.raw.ends_with('\n') && !outcome.raw.is_empty() {
            out.push('\n');
        }
    }
    if let Some(error) = &outcome.cargo_error {
        let _ = writeln!(
            out,
            "{} cargo could not build the tests:\n{}",
            style.red("✗"),
            indent(error, "  ")
        );
        return out;
    }
    if outcome.only_tests_fail_to_compile() {
        // The learner's file compiles; a test asks of its types something
        // they do not have (a trait, a method's signature).
        let n = outcome.errors.len();
        let _ = writeln!(
            out,
            "{} The tests do not compile against your code. The compiler's {}:\n",
            style.red("✗"),
            if n == 1 {
                "error".to_owned()
            } else {
                format!("first of {n} errors")
            }
        );
        let shown = if verbose { n } else { 1 };
        for error in &outcome.errors[..shown] {
            if verbose {
                out.push_str(&indent(error.rendered.trim_end(), "  "));
                out.push('\n');
            } else {
                let _ = writeln!(out, "  {}", style.bold(&error.message));
                if let Some(location) = &error.location {
                    let _ = writeln!(out, "    --> {location}");
                }
            }
        }
        let note = format!(
            "{} compiles; the error is in a test file because your types do not have a \
             property the exercise asks for (read the error's message: it names it).",
            e.file.display()
        );
        let _ = writeln!(
            out,
            "\n{}",
            indent(&wrap(&note, width().saturating_sub(2)), "  ")
        );
        if !verbose {
            let _ = writeln!(
                out,
                "\n  {}",
                style.dim("(--verbose shows the compiler's whole message)")
            );
        }
        return out;
    }
    if !outcome.errors.is_empty() {
        // The learner's own errors first: the tests' may only follow from them.
        let mut errors: Vec<&run::CompileError> = outcome.errors.iter().collect();
        errors.sort_by_key(|error| error.in_tests);
        let n = errors.len();
        let _ = writeln!(
            out,
            "{} {} does not compile. {}:\n",
            style.red("✗"),
            e.file.display(),
            if n == 1 {
                "The error".to_owned()
            } else {
                format!("The first of {n} errors")
            }
        );
        let shown = if verbose { n } else { 1 };
        for error in &errors[..shown] {
            out.push_str(&indent(error.rendered.trim_end(), "  "));
            out.push('\n');
        }
        if n > 1 && !verbose {
            let _ = writeln!(out, "\n  {}", style.dim("(--verbose shows every error)"));
        }
        return out;
    }
    let total = outcome.passed + outcome.failed;
    if outcome.done() {
        let _ = writeln!(
            out,
            "{} All {total} tests pass: {} {} is done.",
            style.green("✓"),
            e.id,
            plain_title(&e.title)
        );
        return out;
    }
    if let Some(why) = &outcome.abnormal {
        let _ = writeln!(out, "{} {why}", style.red("✗"));
        return out;
    }
    let _ = write!(
        out,
        "{} {} of {total} tests pass.",
        style.red("✗"),
        outcome.passed
    );
    let Some(first) = outcome.failures.first() else {
        out.push('\n');
        return out;
    };
    let _ = writeln!(
        out,
        " The first failing test, {}:\n",
        style.bold(&first.name)
    );
    let message = if first.message.is_empty() {
        "(it failed without a message)".to_owned()
    } else {
        first.message.clone()
    };
    out.push_str(&indent(&wrap(&message, width().saturating_sub(4)), "    "));
    out.push('\n');
    for also in &first.also {
        let _ = writeln!(out, "\n    {} {also}", style.dim("also:"));
    }
    for other in &first.others {
        let _ = writeln!(
            out,
            "\n  {} {other}",
            style.dim("Another thread panicked too:")
        );
    }
    let mut pointers = run::book_pointers(&first.message);
    for other in &first.others {
        for p in run::book_pointers(other) {
            if !pointers.contains(&p) {
                pointers.push(p);
            }
        }
    }
    if !pointers.is_empty() {
        out.push('\n');
    }
    for number in pointers {
        if let Some(section) = course.section(&number) {
            let (local, published) = course.page_urls(&section.path);
            let _ = writeln!(
                out,
                "  read  {number} {}  {}",
                plain_title(&section.title),
                published.unwrap_or(local)
            );
        }
    }
    if outcome.failures.len() > 1 {
        let rest: Vec<&str> = outcome.failures[1..]
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        let shown = rest.len().min(4);
        let _ = writeln!(out, "\n  {}", style.dim("Also failing:"));
        for name in &rest[..shown] {
            let _ = writeln!(out, "    {}", style.dim(name));
        }
        if rest.len() > shown {
            let _ = writeln!(
                out,
                "    {}",
                style.dim(&format!("and {} more", rest.len() - shown))
            );
        }
    }
    out
}

/// The width to wrap prose at: the terminal's, at most 100 columns.
fn width() -> usize {
    crate::term::columns().unwrap_or(100).clamp(40, 100)
}

/// Wraps the lines of prose (those that do not start with a space, such
/// as an assertion's `left:` and `right:`) at `width` columns.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.chars().count() <= width || line.starts_with(' ') {
            out.push(line.to_owned());
            continue;
        }
        let mut current = String::new();
        for word in line.split(' ') {
            let fits = current.chars().count() + 1 + word.chars().count() <= width;
            if !current.is_empty() && !fits {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(current);
    }
    out.join("\n")
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every exercise with its state, chapter by chapter, with totals.
pub fn table(course: &Course, outcomes: &[(usize, Outcome)], style: Style) -> String {
    let mut out = String::new();
    let name_width = course
        .exercises
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(0);
    let title_width = course
        .exercises
        .iter()
        .map(|e| plain_title(&e.title).chars().count())
        .max()
        .unwrap_or(0);
    let mut chapters: Vec<u32> = outcomes
        .iter()
        .map(|(i, _)| course.exercises[*i].chapter)
        .collect();
    chapters.dedup();
    for chapter in chapters {
        let rows: Vec<&(usize, Outcome)> = outcomes
            .iter()
            .filter(|(i, _)| course.exercises[*i].chapter == chapter)
            .collect();
        let done = rows.iter().filter(|(_, o)| o.done()).count();
        let _ = writeln!(
            out,
            "{}  {}",
            style.bold(&format!(
                "Chapter {chapter}: {}",
                plain_title(course.chapter_title(chapter))
            )),
            style.dim(&format!("{done} of {} done", rows.len()))
        );
        for (i, o) in rows {
            let e = &course.exercises[*i];
            let (mark, state) = match o.state() {
                "done" => (style.green("✓"), style.green("done     ")),
                "untouched" => (style.dim("·"), style.dim("untouched")),
                _ => (style.red("✗"), style.red("failing  ")),
            };
            let detail = if o.only_tests_fail_to_compile() {
                "the tests do not compile against it".to_owned()
            } else if !o.compiled() {
                "does not compile".to_owned()
            } else if o.abnormal.is_some() && o.passed + o.failed == 0 {
                "the tests did not finish".to_owned()
            } else {
                format!("{}/{} tests", o.passed, o.passed + o.failed)
            };
            let title = plain_title(&e.title);
            let pad = title_width - title.chars().count();
            let _ = writeln!(
                out,
                "  {mark} {:<7} {:<name_width$}  {title}{}  {state}  {}",
                e.id,
                e.name,
                " ".repeat(pad),
                style.dim(&detail)
            );
        }
        out.push('\n');
    }
    let done = outcomes.iter().filter(|(_, o)| o.done()).count();
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!("{done} of {} done", outcomes.len()))
    );
    out
}

/// The machine-readable report of `check --json`.
pub fn json(course: &Course, outcomes: &[(usize, Outcome)]) -> String {
    let exercises: Vec<_> = outcomes
        .iter()
        .map(|(i, o)| {
            let e = &course.exercises[*i];
            json!({
                "id": e.id,
                "chapter": e.chapter,
                "name": e.name,
                "title": plain_title(&e.title),
                "file": e.file.to_string_lossy().replace('\\', "/"),
                "state": o.state(),
                "done": o.done(),
                "compiles": o.compiled(),
                "passed": o.passed,
                "failed": o.failed,
                "first_failure": o.failures.first().map(|f| f.name.clone()),
            })
        })
        .collect();
    let mut chapters: Vec<u32> = outcomes
        .iter()
        .map(|(i, _)| course.exercises[*i].chapter)
        .collect();
    chapters.dedup();
    let chapters: Vec<_> = chapters
        .into_iter()
        .map(|n| {
            let rows = outcomes
                .iter()
                .filter(|(i, _)| course.exercises[*i].chapter == n);
            json!({
                "chapter": n,
                "title": plain_title(course.chapter_title(n)),
                "done": rows.clone().filter(|(_, o)| o.done()).count(),
                "total": rows.count(),
            })
        })
        .collect();
    let report = json!({
        "done": outcomes.iter().filter(|(_, o)| o.done()).count(),
        "total": outcomes.len(),
        "chapters": chapters,
        "exercises": exercises,
    });
    serde_json::to_string_pretty(&report).expect("JSON values always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut course = Course::load(&repo).expect("the course loads");
        course.urls.published = None;
        course
    }

    #[test]
    fn a_loom_failure_reads_as_the_courses_diagnosis() {
        let course = course();
        let i = course.resolve("chapter-6/slot").unwrap();
        let mut o = Outcome::default();
        run::add_libtest(&mut o, run::tests::LOOM, "");
        let text = outcome(
            &course,
            &course.exercises[i],
            &o,
            false,
            Style { on: false },
        );
        let diagnosis = text
            .find("    loom found an execution of this model that fails")
            .unwrap_or_else(|| panic!("{text}"));
        // loom's own words are in the diagnosis ("loom said: ..."): not again.
        assert!(!text.contains("also: Causality violation"), "{text}");
        let read = text
            .find("  read  6.2 Orderings  http://localhost:3000/chapter-6/orderings.html\n")
            .unwrap_or_else(|| panic!("{text}"));
        assert!(diagnosis < read, "{text}");
        assert!(
            text[diagnosis..read].contains("loom said: Causality violation"),
            "{text}"
        );
        // The diagnosis whole, wrapped as prose is.
        for line in text[diagnosis..read].lines() {
            assert!(line.chars().count() <= 100, "{line:?} in {text}");
        }
        assert!(
            text.contains("    loom said: Causality violation"),
            "{text}"
        );
        assert!(text.contains("(book: 6.2 Orderings)"), "{text}");
    }

    /// The outcome of exercise `name` after a build whose only errors are
    /// `diagnostics` (JSON, as `--message-format json` gives them).
    fn not_compiled(course: &Course, name: &str, diagnostics: &[&str]) -> Outcome {
        let i = course.resolve(name).unwrap();
        let e = &course.exercises[i];
        let mut build = run::Build::default();
        for target in &e.targets {
            let key = (course.root.join(e.package_dir()), target.name.clone());
            for d in diagnostics {
                let d: serde_json::Value = serde_json::from_str(d).unwrap();
                let rendered = format!("{}\n  (rendered)\n", d["message"].as_str().unwrap());
                build
                    .errors
                    .entry(key.clone())
                    .or_default()
                    .push(run::CompileError::new(&d, rendered));
            }
        }
        run::outcome_of(course, &build, e, &mut |_| {})
    }

    /// E0277 in `tests/exercises/spin.rs` when the learner's `SpinLock` is
    /// not `Sync`.
    const NOT_SYNC: &str = r#"{"level": "error", "message": "`std::cell::UnsafeCell<Vec<u8>>` cannot be shared between threads safely", "code": {"code": "E0277"}, "spans": [{"file_name": "exercises/chapter-6/tests/exercises/spin.rs", "line_start": 154, "line_end": 154, "column_start": 29, "column_end": 46, "is_primary": true, "label": "not shared"}]}"#;
    /// E0308 in the learner's file, as rustc names it through the test.
    const MISMATCH: &str = r#"{"level": "error", "message": "mismatched types", "code": {"code": "E0308"}, "spans": [{"file_name": "exercises/chapter-6/tests/../src/spin.rs", "line_start": 129, "line_end": 129, "column_start": 21, "column_end": 27, "is_primary": true, "label": null}]}"#;

    #[test]
    fn tests_that_do_not_compile_against_the_learners_code_say_so() {
        let course = course();
        let o = not_compiled(&course, "chapter-6/spin", &[NOT_SYNC, NOT_SYNC]);
        assert!(o.only_tests_fail_to_compile());
        let i = course.resolve("chapter-6/spin").unwrap();
        let text = outcome(
            &course,
            &course.exercises[i],
            &o,
            false,
            Style { on: false },
        );
        assert!(
            text.starts_with(
                "✗ The tests do not compile against your code. The compiler's error:\n\n  \
                 error[E0277]: `std::cell::UnsafeCell<Vec<u8>>` cannot be shared between \
                 threads safely\n    --> exercises/chapter-6/tests/exercises/spin.rs:154:29\n\n"
            ),
            "{text}"
        );
        assert!(!text.contains("does not compile"), "{text}");
        assert!(!text.contains("(rendered)"), "{text}");
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains(
                "exercises/chapter-6/src/spin.rs compiles; the error is in a test file because \
                 your types do not have a property the exercise asks for (read the error's message"
            ),
            "{text}"
        );
        let rows = table(&course, &[(i, o)], Style { on: false });
        assert!(
            rows.contains("the tests do not compile against it"),
            "{rows}"
        );
    }

    #[test]
    fn an_error_in_the_learners_file_is_theirs_to_fix() {
        let course = course();
        let o = not_compiled(&course, "chapter-6/spin", &[NOT_SYNC, MISMATCH]);
        assert!(!o.only_tests_fail_to_compile());
        let i = course.resolve("chapter-6/spin").unwrap();
        let text = outcome(
            &course,
            &course.exercises[i],
            &o,
            false,
            Style { on: false },
        );
        assert!(
            text.starts_with(
                "✗ exercises/chapter-6/src/spin.rs does not compile. The first of 2 errors:\n\n  \
                 mismatched types\n"
            ),
            "the learner's own error first: {text}"
        );
        let o = not_compiled(&course, "chapter-6/spin", &[MISMATCH]);
        assert_eq!(
            o.errors[0].location.as_deref(),
            Some("exercises/chapter-6/src/spin.rs:129:21")
        );
        assert_eq!(o.errors[0].message, "error[E0308]: mismatched types");
    }

    #[test]
    fn wraps_prose_but_not_indented_lines() {
        let text = "one two three four five six\n  left: a long line that stays as it is\nshort";
        assert_eq!(
            wrap(text, 10),
            "one two\nthree four\nfive six\n  left: a long line that stays as it is\nshort"
        );
    }
}
