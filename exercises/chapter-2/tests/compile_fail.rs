//! Chapter 2's compile-fail cases, in compile-fail/chapter-2/.

/// Programs the compiler must reject, with the exact errors the book shows.
#[test]
fn exhibits() {
    compile_fail::exhibits("chapter-2");
}

/// Programs that use your crate and must stop compiling once the exercises
/// are done (book: 2.7.1 A job in the background).
#[test]
fn tasks() {
    compile_fail::tasks("chapter-2");
}
