//! Chapter 6's compile-fail cases, in compile-fail/chapter-6/.

/// Programs the compiler must reject, with the exact errors the book shows.
#[test]
fn exhibits() {
    compile_fail::exhibits("chapter-6");
}
