//! Chapter 5's compile-fail cases, in compile-fail/chapter-5/.

/// Programs the compiler must reject, with the exact errors the book shows.
#[test]
fn exhibits() {
    compile_fail::exhibits("chapter-5");
}

/// Programs that use your crate and must stop compiling once the exercises
/// are done: a `ContextGuard` that cannot leave its thread, an `Arena` that
/// never becomes `Sync`.
#[test]
fn tasks() {
    compile_fail::tasks("chapter-5");
}
