//! Every chapter's exhibits (programs the compiler must reject) against
//! their `.stderr` snapshots: `cargo test -p compile-fail`. With
//! `COURSE_CHAPTER=N`, only chapter N's.

#[test]
fn exhibits() {
    let chapter = std::env::var("COURSE_CHAPTER")
        .map(|n| format!("chapter-{n}"))
        .unwrap_or_else(|_| "*".to_owned());
    compile_fail::exhibits(&chapter);
}
