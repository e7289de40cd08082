//! Every chapter's exhibits (programs the compiler must reject) against
//! their `.stderr` snapshots. Each chapter's own tests run its share too.

#[test]
fn exhibits() {
    compile_fail::exhibits("*");
}
