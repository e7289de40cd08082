//! Chapter 3's compile-fail cases, in compile-fail/chapter-3/.

/// Programs the compiler must reject, with the exact errors the book shows.
#[test]
fn exhibits() {
    compile_fail::exhibits("chapter-3");
}
