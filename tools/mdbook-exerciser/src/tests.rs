use super::*;

fn page(name: &str, content: &str) -> Page {
    Page {
        name: name.to_owned(),
        content: content.to_owned(),
        raw: Some(content.to_owned()),
    }
}

fn one(content: &str) -> Result<Vec<StarterFile>, Vec<MarkerError>> {
    extract(&[page("src/ch.md", content)])
}

fn messages(result: Result<Vec<StarterFile>, Vec<MarkerError>>) -> Vec<String> {
    result
        .expect_err("the markers are bad")
        .iter()
        .map(ToString::to_string)
        .collect()
}

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
fn unmarked_blocks_are_not_written() {
    let files =
        one("```rust\nfn main() {}\n```\n\n<!-- a comment -->\n```rust\nfn x() {}\n```\n").unwrap();
    assert!(files.is_empty());
}

#[test]
fn hidden_rust_lines_are_written_without_the_prefix() {
    let text = "<!-- File a/b.rs -->\n```rust,editable\n# use std::thread;\nfn f() {\n    # let x = 1;\n#\n    ## not hidden\n    #[inline]\n}\n```\n";
    let files = one(text).unwrap();
    assert_eq!(
        files[0].text,
        "use std::thread;\nfn f() {\n    let x = 1;\n\n    # not hidden\n    #[inline]\n}\n"
    );
}

#[test]
fn other_languages_keep_their_hash_lines() {
    let files = one("<!-- File a/Cargo.toml -->\n```toml\n# a comment\n[package]\n```\n").unwrap();
    assert_eq!(files[0].text, "# a comment\n[package]\n");
}

#[test]
fn a_marker_without_a_code_block_is_an_error() {
    let cases = [
        ("<!-- File a.rs -->\n\nSome text.\n", "a paragraph"),
        ("<!-- File a.rs -->\n\n## Heading\n", "a heading"),
        ("Text.\n\n<!-- File a.rs -->\n", "the end of the page"),
        (
            "<!-- File a.rs -->\n<!-- File b.rs -->\n```rust\n```\n",
            "another File marker",
        ),
        (
            "<!-- File a.rs -->\n\n    indented code\n",
            "an indented code block",
        ),
    ];
    for (text, next) in cases {
        let errors = messages(one(text));
        assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
        assert!(
            errors[0].contains(&format!("but {next} comes next")),
            "{text:?}: {errors:?}"
        );
        assert!(errors[0].starts_with("src/ch.md:"), "{errors:?}");
    }
}

#[test]
fn paths_must_stay_inside_the_output_folder() {
    for (path, why) in [
        ("/etc/passwd", "is absolute"),
        ("../outside.rs", "uses `..`"),
        ("chapter-1/../../x.rs", "uses `..`"),
        ("./chapter-1/x.rs", "not a plain relative path"),
        ("chapter-1\\x.rs", "use `/`"),
        ("chapter-1/", "names a folder"),
    ] {
        let errors = messages(one(&format!("<!-- File {path} -->\n```rust\n```\n")));
        assert!(errors[0].contains(why), "{path}: {errors:?}");
    }
    let errors = messages(one("<!-- File -->\n```rust\n```\n"));
    assert!(errors[0].contains("names no path"), "{errors:?}");
    assert!(
        one("<!-- Filesystem notes -->\n```rust\n```\n")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_same_path_twice_is_an_error_naming_both_places() {
    let a = page("src/one.md", "<!-- File c/x.rs -->\n```rust\n```\n");
    let b = page("src/two.md", "\n\n<!-- File c/x.rs -->\n```rust\n```\n");
    let errors = messages(extract(&[a, b]));
    assert_eq!(
        errors,
        ["src/two.md:3: `c/x.rs` is already written by the marker at src/one.md:1"]
    );
}

#[test]
fn lines_are_counted_in_the_page_as_written() {
    // The preprocessed page has an include expanded above the marker.
    let raw = "{{#include x.rs}}\n\n<!-- File a.rs -->\nno block\n";
    let content = "line 1\nline 2\nline 3\n\n<!-- File a.rs -->\nno block\n";
    let p = Page {
        name: "src/p.md".into(),
        content: content.into(),
        raw: Some(raw.into()),
    };
    let errors = messages(extract(&[p]));
    assert!(errors[0].starts_with("src/p.md:3:"), "{errors:?}");
}

#[test]
fn all_problems_are_reported_and_nothing_is_returned() {
    let text = "<!-- File ../a.rs -->\n```rust\n```\n<!-- File ok.rs -->\n```rust\n```\n<!-- File /b.rs -->\n```rust\n```\n";
    assert_eq!(messages(one(text)).len(), 2);
}

#[test]
fn writing_replaces_the_files_of_the_previous_run_only() {
    let dest = std::env::temp_dir().join(format!("exerciser-test-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dest);
    fs::create_dir_all(&dest).unwrap();
    fs::write(dest.join("keep.txt"), "not ours").unwrap();

    let file = |path: &str, text: &str| StarterFile {
        path: path.into(),
        text: text.into(),
        origin: String::new(),
    };
    write_files(
        &dest,
        &[file("c1/src/old.rs", "old"), file("c1/src/lib.rs", "v1")],
    )
    .unwrap();
    write_files(&dest, &[file("c1/src/lib.rs", "v2")]).unwrap();

    assert!(
        !dest.join("c1/src/old.rs").exists(),
        "a file dropped from the book is removed"
    );
    assert_eq!(
        fs::read_to_string(dest.join("c1/src/lib.rs")).unwrap(),
        "v2"
    );
    assert_eq!(
        fs::read_to_string(dest.join("keep.txt")).unwrap(),
        "not ours"
    );
    fs::remove_dir_all(&dest).unwrap();
}
