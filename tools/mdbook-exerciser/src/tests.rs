use super::*;
use std::fs;
use std::path::PathBuf;

fn page(name: &str, content: &str) -> Page {
    Page {
        name: format!("src/{name}"),
        path: Some(name.to_owned()),
        content: content.to_owned(),
        raw: Some(content.to_owned()),
    }
}

fn flat() -> Options {
    Options {
        layout: Layout::Flat,
        ..Options::default()
    }
}

fn one(content: &str) -> Result<Vec<StarterFile>, Vec<Problem>> {
    extract(&[page("ch.md", content)], &flat()).map(|s| s.files)
}

fn messages(result: Result<Vec<StarterFile>, Vec<Problem>>) -> Vec<String> {
    result
        .expect_err("the markers are bad")
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn texts(content: &str) -> Vec<(String, String)> {
    one(content)
        .unwrap()
        .into_iter()
        .map(|f| (f.path, f.text))
        .collect()
}

fn pair(path: &str, text: &str) -> (String, String) {
    (path.to_owned(), text.to_owned())
}

// The convention.

#[test]
fn writes_the_block_after_a_marker() {
    let files =
        one("Intro.\n\n<!-- File chapter-1/src/lib.rs -->\n```rust\npub mod a;\n```\n").unwrap();
    assert_eq!(
        files,
        [StarterFile {
            path: "chapter-1/src/lib.rs".into(),
            text: "pub mod a;\n".into(),
            origin: "src/ch.md:3".into(),
        }]
    );
}

#[test]
fn unmarked_blocks_and_markers_in_code_are_not_written() {
    let text = "```rust\nfn main() {}\n```\n\n<!-- a comment -->\n```rust\nfn x() {}\n```\n\n\
                Write `<!-- File a.rs -->` before it:\n\n```markdown\n<!-- File b.rs -->\n```\n";
    assert!(one(text).unwrap().is_empty());
}

#[test]
fn comments_and_blank_lines_may_stand_between_a_marker_and_its_block() {
    // Comprehensive Rust's pages put a note for their translation tool there.
    let text = "<!-- File src/main.rs -->\n<!-- mdbook-xgettext: skip -->\n\n```rust\nfn main() {}\n```\n\n\
                <!-- File Cargo.toml -->\n\n<!-- one\n     over two lines -->\n\n\n```toml\n[package]\n```\n";
    assert_eq!(
        texts(text),
        [
            pair("src/main.rs", "fn main() {}\n"),
            pair("Cargo.toml", "[package]\n")
        ]
    );
}

#[test]
fn windows_line_endings() {
    let text = "Intro.\r\n\r\n<!-- File a.rs -->\r\n<!-- mdbook-xgettext: skip -->\r\n\r\n```rust\r\n# use std::thread;\r\nfn f() {}\r\n```\r\n\r\n<!-- File b.rs -->\r\ntext\r\n";
    let errors = messages(one(text));
    assert_eq!(
        errors,
        [
            "src/ch.md:11: `<!-- File b.rs -->` must be followed by a fenced code block, but a paragraph comes next"
        ]
    );
    let text = text.replace("text\r\n", "```\r\nx\r\n```\r\n");
    let files = one(&text).unwrap();
    // The Markdown parser hands over code lines with `\n`, as mdBook shows them.
    assert_eq!(files[0].text, "use std::thread;\nfn f() {}\n");
    assert_eq!(files[0].origin, "src/ch.md:3");
    assert_eq!(files[1].text, "x\n");
}

#[test]
fn spaces_inside_the_marker_are_trimmed() {
    for marker in [
        "<!-- File a.rs -->",
        "<!-- File a.rs    -->",
        "<!--   File \t a.rs -->",
        "<!--File a.rs-->",
        "  <!-- File a.rs -->  ",
    ] {
        let files = one(&format!("Text.\n\n{marker}\n```rust\n```\n")).unwrap();
        assert_eq!(files[0].path, "a.rs", "{marker:?}");
        assert_eq!(files[0].origin, "src/ch.md:3", "{marker:?}");
    }
    let errors = messages(one("<!-- File  a.rs  -->\nText.\n"));
    assert!(
        errors[0].contains("`<!-- File a.rs -->` must be"),
        "{errors:?}"
    );
}

#[test]
fn hidden_rust_lines_are_written_without_their_marking() {
    let text = "<!-- File a/b.rs -->\n```rust,editable\n# use std::thread;\nfn f() {\n    # let x = 1;\n#\n    ## not hidden\n    #[inline]\n    #!x\n}\n```\n";
    assert_eq!(
        texts(text)[0].1,
        "use std::thread;\nfn f() {\n    let x = 1;\n\n    # not hidden\n    #[inline]\n    #!x\n}\n"
    );
}

#[test]
fn other_languages_keep_their_lines_unless_a_prefix_hides_them() {
    let text = "<!-- File a/Cargo.toml -->\n```toml\n# a comment\n[package]\n```\n";
    assert_eq!(texts(text)[0].1, "# a comment\n[package]\n");

    let text =
        "<!-- File a.py -->\n```python hidelines=!!!\n!!!import os\n  !!!x = 1\nprint(x)\n```\n";
    assert_eq!(texts(text)[0].1, "import os\n  x = 1\nprint(x)\n");

    // The prefix from `[output.html.code.hidelines]`.
    let mut options = flat();
    options.hidelines.insert("python".into(), "~".into());
    let pages = [page(
        "p.md",
        "<!-- File a.py -->\n```python\n~import os\nprint(1)\n```\n",
    )];
    let files = extract(&pages, &options).unwrap().files;
    assert_eq!(files[0].text, "import os\nprint(1)\n");
}

#[test]
fn a_marker_without_its_block_is_an_error() {
    let cases = [
        ("<!-- File a.rs -->\n\nSome text.\n", "a paragraph"),
        ("<!-- File a.rs -->\n\n## Heading\n", "a heading"),
        ("<!-- File a.rs -->\n\n- item\n", "a list"),
        ("Text.\n\n<!-- File a.rs -->\n", "the end of the page"),
        (
            "<!-- File a.rs -->\n<!-- File b.rs -->\n```rust\n```\n",
            "another File marker",
        ),
        (
            "<!-- File a.rs -->\n\n    indented code\n",
            "an indented code block",
        ),
        ("<!-- File a.rs -->\n<div>x</div>\n\n```rust\n```\n", "HTML"),
        (
            "> <!-- File a.rs -->\n\n```rust\n```\n",
            "the end of the enclosing",
        ),
    ];
    for (text, next) in cases {
        let errors = messages(one(text));
        assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
        assert!(
            errors[0].contains(&format!("but {next}")),
            "{text:?}: {errors:?}"
        );
        assert!(errors[0].starts_with("src/ch.md:"), "{errors:?}");
    }
}

#[test]
fn a_marker_must_stand_on_its_own() {
    let errors = messages(one(
        "<details>\n<!-- File a.rs -->\n```rust\n```\n</details>\n",
    ));
    assert_eq!(
        errors,
        [
            "src/ch.md:2: `<!-- File a.rs -->` shares its HTML block with other HTML; put a blank line before and after it"
        ]
    );
    let errors = messages(one("Some text <!-- File a.rs -->\n\n```rust\n```\n"));
    assert_eq!(
        errors,
        [
            "src/ch.md:1: `<!-- File a.rs -->` stands inside a paragraph; put it on a line of its own"
        ]
    );
}

#[test]
fn paths_must_stay_inside_the_output_folder_and_mean_one_file() {
    for (path, why) in [
        ("/etc/passwd", "is absolute"),
        ("../outside.rs", "uses `..`"),
        ("chapter-1/../../x.rs", "uses `..`"),
        ("./chapter-1/x.rs", "leave out the `.`"),
        ("chapter-1/./x.rs", "leave out the `.`"),
        ("chapter-1//x.rs", "empty folder name"),
        ("chapter-1\\x.rs", "use `/`"),
        ("C:/x.rs", "Windows does not allow"),
        ("a/b?.rs", "Windows does not allow"),
        ("chapter-1/", "names a folder"),
        ("a\u{7}b.rs", "control character \\u{7}"),
        ("a\u{1b}[31mred.rs", "control character \\u{1b}"),
    ] {
        let errors = messages(one(&format!("<!-- File {path} -->\n```rust\n```\n")));
        assert!(errors[0].contains(why), "{path:?}: {errors:?}");
        assert!(
            !errors[0].contains('\u{1b}'),
            "control characters are shown escaped"
        );
    }
    // A comment over two lines: the line break is in the path.
    let errors = messages(one("<!-- File a\nb.rs -->\n```rust\n```\n"));
    assert!(errors[0].contains("control character \\u{a}"), "{errors:?}");
    let errors = messages(one("<!-- File -->\n```rust\n```\n"));
    assert!(errors[0].contains("names no path"), "{errors:?}");
    let no_marker = "<!-- Filesystem notes -->\n```rust\n```\n";
    assert!(one(no_marker).unwrap().is_empty());
}

#[test]
fn the_same_file_twice_is_an_error_naming_both_places() {
    let a = page("one.md", "<!-- File c/x.rs -->\n```rust\n```\n");
    let b = page("two.md", "\n\n<!-- File c/x.rs -->\n```rust\n```\n");
    let errors = messages(extract(&[a, b], &flat()).map(|s| s.files));
    assert_eq!(
        errors,
        ["src/two.md:3: `c/x.rs` is already written by the marker at src/one.md:1"]
    );
    let text = "<!-- File c/X.rs -->\n```rust\n```\n<!-- File c/x.rs -->\n```rust\n```\n";
    let errors = messages(one(text));
    assert_eq!(
        errors,
        [
            "src/ch.md:4: `c/x.rs` and `c/X.rs` (at src/ch.md:1) differ only in case: one file on macOS and Windows"
        ]
    );
}

#[test]
fn a_file_and_a_folder_with_the_same_path_is_an_error() {
    let file_first = "<!-- File a -->\n```\n```\n<!-- File a/b.rs -->\n```rust\n```\n";
    assert_eq!(
        messages(one(file_first)),
        [
            "src/ch.md:4: `a/b.rs` needs `a` to be a folder, but the marker at src/ch.md:1 writes a file there"
        ]
    );
    let folder_first = "<!-- File a/b/c.rs -->\n```rust\n```\n<!-- File a/b -->\n```\n```\n";
    assert_eq!(
        messages(one(folder_first)),
        ["src/ch.md:4: `a/b` is a file here, but a folder for `a/b/c.rs` at src/ch.md:1"]
    );
}

#[test]
fn the_list_of_files_is_not_a_name_a_book_can_use() {
    let errors = messages(one("<!-- File .exerciser-files -->\n```\n```\n"));
    assert_eq!(
        errors,
        [
            "src/ch.md:1: `.exerciser-files`: `.exerciser-files` is the name of the exerciser's own list of files; choose another name"
        ]
    );
    let page = page(".Exerciser-Files.md", "<!-- File a.rs -->\n```\n```\n");
    let errors = extract(&[page], &Options::default()).unwrap_err();
    assert!(
        errors[0].message.contains("own list of files"),
        "{errors:?}"
    );
}

#[test]
fn lines_are_counted_in_the_page_as_written() {
    // The preprocessed page has an include expanded above the markers.
    let raw = "{{#include x.rs}}\n\n<!-- File a.rs -->\nno block\n\n<!-- File b.rs -->\n```\n{{#include b.rs}}\n```\n<!-- File a.rs -->\nno block\n";
    let content = raw
        .replace("{{#include x.rs}}", "line 1\nline 2\nline 3")
        .replace("{{#include b.rs}}", "b 1\nb 2\nb 3");
    let p = Page {
        raw: Some(raw.into()),
        ..page("p.md", &content)
    };
    let errors = messages(extract(&[p], &flat()).map(|s| s.files));
    assert!(errors[0].starts_with("src/p.md:3:"), "{errors:?}");
    assert!(errors[1].starts_with("src/p.md:10:"), "{errors:?}");

    // A marker that an include brought in: counted in the page as expanded.
    let raw = "Text.\n\n{{#include part.md}}\n";
    let p = Page {
        raw: Some(raw.into()),
        ..page("p.md", "Text.\n\nMore.\n\n<!-- File a.rs -->\nno block\n")
    };
    let errors = messages(extract(&[p], &flat()).map(|s| s.files));
    assert!(errors[0].starts_with("src/p.md:5:"), "{errors:?}");
}

#[test]
fn all_problems_are_reported_and_no_file_is_returned() {
    let text = "<!-- File ../a.rs -->\n```rust\n```\n<!-- File ok.rs -->\n```rust\n```\n<!-- File /b.rs -->\n```rust\n```\n";
    assert_eq!(messages(one(text)).len(), 2);
}

#[test]
fn thousands_of_markers_take_linear_time() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "<!-- File src/f{i}.rs -->\n```rust\n# // hidden\nfn f{i}() {{}}\n```\n\n"
        ));
    }
    let start = std::time::Instant::now();
    let files = one(&text).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(files.len(), 20_000);
    assert_eq!(files[19_999].origin, "src/ch.md:119995");
    // Linear: a fraction of a second, even unoptimised on a busy machine;
    // the quadratic version took 40 s.
    assert!(elapsed < std::time::Duration::from_secs(8), "{elapsed:?}");
    // And every one of them wrong: as fast, every error reported.
    let bad = text.replace("```rust", "Text.\n\n```rust");
    let start = std::time::Instant::now();
    assert_eq!(messages(one(&bad)).len(), 20_000);
    assert!(start.elapsed() < std::time::Duration::from_secs(8));
}

// The per-page layout, Comprehensive Rust's.

fn per_page(pages: &[Page]) -> Result<Starters, Vec<Problem>> {
    extract(pages, &Options::default())
}

#[test]
fn each_page_writes_into_a_folder_named_after_its_file_stem() {
    let pages = [
        page(
            "exercises/compass.md",
            "<!-- File src/main.rs -->\n```rust\n```\n<!-- File Cargo.toml -->\n```toml\n```\n",
        ),
        page(
            "exercises/rtc.md",
            "<!-- File src/main.rs -->\n```rust\n```\n",
        ),
        page("intro.md", "No exercise here.\n"),
    ];
    let starters = per_page(&pages).unwrap();
    let paths: Vec<&str> = starters.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "compass/src/main.rs",
            "compass/Cargo.toml",
            "rtc/src/main.rs"
        ]
    );
    assert!(starters.notes.is_empty());
}

#[test]
fn pages_with_the_same_stem_writing_the_same_file_are_kept_apart() {
    // Comprehensive Rust's synchronous and asynchronous dining philosophers.
    let sync =
        "<!-- File src/main.rs -->\n```rust\nsync\n```\n<!-- File Cargo.toml -->\n```toml\n```\n";
    let async_ = "\n<!-- File src/main.rs -->\n```rust\nasync\n```\n";
    let pages = [
        page("sync/dining-philosophers.md", sync),
        page("async/dining-philosophers.md", async_),
        // Same stem, other files: they share the folder, as in theirs.
        page("a/chat.md", "<!-- File src/a.rs -->\n```rust\n```\n"),
        page("b/chat.md", "<!-- File src/b.rs -->\n```rust\n```\n"),
    ];
    let starters = per_page(&pages).unwrap();
    let paths: Vec<&str> = starters.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "sync/dining-philosophers/src/main.rs",
            "sync/dining-philosophers/Cargo.toml",
            "async/dining-philosophers/src/main.rs",
            "chat/src/a.rs",
            "chat/src/b.rs",
        ]
    );
    let notes: Vec<String> = starters.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "src/sync/dining-philosophers.md:1: another page named `dining-philosophers` writes the same file; this page's files go to `sync/dining-philosophers/`, not `dining-philosophers/`",
            "src/async/dining-philosophers.md:2: another page named `dining-philosophers` writes the same file; this page's files go to `async/dining-philosophers/`, not `dining-philosophers/`",
        ]
    );
}

#[test]
fn a_page_without_a_file_has_no_folder_of_its_own() {
    let generated = Page {
        path: None,
        ..page("gen.md", "<!-- File a.rs -->\n```rust\n```\n")
    };
    let errors = per_page(std::slice::from_ref(&generated)).unwrap_err();
    assert!(
        errors[0].message.contains("layout = \"flat\""),
        "{errors:?}"
    );
    assert_eq!(extract(&[generated], &flat()).unwrap().files.len(), 1);
}

// The options.

fn options(toml: &str) -> Result<Options, Problem> {
    let config: Config = toml.parse().expect("valid toml");
    Options::from_config(&config)
}

#[test]
fn options_come_from_output_exerciser() {
    assert_eq!(options("[output.exerciser]\n").unwrap(), Options::default());
    let read = options(
        "[output.exerciser]\ncommand = \"x\"\noptional = true\noutput-directory = \"out/ex\"\nlayout = \"flat\"\n\
         [output.html.code.hidelines]\npython = \"~\"\n",
    )
    .unwrap();
    assert_eq!(read.output_directory.as_deref(), Some("out/ex"));
    assert_eq!(read.layout, Layout::Flat);
    assert_eq!(read.hidelines["python"], "~");
}

#[test]
fn bad_options_are_errors_naming_the_key() {
    for (toml, expected) in [
        (
            "[output.exerciser]\noutput_directory = \"x\"\n",
            "unknown field `output_directory`",
        ),
        (
            "[output.exerciser]\nlayout = \"tree\"\n",
            "unknown variant `tree`",
        ),
        (
            "[output.exerciser]\noutput-directory = \"../x\"\n",
            "output-directory: `../x` uses `..`",
        ),
        (
            "[output.exerciser]\noutput-directory = \"/tmp\"\n",
            "output-directory: `/tmp` is absolute",
        ),
        (
            "[output.html]\n",
            "reads its options from [output.exerciser]",
        ),
    ] {
        let problem = options(toml).unwrap_err();
        assert_eq!(problem.origin, "book.toml");
        assert!(problem.message.contains(expected), "{toml}: {problem}");
    }
}

// Writing.

/// An empty folder for a test, removed when it ends well.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("exerciser-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

fn file(path: &str, text: &str) -> StarterFile {
    StarterFile {
        path: path.into(),
        text: text.into(),
        origin: format!("src/p.md:{}", path.len()),
    }
}

/// Every file under `dir`, with its text, and every folder (ending in `/`).
fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            found.push((format!("{name}/"), String::new()));
            for (inner, text) in tree(&path) {
                found.push((format!("{name}/{inner}"), text));
            }
        } else {
            found.push((name, fs::read_to_string(&path).unwrap_or_default()));
        }
    }
    found.sort();
    found
}

#[test]
fn writes_the_files_and_the_list_of_them() {
    let dest = TempDir::new("write");
    let options = Options {
        output_directory: Some("out/ex".into()),
        ..flat()
    };
    let written = write(
        &dest.0,
        &options,
        &[file("c1/src/lib.rs", "v1"), file("top.rs", "t")],
    )
    .unwrap();
    assert_eq!(
        written,
        output::Written {
            folder: dest.0.join("out/ex"),
            written: 2,
            removed: 0
        }
    );
    assert_eq!(
        tree(&dest.0),
        [
            pair("out/", ""),
            pair("out/ex/", ""),
            pair("out/ex/.exerciser-files", "c1/src/lib.rs\ntop.rs\n"),
            pair("out/ex/c1/", ""),
            pair("out/ex/c1/src/", ""),
            pair("out/ex/c1/src/lib.rs", "v1"),
            pair("out/ex/top.rs", "t"),
        ]
    );
}

#[test]
fn files_the_book_dropped_are_removed_with_the_folders_they_leave_empty() {
    let dest = TempDir::new("stale");
    fs::write(dest.0.join("keep.txt"), "not ours").unwrap();
    fs::create_dir_all(dest.0.join("c1/notes")).unwrap();
    fs::write(dest.0.join("c1/notes/mine.txt"), "not ours").unwrap();
    let first = [
        file("c1/src/lib.rs", "v1"),
        file("c1/src/deep/old.rs", "old"),
        file("c1/notes/old.md", "old"),
        file("c2/src/lib.rs", "gone"),
    ];
    write(&dest.0, &flat(), &first).unwrap();
    let written = write(&dest.0, &flat(), &[file("c1/src/lib.rs", "v2")]).unwrap();
    assert_eq!(written.removed, 3);
    assert_eq!(
        tree(&dest.0),
        [
            pair(".exerciser-files", "c1/src/lib.rs\n"),
            pair("c1/", ""),
            pair("c1/notes/", ""),
            pair("c1/notes/mine.txt", "not ours"),
            pair("c1/src/", ""),
            pair("c1/src/lib.rs", "v2"),
            pair("keep.txt", "not ours"),
        ]
    );
}

#[test]
fn a_file_may_replace_a_folder_of_the_previous_run_and_the_other_way_round() {
    let dest = TempDir::new("swap");
    write(&dest.0, &flat(), &[file("a/b.rs", "1"), file("c", "2")]).unwrap();
    write(&dest.0, &flat(), &[file("a", "3"), file("c/d.rs", "4")]).unwrap();
    assert_eq!(
        tree(&dest.0),
        [
            pair(".exerciser-files", "a\nc/d.rs\n"),
            pair("a", "3"),
            pair("c/", ""),
            pair("c/d.rs", "4"),
        ]
    );
}

#[test]
fn a_file_or_folder_in_the_way_that_is_not_ours_stops_everything() {
    let dest = TempDir::new("in-the-way");
    fs::write(dest.0.join("a"), "not ours").unwrap();
    fs::create_dir_all(dest.0.join("c")).unwrap();
    fs::write(dest.0.join("c/mine.txt"), "not ours").unwrap();
    let problems = write(
        &dest.0,
        &flat(),
        &[file("ok.rs", ""), file("a/b.rs", ""), file("c", "")],
    )
    .unwrap_err();
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("src/p.md:6: `"), "{messages:?}");
    assert!(
        messages[0].ends_with("/a` is a file that the exerciser did not write, where `a/b.rs` needs a folder: remove it"),
        "{messages:?}"
    );
    assert!(
        messages[1].ends_with("/c` is a folder that the exerciser did not write; the book writes a file there: remove the folder"),
        "{messages:?}"
    );
    assert_eq!(
        tree(&dest.0),
        [
            pair("a", "not ours"),
            pair("c/", ""),
            pair("c/mine.txt", "not ours")
        ],
        "nothing written"
    );
}

#[test]
fn the_list_of_files_must_be_a_file() {
    let dest = TempDir::new("list");
    fs::create_dir_all(dest.0.join(MANIFEST)).unwrap();
    let problems = write(&dest.0, &flat(), &[file("a.rs", "")]).unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        format!(
            "{}: this is where the exerciser keeps its list of files, but it is not a regular file: remove it",
            dest.0.join(MANIFEST).display()
        )
    );
    assert!(!dest.0.join("a.rs").exists());
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed() {
    use std::os::unix::fs::symlink;
    let dest = TempDir::new("links");
    let outside = TempDir::new("links-outside");
    fs::write(outside.0.join("lib.rs"), "outside").unwrap();

    // A link for a folder, for a file, for the output folder, for the list.
    let cases: [(&str, &str, Option<&str>); 4] = [
        ("c1", "c1/lib.rs", None),
        ("c1/lib.rs", "c1/lib.rs", None),
        ("out", "lib.rs", Some("out")),
        (MANIFEST, "lib.rs", None),
    ];
    for (link, path, output_directory) in cases {
        let _ = fs::remove_dir_all(&dest.0);
        fs::create_dir_all(dest.0.join("c1")).unwrap();
        let _ = fs::remove_dir(dest.0.join(link));
        let target = if link.ends_with(".rs") || link == MANIFEST {
            outside.0.join("lib.rs")
        } else {
            outside.0.clone()
        };
        symlink(&target, dest.0.join(link)).unwrap();
        let options = Options {
            output_directory: output_directory.map(str::to_owned),
            ..flat()
        };
        let problems = write(&dest.0, &options, &[file(path, "from the book")]).unwrap_err();
        assert!(
            problems[0].message.contains(&format!(
                "{}` is a symbolic link; the exerciser never writes through one",
                dest.0.join(link).display()
            )),
            "{link}: {problems:?}"
        );
        assert_eq!(
            tree(&outside.0),
            [pair("lib.rs", "outside")],
            "{link}: nothing written outside"
        );
    }

    // A hard link to a file elsewhere is replaced, not written through.
    let _ = fs::remove_dir_all(&dest.0);
    fs::create_dir_all(&dest.0).unwrap();
    fs::hard_link(outside.0.join("lib.rs"), dest.0.join("lib.rs")).unwrap();
    write(&dest.0, &flat(), &[file("lib.rs", "from the book")]).unwrap();
    assert_eq!(
        fs::read_to_string(dest.0.join("lib.rs")).unwrap(),
        "from the book"
    );
    assert_eq!(tree(&outside.0), [pair("lib.rs", "outside")]);

    // A link where the previous run wrote a folder: its files are not removed.
    let _ = fs::remove_dir_all(&dest.0);
    write(&dest.0, &flat(), &[file("c1/lib.rs", "")]).unwrap();
    fs::remove_dir_all(dest.0.join("c1")).unwrap();
    symlink(&outside.0, dest.0.join("c1")).unwrap();
    let problems = write(&dest.0, &flat(), &[]).unwrap_err();
    assert!(
        problems[0].message.contains("is a symbolic link"),
        "{problems:?}"
    );
    assert_eq!(tree(&outside.0), [pair("lib.rs", "outside")]);
}
