//! The compile-fail cases of every chapter, one folder each under
//! `compile-fail/chapter-N/`:
//!
//! - `exhibits/`: programs the compiler must reject. They use only `std`,
//!   and their exact error (the `.stderr` file beside each one) is what the
//!   book shows. [`exhibits`] checks them with trybuild, so a compiler that
//!   prints something else fails the test.
//! - `tasks/EXERCISE/`: programs that use the learner's crate and must
//!   *stop* compiling once that exercise is done. They run from the
//!   exercise's own tests, with `test_support::compile_fail_tasks`.

/// Checks the exhibits of `chapter` (`"chapter-1"`, or `"*"` for all)
/// against their `.stderr` snapshots with trybuild. Trybuild keeps line
/// numbers only for cases inside the crate under test, which is why the
/// exhibits live in this package and run from its tests.
///
/// To record new snapshots after a deliberate change, run the tests with
/// `TRYBUILD=overwrite` and review the diff.
pub fn exhibits(chapter: &str) {
    let tests = trybuild::TestCases::new();
    tests.compile_fail(format!("{chapter}/exhibits/*.rs"));
    // The cases run when `tests` is dropped.
}
