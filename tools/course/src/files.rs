//! What the companion keeps on disk, all of it under `target/course/`: which
//! hint of each exercise comes next (a counter, not progress: progress always
//! comes from running the tests), and the backups `reset` makes.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::book;
use crate::course::Course;
use crate::report::plain_title;
use crate::term::Style;

/// The companion's folder: `target/course/` in the repository.
fn folder(course: &Course) -> PathBuf {
    course.root.join("target").join("course")
}

fn counter_path(course: &Course, index: usize) -> PathBuf {
    let e = &course.exercises[index];
    folder(course)
        .join("hints")
        .join(format!("{}-{}", e.package, e.name))
}

/// The next hint of exercise `index`, from its page, ready to print; the
/// counter moves on (and starts over after the last hint).
pub fn next_hint(course: &Course, index: usize, style: Style) -> Result<String, String> {
    let e = &course.exercises[index];
    let page_path = course.root.join("src").join(&e.page);
    let page = fs::read_to_string(&page_path)
        .map_err(|err| format!("cannot read {}: {err}", page_path.display()))?;
    let hints = book::hints(&page);
    let (local, published) = course.page_urls(&e.page);
    if hints.is_empty() {
        return Ok(format!(
            "{} has no hints on its page ({}).\n",
            e.id,
            published.unwrap_or(local)
        ));
    }
    let path = counter_path(course, index);
    let shown: usize = fs::read_to_string(&path)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let k = shown % hints.len();
    let hint = &hints[k];
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let _ = fs::write(&path, format!("{}\n", k + 1));
    let text = book::plain_links(&hint.text, |target| course.link_url(&e.page, target));
    let label = match hint.summary.split_once(':') {
        Some((_, rest)) => format!(" ({})", rest.trim()),
        None => String::new(),
    };
    let mut out = format!(
        "{}\n\n",
        style.bold(&format!(
            "Hint {} of {}{label} for {} {}:",
            k + 1,
            hints.len(),
            e.id,
            plain_title(&e.title)
        ))
    );
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if k + 1 == hints.len() {
        let solutions = e
            .page
            .rsplit_once('/')
            .map(|(dir, _)| format!("{dir}/solutions.md"))
            .unwrap_or_else(|| "solutions.md".to_owned());
        let (local, published) = course.page_urls(&solutions);
        out.push_str(&format!(
            "\n  {}\n",
            style.dim(&format!(
                "That was the last hint; the next one starts over. The chapter's \
                 reference solutions: {}",
                published.unwrap_or(local)
            ))
        ));
    }
    Ok(out)
}

/// Puts the starter of exercise `index` back from the book, after saving
/// the learner's file under `target/course/backup/`. Says what it did.
pub fn reset(course: &Course, index: usize) -> Result<String, String> {
    let e = &course.exercises[index];
    let path = course.root.join(&e.file);
    let current = match fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(format!("cannot read {}: {err}", e.file.display())),
    };
    if current.as_deref() == Some(e.starter.as_bytes()) {
        return Ok(format!(
            "{} is already the starter of {} {}; nothing to do.\n",
            e.file.display(),
            e.id,
            plain_title(&e.title)
        ));
    }
    let mut saved = String::new();
    if let Some(bytes) = current {
        let backup = backup_path(course, &e.file);
        let dir = backup.parent().expect("a file in a folder");
        fs::create_dir_all(dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
        fs::write(&backup, &bytes)
            .map_err(|err| format!("cannot save your file to {}: {err}", backup.display()))?;
        // Only a backup that reads back whole lets the file be replaced.
        if fs::read(&backup).ok().as_deref() != Some(bytes.as_slice()) {
            return Err(format!(
                "the backup {} does not read back as your file; {} is left as it was",
                backup.display(),
                e.file.display()
            ));
        }
        let shown = backup.strip_prefix(&course.root).unwrap_or(&backup);
        saved = format!(
            "Your file is saved as {}\n(`cargo clean` deletes target/: copy it elsewhere to keep it).\n",
            shown.display()
        );
    }
    write_replacing(&path, e.starter.as_bytes())
        .map_err(|err| format!("cannot write {}: {err}", e.file.display()))?;
    Ok(format!(
        "{saved}{} is the starter of {} {} again, as the book shows it.\n",
        e.file.display(),
        e.id,
        plain_title(&e.title)
    ))
}

/// Writes through a new file renamed into place, so that the file is never
/// half written.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.course-reset"));
    fs::write(&temp, bytes)?;
    fs::rename(&temp, path)
}

/// `target/course/backup/exercises/chapter-3/src/fan_in.2025-11-30T14-22-05Z.rs`,
/// never an existing file.
fn backup_path(course: &Course, file: &Path) -> PathBuf {
    let dir = folder(course)
        .join("backup")
        .join(file.parent().unwrap_or(Path::new("")));
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = utc_stamp(SystemTime::now());
    let mut candidate = dir.join(format!("{stem}.{stamp}.rs"));
    let mut n = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{stem}.{stamp}-{n}.rs"));
        n += 1;
    }
    candidate
}

/// `2025-11-30T14-22-05Z` (no colons, which some systems refuse in names).
fn utc_stamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}-{:02}-{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The README and the introduction promise that progress is never
    /// stored; they must also say the one thing that is: the hint counter,
    /// under target/.
    #[test]
    fn what_is_stored_is_what_the_texts_say() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let course = Course::load(&repo).expect("the course loads");
        let counter = counter_path(&course, 0);
        assert!(
            counter.starts_with(course.root.join("target")),
            "{counter:?}"
        );
        for text in ["README.md", "src/introduction.md"] {
            let words = fs::read_to_string(repo.join(text))
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(words.contains("Your progress is never stored"), "{text}");
            assert!(
                words.contains(
                    "it is whatever the tests say now. Only which hint you saw last is \
                     remembered, under `target/`."
                ),
                "{text} says what is stored"
            );
        }
    }

    #[test]
    fn stamps_are_utc_dates() {
        assert_eq!(utc_stamp(UNIX_EPOCH), "1970-01-01T00-00-00Z");
        assert_eq!(
            utc_stamp(UNIX_EPOCH + Duration::from_secs(1_764_512_525)),
            "2025-11-30T14-22-05Z"
        );
        assert_eq!(
            utc_stamp(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00-00-00Z"
        );
    }
}
